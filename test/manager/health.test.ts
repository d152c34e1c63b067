import { test } from 'node:test';
import assert from 'node:assert/strict';
import { simulatedManager, untilAborted } from '../helpers/simulated-manager.js';

test('health counts running processes and a queue entry for each waiting resync', async (t) => {
  const h = simulatedManager();
  t.after(() => h.dispose());
  for (const id of ['a', 'b', 'c']) h.manager.updateProcess({ id, type: 'create' });
  const queuedAtCreate = h.manager.health().workQueueDepth;
  assert.equal(queuedAtCreate, 3, 'creates wait in the queue');
  await h.advance(2_000);
  const health = h.manager.health();
  assert.deepEqual(
    { total: health.total, running: health.running, failed: health.failed, queue: health.workQueueDepth },
    { total: 3, running: 3, failed: 0, queue: 3 },
  );
  assert.equal(health.processes.a?.state, 'Syncing');
  assert.equal(health.processes.a?.uptimeMs, 2_000);
  assert.equal(health.processes.a?.lastSyncAt, 0);
});

test('health reports errors: a failing process is failed and unhealthy while it backs off', async (t) => {
  const h = simulatedManager();
  t.after(() => h.dispose());
  h.syncer.onSync = (call) => {
    if (call.id === 'bad') throw new Error('boom');
  };
  h.manager.updateProcess({ id: 'good', type: 'create' });
  h.manager.updateProcess({ id: 'bad', type: 'create' });
  await h.advance(0);
  const health = h.manager.health();
  assert.equal(health.failed, 1);
  assert.equal(health.running, 1);
  assert.equal(health.processes.bad?.healthy, false);
  assert.equal(health.processes.bad?.errorCount, 1);
  assert.equal(health.processes.bad?.queued, true, 'the retry waits in the queue');
});

test('health counts terminating processes', async (t) => {
  const h = simulatedManager();
  t.after(() => h.dispose());
  h.syncer.onTerminating = (call) => untilAborted(call.signal);
  h.manager.updateProcess({ id: 'a', type: 'create' });
  h.manager.updateProcess({ id: 'b', type: 'create' });
  await h.advance(0);
  h.manager.updateProcess({ id: 'a', type: 'terminate', terminate: { gracePeriodSecs: 5 } });
  await h.advance(0);
  const health = h.manager.health();
  assert.equal(health.terminating, 1);
  assert.equal(health.running, 1);
  assert.equal(health.processes.a?.state, 'Terminating');
  await h.advance(5_000);
  assert.equal(h.manager.health().terminating, 0);
  assert.equal(h.manager.health().processes.a?.state, 'Finished');
});

test('a process in restart backoff is queued and counts its restarts', async (t) => {
  const h = simulatedManager({ restart: { policy: 'always', delayMs: 2_000, startLimitBurst: 0 } });
  t.after(() => h.dispose());
  h.syncer.onSync = () => ({ terminal: true });
  h.manager.updateProcess({ id: 'a', type: 'create' });
  await h.advance(0);
  const status = h.manager.getProcessStatus('a')!;
  assert.equal(status.phase, 'terminated');
  assert.equal(status.queued, true);
  assert.equal(status.restartCount, 1);
  await h.advance(2_000);
  assert.equal(h.manager.getProcessStatus('a')?.runCount, 2);
});
