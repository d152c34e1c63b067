import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { maxDurationMs, parseDuration, readDuration } from '../../src/spec/index.js';

describe('durations', () => {
  const accepted: [unknown, number][] = [
    [0, 0],
    [250, 250],
    ['0', 0],
    ['250ms', 250],
    ['5s', 5_000],
    ['1.5s', 1_500],
    ['.5s', 500],
    ['1.001s', 1_001],
    ['2m', 120_000],
    ['1h', 3_600_000],
    ['1h30m', 5_400_000],
    ['1m30s500ms', 90_500],
    [' 5s ', 5_000],
    [maxDurationMs, maxDurationMs],
  ];
  for (const [input, ms] of accepted) {
    test(`${JSON.stringify(input)} is ${ms} ms`, () => {
      assert.deepEqual(readDuration(input), { ok: true, value: ms });
    });
  }

  const rejected: [unknown, RegExp][] = [
    [-1, /not negative/],
    ['-5s', /not negative/],
    [Number.NaN, /integer number of milliseconds/],
    [Number.POSITIVE_INFINITY, /integer number of milliseconds/],
    [1.5, /integer number of milliseconds/],
    ['NaN', /a duration such as/],
    ['5x', /a duration such as/],
    ['5', /a duration such as/],
    ['5 s', /a duration such as/],
    ['5S', /a duration such as/],
    ['5d', /a duration such as/],
    ['', /a duration such as/],
    ['s', /a duration such as/],
    ['1.0001s', /whole milliseconds/],
    ['800h', /at most 2147483647 ms/],
    [maxDurationMs + 1, /at most 2147483647 ms/],
    [null, /a duration such as/],
    [true, /a duration such as/],
    [{ ms: 5 }, /a duration such as/],
  ];
  for (const [input, expected] of rejected) {
    test(`${String(JSON.stringify(input) ?? input)} is rejected`, () => {
      const parsed = readDuration(input);
      assert.equal(parsed.ok, false);
      assert.match(parsed.ok ? '' : parsed.expected, expected);
    });
  }

  test('parseDuration throws a RangeError that quotes the value', () => {
    assert.equal(parseDuration('2m'), 120_000);
    assert.throws(() => parseDuration('5 minutes'), { name: 'RangeError', message: /invalid duration "5 minutes": expected/ });
  });
});
