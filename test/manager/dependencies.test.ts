/**
 * The embedding contract's awaitDependencies hook: a syncer that implements it holds each run of
 * a process given `settings.awaitsDependencies` in starting.waitingForDependencies until it says
 * ready or failed; one that does not implement it waits for nothing. On a SimulatedClock.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { simulatedManager } from '../helpers/simulated-manager.js';
import type { DependenciesContext } from '../../src/index.js';

test('a syncer without awaitDependencies: a process that awaits dependencies starts at once', async () => {
  const h = simulatedManager();
  h.manager.updateProcess({ id: 'a', type: 'create', settings: { awaitsDependencies: true } });
  await h.advance(0);
  assert.equal(h.manager.getProcessStatus('a')?.phase, 'syncing');
  h.dispose();
});

test("a syncer's awaitDependencies holds the run, shows its wait, and a failure ends it FAILED; late reports are dropped", async () => {
  const h = simulatedManager();
  let context: DependenciesContext | undefined;
  let cleanedUp = 0;
  Object.assign(h.syncer, {
    awaitDependencies(c: DependenciesContext) {
      context = c;
      return () => (cleanedUp += 1);
    },
  });
  h.manager.updateProcess({ id: 'a', type: 'create', settings: { awaitsDependencies: true } });
  await h.advance(0);
  assert.equal(context?.id, 'a');
  context!.waiting('db (healthy)');
  assert.equal(h.manager.getProcessSnapshot('a')?.context.waitingFor, 'db (healthy)');
  assert.equal(h.syncer.calls.filter((c) => c.hook === 'sync').length, 0);
  context!.failed('requirement db failed: it is FAILED');
  context!.ready();
  await h.advance(0);
  const status = h.manager.getProcessStatus('a')!;
  assert.equal(status.outcome, 'failed');
  assert.equal(status.lastError, 'requirement db failed: it is FAILED');
  assert.equal(h.syncer.calls.filter((c) => c.hook === 'sync').length, 0);
  assert.equal(cleanedUp, 1);
  h.dispose();
});
