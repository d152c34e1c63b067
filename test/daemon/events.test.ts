import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestDaemon } from '../helpers/daemon-harness.js';
import { waitUntil } from '../helpers/leaks.js';
import type { ProcessEvent } from '../../src/client/index.js';
import { collect } from '../helpers/events.js';

const summary = (e: ProcessEvent) =>
  e.type === 'transition' ? `${e.process?.name}:${e.from}>${e.to}` : `${e.process?.name}:${e.type}`;

test('a watcher gets the current state first, flagged snapshot, then every change in order', async (t) => {
  const h = await startTestDaemon();
  t.after(() => h.close());
  const { client } = h;
  await client.createProcess({ name: 'old', command: 'sleep', args: h.sleepArgs() });

  const seen = collect((signal) => client.watchEvents('', { signal }), (events) => events.some((e) => e.type === 'deleted'));
  // The snapshot is sent as soon as the stream opens; wait for the watcher to be registered.
  await waitUntil('the watcher is subscribed', () => h.daemon.supervision.events.watcherCount === 1);

  await client.createProcess(
    { name: 'job', command: 'sh', args: ['-c', `exit 4 # ${h.marker}`], restart: { policy: 'no' } },
    { start: true },
  );
  await waitUntil('job fails', async () => (await client.describeProcess('job')).process.state === 'FAILED');
  // It exited by itself: the way into terminating says how, not a grace period (regression:
  // "exited, grace period 10 s").
  const terminating = (await client.describeProcess('job')).recentTransitions.find((tr) => tr.to === 'terminating');
  assert.equal(terminating?.reason, 'exited with code 4');
  await client.updateProcess('job', { restart: { policy: 'on-failure' } }, { updateMask: ['restart.policy'] });
  await client.deleteProcess('job');
  const events = await seen;

  assert.equal(events[0]?.type, 'snapshot');
  assert.equal(events[0]?.snapshot, true);
  assert.equal(events[0]?.process?.name, 'old');
  assert.ok(events.slice(1).every((e) => !e.snapshot), 'only the first events are snapshots');
  assert.deepEqual(events.slice(1).map(summary), [
    'job:created',
    'job:CREATED>STARTING',
    'job:STARTING>RUNNING',
    'job:exited',
    'job:RUNNING>STOPPING',
    'job:STOPPING>FAILED',
    'job:spec_changed',
    'job:deleted',
  ]);
  const exited = events.find((e) => e.type === 'exited');
  assert.equal(exited?.reason, 'exited with code 4');
  assert.equal(events.find((e) => e.to === 'STOPPING')?.reason, 'exited with code 4');
  await waitUntil('the watcher is cleaned up', () => h.daemon.supervision.events.watcherCount === 0);
});

test('a watch of one process sees only that process; many watchers see the same events', async (t) => {
  const h = await startTestDaemon();
  t.after(() => h.close());
  const { client } = h;
  await client.createProcess({ name: 'a', command: 'sleep', args: h.sleepArgs() });
  await client.createProcess({ name: 'b', command: 'sleep', args: h.sleepArgs() });
  const onlyA = collect((signal) => client.watchEvents('a', { signal }), (events) => events.some((e) => e.to === 'RUNNING'));
  const all1 = collect((signal) => client.watchEvents('', { signal }), (events) => events.filter((e) => e.to === 'RUNNING').length === 2);
  const all2 = collect((signal) => client.watchEvents('', { signal }), (events) => events.filter((e) => e.to === 'RUNNING').length === 2);
  await waitUntil('three watchers', () => h.daemon.supervision.events.watcherCount === 3);
  await client.startProcess('b');
  await client.startProcess('a');
  const [a, first, second] = await Promise.all([onlyA, all1, all2]);
  assert.ok(a.every((e) => e.process?.name === 'a'));
  assert.deepEqual(first.map(summary), second.map(summary));
  await waitUntil('watchers cleaned up', () => h.daemon.supervision.events.watcherCount === 0);
});

test('watching an unknown process is NOT_FOUND', async (t) => {
  const h = await startTestDaemon();
  t.after(() => h.close());
  await assert.rejects(collect(h.client.watchEvents('nobody'), () => true), /no process named or with id 'nobody'/);
});
