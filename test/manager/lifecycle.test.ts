import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deferred, simulatedManager, untilAborted } from '../helpers/simulated-manager.js';

test('create runs the sync hook once with updateType create and reaches syncing', async (t) => {
  const h = simulatedManager();
  t.after(() => h.dispose());
  h.manager.updateProcess({ id: 'a', type: 'create', config: { port: 1 } });
  await h.advance(0);
  const calls = h.syncer.of('a', 'sync');
  assert.equal(calls.length, 1);
  assert.equal(calls[0]!.updateType, 'create');
  assert.deepEqual(calls[0]!.config, { port: 1 });
  assert.equal(h.manager.getProcessStatus('a')?.state, 'Syncing');
  assert.equal(h.manager.getProcessStatus('a')?.healthy, true);
});

test('update syncs the new config with updateType update', async (t) => {
  const h = simulatedManager();
  t.after(() => h.dispose());
  h.manager.updateProcess({ id: 'a', type: 'create', config: { v: 1 } });
  await h.advance(0);
  h.manager.updateProcess({ id: 'a', type: 'update', config: { v: 2 } });
  await h.advance(0);
  const calls = h.syncer.of('a', 'sync');
  assert.deepEqual(
    calls.map((c) => [c.updateType, c.config]),
    [
      ['create', { v: 1 }],
      ['update', { v: 2 }],
    ],
  );
});

test('graceful termination runs the terminating hook with the grace period, then the cleanup hook', async (t) => {
  const h = simulatedManager();
  t.after(() => h.dispose());
  h.manager.updateProcess({ id: 'a', type: 'create', config: { v: 1 } });
  await h.advance(0);
  let completed = 0;
  h.manager.updateProcess({
    id: 'a',
    type: 'terminate',
    terminate: { gracePeriodSecs: 5, onCompleted: () => (completed += 1) },
  });
  await h.advance(0);
  const terminating = h.syncer.of('a', 'terminating');
  assert.equal(terminating.length, 1);
  assert.equal(terminating[0]!.gracePeriodSecs, 5);
  assert.deepEqual(terminating[0]!.config, { v: 1 }, 'a terminate without config hands over the last config');
  assert.equal(h.syncer.of('a', 'terminated').length, 1);
  assert.equal(completed, 1);
  assert.equal(h.manager.isProcessFinished('a'), true);
  assert.equal(h.manager.isProcessTerminated('a'), true);
  assert.equal(h.manager.getProcessStatus('a')?.outcome, 'stopped');
});

test('the termination phases run in order, each hook exactly once', async (t) => {
  const h = simulatedManager();
  t.after(() => h.dispose());
  const phases: string[] = [];
  h.manager.actor.on('phase.changed', (fact) => {
    if (fact.type === 'phase.changed') phases.push(fact.phase);
  });
  h.manager.updateProcess({ id: 'a', type: 'create' });
  await h.advance(0);
  h.manager.updateProcess({ id: 'a', type: 'terminate' });
  await h.advance(0);
  assert.deepEqual(phases, ['starting', 'syncing', 'terminating', 'terminated', 'finished']);
  assert.deepEqual(
    h.syncer.of('a').map((c) => c.hook),
    ['sync', 'terminating', 'terminated'],
  );
});

test('a terminate cancels an in-flight sync: its signal aborts and termination proceeds', async (t) => {
  const h = simulatedManager();
  t.after(() => h.dispose());
  h.syncer.onSync = (call) => untilAborted(call.signal);
  h.manager.updateProcess({ id: 'a', type: 'create' });
  await h.advance(0);
  const sync = h.syncer.of('a', 'sync')[0]!;
  assert.equal(sync.signal.aborted, false);
  h.manager.updateProcess({ id: 'a', type: 'terminate' });
  await h.advance(0);
  assert.equal(sync.signal.aborted, true);
  assert.equal(h.syncer.of('a', 'terminating').length, 1);
  assert.equal(h.manager.isProcessFinished('a'), true);
  assert.equal(h.manager.getProcessStatus('a')?.errorCount, 0, 'a cancellation by terminate is not an error');
});

