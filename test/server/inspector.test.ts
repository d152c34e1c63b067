/**
 * The Inspector over a real actor system (supervisor + process charts, hooks scripted, on a
 * SimulatedClock): a late watcher gets every live actor's current state first; internals only when
 * asked; contexts redacted; the system observed only while watched; a slow watcher bounded and
 * told what it missed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { InspectionStep } from '../../src/charts/inspection-steps.js';
import type { Watcher } from '../../src/server/events.js';
import { Inspector, type InspectionRecord } from '../../src/server/inspector.js';
import { simulatedManager, type Harness } from '../helpers/simulated-manager.js';

interface Collected {
  readonly watcher: Watcher<InspectionRecord>;
  readonly records: Record<string, unknown>[];
  /** While true, deliver() answers that the transport is full. */
  full: boolean;
}

function collector(processId?: string): Collected {
  const collected: Collected = {
    records: [],
    full: false,
    watcher: {
      processId,
      deliver: (record) => {
        collected.records.push(JSON.parse(record.json) as Record<string, unknown>);
        return !collected.full;
      },
      overflow: () => assert.fail('an inspect watcher is never dropped'),
      end: () => {},
    },
  };
  return collected;
}

async function twoProcesses(backlog?: { raw: number; steps: number }): Promise<{ h: Harness; inspector: Inspector }> {
  const h = simulatedManager({ resyncIntervalMs: 0, restart: { policy: 'always', delayMs: 1_000, startLimitBurst: 0 } });
  h.manager.updateProcess({ id: 'id-web', type: 'create', config: { env: { API_TOKEN: 'tok-secret-123' }, args: ['--password=hunter2'] } });
  h.manager.updateProcess({ id: 'id-db', type: 'create' });
  await h.advance(0);
  const names: Record<string, string> = { 'id-web': 'web', 'id-db': 'db' };
  const inspector = new Inspector(h.manager.actor, { nameOf: (id) => names[id], now: () => h.clock.now() }, backlog);
  return { h, inspector };
}

test('a late watcher of steps first gets where every live actor is, then one step per change', async () => {
  const { h, inspector } = await twoProcesses();
  const seen = collector();
  const subscription = inspector.subscribe(seen.watcher, { steps: true });
  const replay = seen.records as unknown as InspectionStep[];
  assert.deepEqual(
    replay.map((step) => [step.kind, step.name, step.to, step.replay]),
    [
      ['state', 'supervisor', ['running'], true],
      ['state', 'web', ['syncing.sync.awaitingUpdate', 'syncing.health.off'], true],
      ['state', 'db', ['syncing.sync.awaitingUpdate', 'syncing.health.off'], true],
    ],
  );
  seen.records.length = 0;
  h.manager.reportWorkloadExit('id-web', { exitCode: 3, signal: null, at: h.clock.now() });
  await h.advance(0);
  assert.deepEqual(
    (seen.records as unknown as InspectionStep[]).map((step) => [step.name, step.event, step.to]),
    [
      ['web', 'workload.exited', ['terminating.stopHook']],
      ['web', 'stopHook done', ['terminated.cleanupHook']],
      ['web', 'cleanupHook done', ['terminated.restartDelay']],
    ],
  );
  subscription.close();
  h.dispose();
});

test('a steps watcher that arrives while the Stately bridge already observes still gets the right from → to', async () => {
  const { h, inspector } = await twoProcesses();
  const bridge = inspector.observe(() => {});
  h.manager.updateProcess({ id: 'id-db', type: 'terminate' });
  await h.advance(0);
  const seen = collector('id-db');
  const subscription = inspector.subscribe(seen.watcher, { steps: true });
  h.manager.startProcess('id-db');
  await h.advance(0);
  const first = (seen.records as unknown as InspectionStep[]).find((step) => step.kind === 'transition');
  assert.deepEqual(first && [first.event, first.from, first.to], ['start', ['finished'], ['starting.queued']]);
  subscription.close();
  bridge.close();
  h.dispose();
});

