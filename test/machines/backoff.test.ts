import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backoffCeiling, backoffDelay, nextSeed, sampleOf } from '../../src/machines/backoff.js';

const options = { baseMs: 1_000, capMs: 10_000, jitter: 0.2 };

test('the ceiling doubles from the base and stops at the cap', () => {
  assert.deepEqual(
    [1, 2, 3, 4, 5, 6, 50, 5000].map((n) => backoffCeiling(n, options)),
    [1_000, 2_000, 4_000, 8_000, 10_000, 10_000, 10_000, 10_000],
  );
});

test('jittered delays stay within [ceiling·(1−jitter), ceiling] and never pass the cap', () => {
  let seed = 7;
  for (let attempt = 1; attempt <= 40; attempt += 1) {
    for (let i = 0; i < 50; i += 1) {
      seed = nextSeed(seed);
      const delay = backoffDelay(attempt, options, sampleOf(seed));
      const ceiling = backoffCeiling(attempt, options);
      assert.ok(delay <= ceiling && delay <= options.capMs, `${delay} > ${ceiling}`);
      assert.ok(delay >= Math.floor(ceiling * 0.8), `${delay} < 0.8·${ceiling}`);
    }
  }
});

test('jitter spreads delays: one attempt number gives many different delays', () => {
  let seed = 1;
  const delays = new Set<number>();
  for (let i = 0; i < 100; i += 1) {
    seed = nextSeed(seed);
    delays.add(backoffDelay(3, options, sampleOf(seed)));
  }
  assert.ok(delays.size > 50, `only ${delays.size} distinct delays`);
});

test('the PRNG never reaches 0 and its samples are in [0, 1)', () => {
  let seed = 0;
  for (let i = 0; i < 10_000; i += 1) {
    seed = nextSeed(seed);
    assert.notEqual(seed, 0);
    const s = sampleOf(seed);
    assert.ok(s >= 0 && s < 1);
  }
});
