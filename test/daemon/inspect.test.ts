/**
 * Inspect: live XState inspection events over gRPC, for one process or the whole system, and
 * the actor system observed only while someone watches.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isNotFound } from '../../src/client/index.js';
import { startTestDaemon } from '../helpers/daemon-harness.js';
import { waitUntil } from '../helpers/leaks.js';
import { readUntil } from '../helpers/streams.js';

interface Inspection {
  type: string;
  actorId: string;
  snapshot?: { value?: unknown; status?: string };
  event?: { type?: string };
}

test('Inspect streams one process’s inspection events, snapshots included, and observes only while watched', async (t) => {
  const h = await startTestDaemon();
  t.after(() => h.close());
  const web = await h.client.createProcess({ name: 'web', command: 'sleep', args: h.sleepArgs() });
  await h.client.createProcess({ name: 'other', command: 'sleep', args: h.sleepArgs() });
  const inspector = h.daemon.supervision.inspector;
  assert.equal(inspector.observing, false, 'nobody watches: the actor system is not observed');

  const reading = readUntil(
    (signal) => h.client.inspect('web', { signal }) as AsyncIterable<Inspection>,
    (events) => JSON.stringify(events.at(-1)?.snapshot?.value ?? '').includes('syncing'),
    { what: 'a snapshot of web in syncing' },
  );
  await waitUntil('the inspector is subscribed', () => inspector.watcherCount === 1);
  assert.equal(inspector.observing, true);
  await h.client.startProcess('other');
  await h.client.startProcess('web');
  const seen = await reading;

  assert.ok(seen.length > 0);
  assert.ok(seen.every((e) => e.actorId === web.id), `only web's events: ${[...new Set(seen.map((e) => e.actorId))]}`);
  assert.ok(seen.some((e) => e.type === '@xstate.snapshot'), 'snapshots are sent');
  assert.ok(seen.some((e) => e.type === '@xstate.actor'), 'the actor’s creation (a first start spawns it)');
  assert.ok(seen.some((e) => e.type === '@xstate.event' && e.event?.type === 'xstate.init'), 'the events it received');
  await waitUntil('the inspector is cleaned up', () => inspector.watcherCount === 0);
  assert.equal(inspector.observing, false, 'the observer is removed with the last watcher');
});

test('Inspect without a name streams the whole system; an unknown name is NOT_FOUND', async (t) => {
  const h = await startTestDaemon();
  t.after(() => h.close());
  const web = await h.client.createProcess({ name: 'web', command: 'sleep', args: h.sleepArgs() });
  const actors = new Set<string>();
  const reading = readUntil(
    (signal) => h.client.inspect('', { signal }) as AsyncIterable<Inspection>,
    (events) => {
      actors.add(events.at(-1)!.actorId);
      return actors.has(web.id) && actors.size > 1;
    },
    { what: 'events of web and of another actor' },
  );
  await waitUntil('the inspector is subscribed', () => h.daemon.supervision.inspector.watcherCount === 1);
  await h.client.startProcess('web');
  await reading;
  assert.ok(actors.has(web.id) && actors.size > 1, `the process and the supervisor: ${[...actors]}`);
  await assert.rejects(h.client.inspect('nobody').next(), isNotFound);
});
