/**
 * The chart watch: moves only when the leaf states change, each with the event named for a
 * person, and the actor system observed only while some page watches.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { InspectionEvent } from 'xstate';
import { ChartWatch } from '../../src/server/http/chart-watch.js';

function fakeSystem() {
  const listeners = new Set<(event: InspectionEvent) => void>();
  return {
    system: {
      observe(listener: (event: InspectionEvent) => void) {
        listeners.add(listener);
        return { close: () => void listeners.delete(listener) };
      },
    },
    get observers() {
      return listeners.size;
    },
    snapshot(id: string, event: Record<string, unknown>, value: unknown) {
      const inspection = { type: '@xstate.snapshot', actorRef: { id }, event, snapshot: { value } } as unknown as InspectionEvent;
      for (const listener of listeners) listener(inspection);
    },
  };
}

test('a move is a change of leaf states, with the event that made it; other actors and context-only steps are not moves', () => {
  const s = fakeSystem();
  const watch = new ChartWatch(s.system, () => 42);
  const seen: string[] = [];
  const stop = watch.watch('p1', ['syncing.sync.awaitingUpdate'], (move) => seen.push(`${move.event}: ${move.from.join(',')} → ${move.to.join(',')}`));
  s.snapshot('p2', { type: 'workload.exited', exitCode: 3 }, { terminating: 'stopHook' });
  s.snapshot('p1', { type: 'usage.sampled' }, { syncing: { sync: 'awaitingUpdate' } });
  s.snapshot('p1', { type: 'workload.exited', exitCode: 3 }, { terminating: 'stopHook' });
  s.snapshot('p1', { type: 'xstate.after.restartDelay.process.terminated.restartDelay' }, { starting: 'syncHook' });
  assert.deepEqual(seen, [
    'workload.exited code=3: syncing.sync.awaitingUpdate → terminating.stopHook',
    'after restartDelay: terminating.stopHook → starting.syncHook',
  ]);
  assert.deepEqual(watch.movesOf('p1')[0], { at: 42, event: 'workload.exited code=3', from: ['syncing.sync.awaitingUpdate'], to: ['terminating.stopHook'] });
  stop();
});

test('the actor system is observed only while some page watches', () => {
  const s = fakeSystem();
  const watch = new ChartWatch(s.system, () => 0);
  assert.equal(s.observers, 0);
  const a = watch.watch('p1', [], () => {});
  const b = watch.watch('p2', [], () => {});
  assert.equal(s.observers, 1, 'one observer for every page');
  a();
  assert.equal(watch.observing, true);
  b();
  assert.equal(s.observers, 0);
  assert.equal(watch.observing, false);
  assert.deepEqual(watch.movesOf('p1'), [], 'forgotten with its last page');
});