test('10 processes run concurrently, each with its own syncs', async (t) => {
  const h = simulatedManager();
  t.after(() => h.dispose());
  const gate = deferred();
  h.syncer.onSync = () => gate.promise;
  for (let i = 0; i < 10; i += 1) h.manager.updateProcess({ id: `p${i}`, type: 'create', config: i });
  await h.advance(0);
  assert.equal(h.syncer.calls.length, 10, 'all ten syncs are in flight at once');
  gate.resolve();
  await h.advance(0);
  const health = h.manager.health();
  assert.equal(health.total, 10);
  assert.equal(health.running, 10);
});

test('concurrent updates coalesce: only the newest pending update is synced after the one in flight', async (t) => {
  const h = simulatedManager();
  t.after(() => h.dispose());
  const gate = deferred();
  h.syncer.onSync = (call) => (call.updateType === 'create' ? gate.promise : undefined);
  h.manager.updateProcess({ id: 'a', type: 'create', config: 0 });
  await h.advance(0);
  for (let v = 1; v <= 5; v += 1) h.manager.updateProcess({ id: 'a', type: 'update', config: v });
  gate.resolve();
  await h.advance(0);
  assert.deepEqual(
    h.syncer.of('a', 'sync').map((c) => [c.updateType, c.config]),
    [
      ['create', 0],
      ['update', 5],
    ],
  );
});

test('a pending config change is not downgraded by a later plain sync', async (t) => {
  const h = simulatedManager();
  t.after(() => h.dispose());
  const gate = deferred();
  h.syncer.onSync = (call) => (call.updateType === 'create' ? gate.promise : undefined);
  h.manager.updateProcess({ id: 'a', type: 'create', config: 0 });
  await h.advance(0);
  h.manager.updateProcess({ id: 'a', type: 'update', config: 1 });
  h.manager.updateProcess({ id: 'a', type: 'sync' });
  gate.resolve();
  await h.advance(0);
  assert.deepEqual(h.syncer.of('a', 'sync').at(-1)?.updateType, 'update');
  assert.deepEqual(h.syncer.of('a', 'sync').at(-1)?.config, 1);
});

test('sync errors are counted and the process recovers', async (t) => {
  const h = simulatedManager();
  t.after(() => h.dispose());
  let failures = 3;
  h.syncer.onSync = () => {
    if (failures-- > 0) throw new Error('backend unreachable');
  };
  h.manager.updateProcess({ id: 'a', type: 'create' });
  await h.advance(0);
  assert.equal(h.manager.getProcessStatus('a')?.errorCount, 1);
  assert.equal(h.manager.getProcessStatus('a')?.lastError, 'backend unreachable');
  assert.equal(h.manager.getProcessStatus('a')?.healthy, false);
  await h.advance(10_000);
  const status = h.manager.getProcessStatus('a')!;
  assert.equal(status.errorCount, 3);
  assert.equal(status.state, 'Syncing');
  assert.equal(status.healthy, true);
});

test('an update after finished is ignored', async (t) => {
  const h = simulatedManager();
  t.after(() => h.dispose());
  h.manager.updateProcess({ id: 'a', type: 'create' });
  await h.advance(0);
  h.manager.updateProcess({ id: 'a', type: 'terminate' });
  await h.advance(0);
  const before = h.syncer.calls.length;
  h.manager.updateProcess({ id: 'a', type: 'update', config: 'new' });
  h.manager.updateProcess({ id: 'a', type: 'create', config: 'new' });
  await h.advance(20_000);
  assert.equal(h.syncer.calls.length, before);
  assert.equal(h.manager.isProcessFinished('a'), true);
});

test('a churn of 50 create/terminate pairs finishes every process and completes every terminate once', async (t) => {
  const h = simulatedManager();
  t.after(() => h.dispose());
  const completions = new Map<string, number>();
  for (let i = 0; i < 50; i += 1) {
    const id = `churn-${i}`;
    h.manager.updateProcess({ id, type: 'create', config: i });
    // Half are terminated before their first sync, half after it.
    if (i % 2 === 0) await h.advance(0);
    h.manager.updateProcess({
      id,
      type: 'terminate',
      terminate: { onCompleted: () => completions.set(id, (completions.get(id) ?? 0) + 1) },
    });
  }
  await h.advance(0);
  for (let i = 0; i < 50; i += 1) {
    const id = `churn-${i}`;
    assert.equal(h.manager.isProcessFinished(id), true, `${id} not finished`);
    assert.equal(completions.get(id), 1, `${id} completed ${completions.get(id)} times`);
    assert.equal(h.syncer.of(id, 'sync').length, i % 2 === 0 ? 1 : 0);
  }
});