test('a late raw watcher gets each live actor and its latest snapshot, flagged replay, contexts redacted', async () => {
  const { h, inspector } = await twoProcesses();
  const seen = collector('id-web');
  const subscription = inspector.subscribe(seen.watcher);
  assert.deepEqual(
    seen.records.map((record) => [record.type, record.actorId, record.replay]),
    [
      ['@xstate.actor', 'id-web', true],
      ['@xstate.snapshot', 'id-web', true],
    ],
  );
  const text = JSON.stringify(seen.records);
  assert.ok(text.includes('"API_TOKEN":"[redacted]"'), text);
  assert.ok(!text.includes('tok-secret-123') && !text.includes('hunter2'), 'no secret leaves');
  subscription.close();
  h.dispose();
});

test("XState's internals are left out unless all is asked for", async () => {
  const { h, inspector } = await twoProcesses();
  const plain = collector();
  const all = collector();
  const a = inspector.subscribe(plain.watcher);
  const b = inspector.subscribe(all.watcher, { all: true });
  h.manager.reportWorkloadExit('id-db', { exitCode: 0, signal: null, at: h.clock.now() });
  await h.advance(0);
  const internal = (record: Record<string, unknown>) =>
    record.type === '@xstate.microstep' ||
    record.type === '@xstate.action' ||
    String((record.event as { type?: string } | undefined)?.type ?? '').startsWith('xstate.') && record.type === '@xstate.event';
  assert.equal(plain.records.filter(internal).length, 0);
  assert.ok(all.records.filter(internal).length > 10, `all: ${all.records.filter(internal).length} internal events`);
  assert.ok(plain.records.length < all.records.length / 2, `${plain.records.length} of ${all.records.length}`);
  a.close();
  b.close();
  h.dispose();
});

test('the actor system is observed only while someone watches', async () => {
  const { h, inspector } = await twoProcesses();
  assert.equal(inspector.observing, false);
  const one = inspector.subscribe(collector().watcher, { steps: true });
  const two = inspector.subscribe(collector().watcher);
  const bridge = inspector.observe(() => {});
  one.close();
  two.close();
  assert.equal(inspector.observing, true, 'the bridge still listens');
  bridge.close();
  assert.equal(inspector.observing, false);
  h.dispose();
});

test('a slow watcher is held to its backlog, then told how many events it missed and sent the current state', async () => {
  const { h, inspector } = await twoProcesses({ raw: 50, steps: 50 });
  const slow = collector();
  const counter = collector();
  const subscription = inspector.subscribe(slow.watcher, { all: true });
  const counting = inspector.subscribe(counter.watcher, { all: true });
  slow.full = true;
  slow.records.length = 0;
  counter.records.length = 0;
  let most = 0;
  for (let i = 0; i < 20; i += 1) {
    h.manager.reportWorkloadExit('id-web', { exitCode: 3, signal: null, at: h.clock.now() });
    await h.advance(1_000);
    most = Math.max(most, subscription.queued());
  }
  assert.ok(most <= 50, `the backlog reached ${most}`);
  const published = counter.records.length;
  assert.ok(published > 200, `${published} events were published`);
  assert.equal(slow.records.length, 1, 'only the write that found the transport full');

  slow.full = false;
  slow.records.length = 0;
  subscription.drained();
  const [notice, ...current] = slow.records;
  assert.deepEqual(notice && { type: notice.type, count: notice.count }, { type: 'statevisor.missed', count: published - 1 });
  assert.deepEqual(
    current.filter((record) => record.type === '@xstate.snapshot').map((record) => record.actorId).slice(0, 3),
    [h.manager.actor.id, 'id-web', 'id-db'],
    'then every live actor as it is now',
  );
  assert.ok(current.every((record) => record.replay === true));
  subscription.close();
  counting.close();
  h.dispose();
});
