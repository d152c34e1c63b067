import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatBytes, formatDuration, formatRelative } from '../../src/cli/format.js';

test('durations read with two units at most', () => {
  const cases: [number, string][] = [
    [0, '0ms'],
    [850, '850ms'],
    [1_000, '1s'],
    [1_500, '1.5s'],
    [42_000, '42s'],
    [59_999, '59s'],
    [60_000, '1m'],
    [192_000, '3m 12s'],
    [7_500_000, '2h 5m'],
    [90_000_000, '1d 1h'],
    [-1, '-'],
  ];
  for (const [ms, text] of cases) assert.equal(formatDuration(ms), text, `${ms} ms`);
});

test('relative times say ago or in', () => {
  const now = Date.parse('2025-01-01T12:00:00Z');
  assert.equal(formatRelative(new Date(now - 192_000), now), '3m 12s ago');
  assert.equal(formatRelative(new Date(now + 5_000), now), 'in 5s');
  assert.equal(formatRelative(new Date(now - 200), now), 'just now');
  assert.equal(formatRelative(undefined, now), '-');
});

test('sizes use binary units', () => {
  assert.equal(formatBytes(512), '512 B');
  assert.equal(formatBytes(1536), '1.5 KiB');
  assert.equal(formatBytes(64 * 1024 * 1024), '64 MiB');
});
