/**
 * The rules procmgr's own suite fails (DESIGN.md rules 3–7), each pinned here.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { simulatedManager, untilAborted } from '../helpers/simulated-manager.js';
import type { TerminationResult } from '../../src/index.js';

test('rule 3: a shorter grace period cancels the running terminating hook and re-runs it with the new value', async (t) => {
  const h = simulatedManager();
  t.after(() => h.dispose());
  h.syncer.onTerminating = (call) => untilAborted(call.signal);
  h.manager.updateProcess({ id: 'a', type: 'create' });
  await h.advance(0);
  h.manager.updateProcess({ id: 'a', type: 'terminate', terminate: { gracePeriodSecs: 30 } });
  await h.advance(0);
  h.manager.updateProcess({ id: 'a', type: 'terminate', terminate: { gracePeriodSecs: 5 } });
  await h.advance(0);
  const calls = h.syncer.of('a', 'terminating');
  assert.deepEqual(calls.map((c) => c.gracePeriodSecs), [30, 5]);
  assert.equal(calls[0]!.signal.aborted, true, 'the longer hook was cancelled');
  assert.equal(calls[1]!.signal.aborted, false);
  // The new grace period also bounds the phase: 5 s after the shortening, the chart moves on.
  await h.advance(4_900);
  assert.equal(h.manager.getProcessStatus('a')?.phase, 'terminating');
  await h.advance(200);
  assert.equal(calls[1]!.signal.aborted, true, 'the hook was abandoned when the grace period ended');
  assert.equal(h.manager.isProcessFinished('a'), true);
});

test('rule 3: a longer grace period changes nothing, and none goes below 1 s', async (t) => {
  const h = simulatedManager();
  t.after(() => h.dispose());
  h.syncer.onTerminating = (call) => untilAborted(call.signal);
  h.manager.updateProcess({ id: 'a', type: 'create' });
  await h.advance(0);
  h.manager.updateProcess({ id: 'a', type: 'terminate', terminate: { gracePeriodSecs: 10 } });
  h.manager.updateProcess({ id: 'a', type: 'terminate', terminate: { gracePeriodSecs: 60 } });
  await h.advance(0);
  assert.deepEqual(h.syncer.of('a', 'terminating').map((c) => c.gracePeriodSecs), [10]);
  h.manager.updateProcess({ id: 'a', type: 'terminate', terminate: { gracePeriodSecs: 0 } });
  await h.advance(0);
  assert.deepEqual(h.syncer.of('a', 'terminating').map((c) => c.gracePeriodSecs), [10, 1]);
  assert.equal(h.manager.getProcessStatus('a')?.gracePeriodSecs, 1);
});

test('rule 3: after 10 s then 60 s, a 20 s grace period is still longer than 10 s: the hook is not re-run, and 10 s bound the phase', async (t) => {
  // Regression (planted): a longer grace period replaced the current one (10 → 60), so a later
  // 20 s looked shorter and re-ran the hook with 20 s, and the phase outlived its 10 s.
  const h = simulatedManager();
  t.after(() => h.dispose());
  h.syncer.onTerminating = (call) => untilAborted(call.signal);
  h.manager.updateProcess({ id: 'a', type: 'create' });
  await h.advance(0);
  for (const gracePeriodSecs of [10, 60, 20]) {
    h.manager.updateProcess({ id: 'a', type: 'terminate', terminate: { gracePeriodSecs } });
    await h.advance(0);
  }
  assert.deepEqual(h.syncer.of('a', 'terminating').map((c) => c.gracePeriodSecs), [10]);
  assert.equal(h.manager.getProcessStatus('a')?.gracePeriodSecs, 10);
  await h.advance(9_900);
  assert.equal(h.manager.getProcessStatus('a')?.phase, 'terminating');
  await h.advance(200);
  assert.equal(h.manager.isProcessFinished('a'), true, 'the phase ended 10 s after the first terminate');
});

test('rule 2: once terminating, an update is a terminate: no sync hook runs again', async (t) => {
  const h = simulatedManager();
  t.after(() => h.dispose());
  h.syncer.onTerminating = (call) => untilAborted(call.signal);
  h.manager.updateProcess({ id: 'a', type: 'create', config: 1 });
  await h.advance(0);
  h.manager.updateProcess({ id: 'a', type: 'terminate', terminate: { gracePeriodSecs: 2 } });
  h.manager.updateProcess({ id: 'a', type: 'update', config: 2 });
  await h.advance(3_000);
  assert.equal(h.syncer.of('a', 'sync').length, 1);
  assert.deepEqual(h.syncer.of('a', 'terminated')[0]?.config, 2, 'the newest config is still handed over');
});

test('rule 4: every terminate completion callback fires exactly once', async (t) => {
  const h = simulatedManager();
  t.after(() => h.dispose());
  h.syncer.onTerminating = (call) => untilAborted(call.signal);
  const results: TerminationResult[] = [];
  const onCompleted = (r: TerminationResult) => results.push(r);
  h.manager.updateProcess({ id: 'a', type: 'create' });
  await h.advance(0);
  h.manager.updateProcess({ id: 'a', type: 'terminate', terminate: { gracePeriodSecs: 10, onCompleted } });
  h.manager.updateProcess({ id: 'a', type: 'terminate', terminate: { gracePeriodSecs: 5, onCompleted } });
  h.manager.updateProcess({ id: 'a', type: 'terminate', terminate: { onCompleted } });
  await h.advance(0);
  assert.equal(results.length, 0, 'nothing completes before termination does');
  await h.advance(6_000);
  assert.equal(results.length, 3);
  // After finished, and for an unknown id, the callback still fires once.
  h.manager.updateProcess({ id: 'a', type: 'terminate', terminate: { onCompleted } });
  h.manager.updateProcess({ id: 'ghost', type: 'terminate', terminate: { onCompleted } });
  await h.advance(0);
  await h.advance(10_000);
  assert.equal(results.length, 5);
  assert.deepEqual(
    results.map((r) => [r.id, r.completed]),
    [
      ['a', true],
      ['a', true],
      ['a', true],
      ['a', true],
      ['ghost', true],
    ],
  );
});

test('rule 5: terminal true from a resync starts termination at once, without waiting for the next resync', async (t) => {
  const h = simulatedManager({ resyncIntervalMs: 10_000 });
  t.after(() => h.dispose());
  h.syncer.onSync = (call) => ({ terminal: call.updateType === 'sync' });
  h.manager.updateProcess({ id: 'a', type: 'create' });
  await h.advance(10_000);
  const sync = h.syncer.of('a', 'sync')[1]!;
  const terminating = h.syncer.of('a', 'terminating')[0];
  assert.ok(terminating, 'terminating hook did not run');
  assert.equal(terminating.at, sync.at, 'termination waited for the clock');
  assert.equal(h.manager.isProcessFinished('a'), true);
  assert.equal(h.manager.getProcessStatus('a')?.outcome, 'exited');
});

test('rule 6: a process terminated before its first sync never runs the sync hook', async (t) => {
  const h = simulatedManager();
  t.after(() => h.dispose());
  h.manager.updateProcess({ id: 'a', type: 'create' });
  h.manager.updateProcess({ id: 'a', type: 'terminate' });
  await h.advance(0);
  assert.equal(h.syncer.of('a', 'sync').length, 0);
  assert.deepEqual(h.syncer.of('a').map((c) => c.hook), ['terminating', 'terminated']);
  assert.equal(h.manager.isProcessFinished('a'), true);
});

test('the terminating hook can report progress to the terminate caller', async (t) => {
  const h = simulatedManager();
  t.after(() => h.dispose());
  const messages: (string | undefined)[] = [];
  h.syncer.onTerminating = (call) => {
    call.reporter?.({ message: 'draining connections' });
  };
  h.manager.updateProcess({ id: 'a', type: 'create' });
  await h.advance(0);
  h.manager.updateProcess({
    id: 'a',
    type: 'terminate',
    terminate: { onStatus: (status) => messages.push(`${status.state}: ${status.message}`) },
  });
  await h.advance(0);
  assert.deepEqual(messages, ['Terminating: draining connections']);
});
