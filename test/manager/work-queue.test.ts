import { test } from 'node:test';
import assert from 'node:assert/strict';
import { simulatedManager } from '../helpers/simulated-manager.js';

test('periodic resync runs the sync hook with updateType sync every resync interval', async (t) => {
  const h = simulatedManager({ resyncIntervalMs: 1_000 });
  t.after(() => h.dispose());
  h.manager.updateProcess({ id: 'a', type: 'create' });
  await h.advance(3_000);
  const syncs = h.syncer.of('a', 'sync');
  assert.deepEqual(syncs.map((c) => c.updateType), ['create', 'sync', 'sync', 'sync']);
  assert.deepEqual(syncs.map((c) => c.at), [0, 1_000, 2_000, 3_000]);
});

test('errors back off exponentially with jitter from 1 s up to the backoff period', async (t) => {
  const h = simulatedManager({ backoffPeriodMs: 5_000 });
  t.after(() => h.dispose());
  h.syncer.onSync = () => {
    throw new Error('down');
  };
  h.manager.updateProcess({ id: 'a', type: 'create' });
  await h.advance(30_000, 10);
  const times = h.syncer.of('a', 'sync').map((c) => c.at);
  const gaps = times.slice(1).map((at, i) => at - times[i]!);
  const ceilings = [1_000, 2_000, 4_000, 5_000, 5_000, 5_000];
  assert.ok(gaps.length >= ceilings.length, `only ${gaps.length} retries in 30 s`);
  ceilings.forEach((ceiling, i) => {
    // Steps of 10 ms: a retry fires at the first step at or after its due time.
    assert.ok(gaps[i]! <= ceiling + 10 && gaps[i]! >= ceiling * 0.8, `retry ${i + 1} after ${gaps[i]} ms`);
  });
  assert.ok(new Set(gaps.slice(3)).size > 1, 'capped retries are still jittered');
});

test('a sync that reports a cancellation is retried fast, not backed off', async (t) => {
  const h = simulatedManager();
  t.after(() => h.dispose());
  let first = true;
  h.syncer.onSync = () => {
    if (first) {
      first = false;
      throw new DOMException('the backend cancelled the call', 'AbortError');
    }
  };
  h.manager.updateProcess({ id: 'a', type: 'create' });
  await h.advance(100, 10);
  const times = h.syncer.of('a', 'sync').map((c) => c.at);
  assert.deepEqual(times, [0, 100]);
  assert.equal(h.manager.getProcessStatus('a')?.errorCount, 0);
  assert.equal(h.manager.getProcessStatus('a')?.phase, 'syncing');
});

test('phase transitions requeue with no delay: create to finished takes no simulated time', async (t) => {
  const h = simulatedManager();
  t.after(() => h.dispose());
  h.manager.updateProcess({ id: 'a', type: 'create' });
  await h.advance(0);
  assert.equal(h.manager.getProcessStatus('a')?.phase, 'syncing');
  h.manager.updateProcess({ id: 'a', type: 'terminate' });
  await h.advance(0);
  assert.equal(h.manager.getProcessStatus('a')?.phase, 'finished');
  assert.equal(h.clock.now(), 0);
});

test('a failed terminating hook is retried with backoff within the grace period', async (t) => {
  const h = simulatedManager();
  t.after(() => h.dispose());
  let failures = 1;
  h.syncer.onTerminating = () => {
    if (failures-- > 0) throw new Error('flush failed');
  };
  h.manager.updateProcess({ id: 'a', type: 'create' });
  await h.advance(0);
  h.manager.updateProcess({ id: 'a', type: 'terminate', terminate: { gracePeriodSecs: 10 } });
  await h.advance(1_000);
  assert.equal(h.syncer.of('a', 'terminating').length, 2);
  assert.equal(h.manager.isProcessFinished('a'), true);
  assert.equal(h.manager.getProcessStatus('a')?.errorCount, 1);
});
