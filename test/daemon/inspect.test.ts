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
import type { InspectionStep } from '../../src/charts/inspection-steps.js';

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
  const inspector = h.daemon.parts.inspector;
  assert.equal(inspector.observing, false, 'nobody watches: the actor system is not observed');

  const reading = readUntil(
    (signal) => h.client.inspect('web', { signal, all: true }) as AsyncIterable<Inspection>,
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
  assert.ok(seen.some((e) => e.type === '@xstate.event' && e.event?.type === 'xstate.init'), 'the events it received, internals included (all)');
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
  await waitUntil('the inspector is subscribed', () => h.daemon.parts.inspector.watcherCount === 1);
  await h.client.startProcess('web');
  await reading;
  assert.ok(actors.has(web.id) && actors.size > 1, `the process and the supervisor: ${[...actors]}`);
  await assert.rejects(h.client.inspect('nobody').next(), isNotFound);
});

test('Inspect with steps: a late watcher first reads where each process is, then a line per change, secrets redacted', async (t) => {
  const h = await startTestDaemon();
  t.after(() => h.close());
  await h.client.createProcess({ name: 'web', command: 'sleep', args: h.sleepArgs(), env: { DB_PASSWORD: 'pw-7f3a9' } }, { start: true });
  await h.client.createProcess({ name: 'idle', command: 'sleep', args: h.sleepArgs() });
  await waitUntil('web runs', async () => (await h.client.describeProcess('web')).process.state === 'RUNNING');
  let stopping: Promise<unknown> | undefined;
  const steps = await readUntil(
    (signal) => h.client.inspect('', { signal, steps: true }) as AsyncIterable<InspectionStep>,
    (read) => {
      // The replay read, stop web: its stop is the first live step.
      if (read.length === 2) stopping ??= h.client.stopProcess('web', { noWait: true });
      return read.some((step) => step.kind === 'transition' && step.name === 'web' && step.to?.[0] === 'terminating.stopHook');
    },
    { what: 'the stop of web' },
  );
  await stopping;
  assert.deepEqual(
    steps.slice(0, 2).map((step) => [step.kind, step.name, step.replay]),
    [
      ['state', 'supervisor', true],
      ['state', 'web', true],
    ],
    'the supervisor and web, live; idle has never run, so it has no actor',
  );
  assert.deepEqual(steps[1]!.to, ['syncing.sync.awaitingUpdate', 'syncing.health.off']);
  const stop = steps.find((step) => step.kind === 'transition' && step.name === 'web')!;
  assert.equal(stop.event, 'terminate');
  assert.equal(stop.reason, 'requested, grace period 10 s', 'the reason the chart gave');
  assert.ok(steps.every((step) => !step.internal));
  const raw = JSON.stringify(await readUntil((signal) => h.client.inspect('web', { signal, all: true }), (read) => read.length >= 2, { what: 'web replayed' }));
  assert.ok(raw.includes('"DB_PASSWORD":"[redacted]"') && !raw.includes('pw-7f3a9'), 'env values never leave the daemon');
});
