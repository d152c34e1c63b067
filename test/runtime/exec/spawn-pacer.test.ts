/**
 * SpawnPacer: a few spawns per loop turn, restarts at the daemon-wide rate, starts never behind
 * the rate. Time for the token bucket is injected; turns are real setImmediate turns.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SpawnPacer } from '../../../src/runtime/exec/spawn-pacer.js';

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));
const deadline = { timeout: 10_000 };

function tracked(pacer: SpawnPacer, kind: 'start' | 'restart', count: number, signal = new AbortController().signal) {
  const done: number[] = [];
  const all = Array.from({ length: count }, (_, i) => pacer.admit(kind, signal).then(() => void done.push(i)));
  return { done, all };
}

describe('SpawnPacer', () => {
  test('lets at most perTurn spawns through per loop turn, in order', deadline, async () => {
    const pacer = new SpawnPacer({ restartsPerSecond: 0, perTurn: 3 });
    const { done, all } = tracked(pacer, 'start', 7);
    await turn();
    assert.deepEqual(done, [0, 1, 2]);
    await turn();
    assert.deepEqual(done, [0, 1, 2, 3, 4, 5]);
    await Promise.all(all);
    assert.deepEqual(done, [0, 1, 2, 3, 4, 5, 6]);
  });

  test('restarts beyond the rate wait for tokens and are counted; one second later the rest go', deadline, async () => {
    let now = 0;
    const pacer = new SpawnPacer({ restartsPerSecond: 5, perTurn: 100, now: () => now });
    const { done, all } = tracked(pacer, 'restart', 8);
    await turn();
    assert.equal(done.length, 5, 'the burst is one second of the rate');
    assert.deepEqual(pacer.stats, { restartRateLimit: 5, restartsDelayed: 3, waiting: 3 });
    now = 1_000;
    await Promise.all(all);
    assert.equal(done.length, 8);
    assert.equal(pacer.stats.waiting, 0);
  });

  test('a start never waits for the restart rate, and goes before waiting restarts', deadline, async () => {
    const now = 0;
    const pacer = new SpawnPacer({ restartsPerSecond: 1, perTurn: 2, now: () => now });
    const stop = new AbortController();
    const restarts = tracked(pacer, 'restart', 3, stop.signal);
    const starts = tracked(pacer, 'start', 3);
    await turn();
    assert.deepEqual(starts.done, [0, 1], 'starts first, perTurn of them');
    assert.deepEqual(restarts.done, []);
    await turn();
    assert.deepEqual(starts.done, [0, 1, 2]);
    assert.deepEqual(restarts.done, [0], 'then the one token');
    await turn();
    assert.deepEqual(restarts.done, [0], 'the others wait for the rate');
    stop.abort(new Error('done'));
    await Promise.allSettled(restarts.all);
  });

  test('an aborted wait leaves the queue and rejects with the reason', deadline, async () => {
    const pacer = new SpawnPacer({ restartsPerSecond: 1, perTurn: 10, now: () => 0 });
    await pacer.admit('restart', new AbortController().signal);
    const controller = new AbortController();
    const waiting = pacer.admit('restart', controller.signal);
    await turn();
    assert.equal(pacer.stats.waiting, 1);
    controller.abort(new Error('stopped'));
    await assert.rejects(waiting, /stopped/);
    assert.equal(pacer.stats.waiting, 0);
  });

  test('a bad rate is refused naming it', deadline, () => {
    assert.throws(() => new SpawnPacer({ restartsPerSecond: -1 }), /restart rate: got -1/);
    assert.throws(() => new SpawnPacer({ restartsPerSecond: 1, perTurn: 0 }), /spawns per turn/);
  });
});
