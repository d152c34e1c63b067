import { test } from 'node:test';
import assert from 'node:assert/strict';
import { simulatedManager, untilAborted } from '../helpers/simulated-manager.js';
import { ShutdownDeadlineError, hasCode, type TerminationResult } from '../../src/index.js';

test('rule 7: shutdown terminates every process through its terminating hook and resolves', async (t) => {
  const h = simulatedManager();
  t.after(() => h.dispose());
  for (const id of ['a', 'b', 'c']) h.manager.updateProcess({ id, type: 'create' });
  await h.advance(0);
  const done = h.manager.shutdown({ timeoutMs: 10_000 });
  await h.advance(0);
  await done;
  for (const id of ['a', 'b', 'c']) {
    assert.deepEqual(h.syncer.of(id).map((c) => c.hook), ['sync', 'terminating', 'terminated']);
    assert.equal(h.syncer.of(id, 'terminating')[0]!.gracePeriodSecs, 8, 'grace fits inside the deadline');
  }
  assert.equal(h.manager.actor.getSnapshot().status, 'done');
});

test('shutdown past its deadline rejects with the processes still terminating, and settles their callbacks', async (t) => {
  const h = simulatedManager();
  t.after(() => h.dispose());
  h.syncer.onTerminated = (call) => (call.id === 'stuck' ? untilAborted(call.signal) : undefined);
  const results: TerminationResult[] = [];
  for (const id of ['fine', 'stuck']) h.manager.updateProcess({ id, type: 'create' });
  await h.advance(0);
  h.manager.updateProcess({ id: 'stuck', type: 'terminate', terminate: { onCompleted: (r) => results.push(r) } });
  await h.advance(0);
  const done = h.manager.shutdown({ timeoutMs: 5_000 });
  const outcome = done.then(
    () => undefined,
    (error: unknown) => error,
  );
  await h.advance(5_000);
  const error = await outcome;
  assert.ok(error instanceof ShutdownDeadlineError, `got ${String(error)}`);
  assert.ok(hasCode(error, 'E_SHUTDOWN_DEADLINE'));
  assert.deepEqual(error.pending, ['stuck']);
  assert.deepEqual(results, [{ id: 'stuck', completed: false }]);
  assert.equal(h.syncer.of('stuck', 'terminated')[0]!.signal.aborted, true, 'the stuck hook was cancelled');
});

test('shutdown with nothing running resolves at once, and a second call returns the same promise', async () => {
  const h = simulatedManager();
  const first = h.manager.shutdown();
  assert.equal(h.manager.shutdown(), first);
  await first;
});

test('updates after shutdown began are ignored', async (t) => {
  const h = simulatedManager();
  t.after(() => h.dispose());
  h.syncer.onTerminating = (call) => untilAborted(call.signal);
  h.manager.updateProcess({ id: 'a', type: 'create' });
  await h.advance(0);
  const done = h.manager.shutdown({ timeoutMs: 3_000 });
  h.manager.updateProcess({ id: 'late', type: 'create' });
  await h.advance(3_000);
  await done;
  assert.equal(h.syncer.of('late').length, 0);
});

test('syncKnownProcesses terminates orphans promptly and purges finished unknown processes', async (t) => {
  const h = simulatedManager();
  t.after(() => h.dispose());
  for (const id of ['keep', 'orphan', 'done']) h.manager.updateProcess({ id, type: 'create' });
  await h.advance(0);
  h.manager.updateProcess({ id: 'done', type: 'terminate' });
  await h.advance(0);
  const phases = h.manager.syncKnownProcesses(['keep']);
  assert.deepEqual(Object.keys(phases).sort(), ['keep', 'orphan']);
  assert.equal(h.manager.getProcessStatus('done'), undefined, 'finished unknown process purged');
  await h.advance(0);
  assert.equal(h.syncer.of('orphan', 'terminating').length, 1, 'orphan terminated without waiting for time');
  assert.equal(h.manager.isProcessFinished('orphan'), true);
  assert.equal(h.manager.getProcessStatus('keep')?.phase, 'syncing');
  // The next sweep forgets the orphan, now finished.
  assert.deepEqual(Object.keys(h.manager.syncKnownProcesses(['keep'])), ['keep']);
  // A purged id can be created again as a new process.
  h.manager.updateProcess({ id: 'done', type: 'create' });
  await h.advance(0);
  assert.equal(h.manager.getProcessStatus('done')?.phase, 'syncing');
});
