/**
 * The chart watch: leaf paths from a snapshot's value, moves only when the leaf states change,
 * and the actor system observed only while some page watches.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { InspectionEvent, Observer } from 'xstate';
import { ChartWatch, leafPaths } from '../../src/server/http/chart-watch.js';

test('leaf paths: a string, nested states, parallel regions', () => {
  assert.deepEqual(leafPaths('finished'), ['finished']);
  assert.deepEqual(leafPaths({ terminated: 'restartDelay' }), ['terminated.restartDelay']);
  assert.deepEqual(leafPaths({ syncing: { sync: 'awaitingUpdate', health: 'off' } }), ['syncing.sync.awaitingUpdate', 'syncing.health.off']);
  assert.deepEqual(leafPaths(undefined), []);
  assert.deepEqual(leafPaths({}), []);
});

function fakeSystem() {
  const observers = new Set<Observer<InspectionEvent>>();
  return {
    system: {
      inspect(observer: Observer<InspectionEvent>) {
        observers.add(observer);
        return { unsubscribe: () => void observers.delete(observer) };
      },
    },
    get observers() {
      return observers.size;
    },
    snapshot(id: string, event: string, value: unknown) {
      const inspection = { type: '@xstate.snapshot', actorRef: { id }, event: { type: event }, snapshot: { value } } as unknown as InspectionEvent;
      for (const observer of observers) observer.next?.(inspection);
    },
  };
}

test('a move is a change of leaf states, with the event that made it; other actors and context-only steps are not moves', () => {
  const s = fakeSystem();
  const watch = new ChartWatch(s.system, () => 42);
  const seen: string[] = [];
  const stop = watch.watch('p1', ['syncing.sync.awaitingUpdate'], (move) => seen.push(`${move.event}: ${move.from.join(',')} → ${move.to.join(',')}`));
  s.snapshot('p2', 'workload.exited', { terminating: 'stopHook' });
  s.snapshot('p1', 'usage.sampled', { syncing: { sync: 'awaitingUpdate' } });
  s.snapshot('p1', 'workload.exited', { terminating: 'stopHook' });
  assert.deepEqual(seen, ['workload.exited: syncing.sync.awaitingUpdate → terminating.stopHook']);
  assert.deepEqual(watch.movesOf('p1'), [{ at: 42, event: 'workload.exited', from: ['syncing.sync.awaitingUpdate'], to: ['terminating.stopHook'] }]);
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
