import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { hasCode } from '../../../src/errors.js';
import { LogRotator, rotatedPath, type RotationPolicy, type RotationResult } from '../../../src/runtime/logs/index.js';
import { tempDir, waitUntil } from './writers.js';

/** A rotate function the test holds: every call waits until `release()`. */
function gatedRotate() {
  let open: () => void = () => {};
  const gate = new Promise<void>((resolve) => (open = resolve));
  const state = { calls: [] as string[], inFlight: 0, peakInFlight: 0 };
  const rotate = async (file: string, _policy: RotationPolicy): Promise<RotationResult | undefined> => {
    state.calls.push(file);
    state.inFlight += 1;
    state.peakInFlight = Math.max(state.peakInFlight, state.inFlight);
    await gate;
    state.inFlight -= 1;
    return undefined;
  };
  return { rotate, state, release: () => open() };
}

describe('LogRotator', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let rotator: LogRotator | undefined;
  beforeEach(async () => {
    dir = await tempDir();
  });
  afterEach(async () => {
    await rotator?.close();
    rotator = undefined;
    await dir.remove();
  });

  test('rotates every watched file over maxBytes on its tick, and only those', async () => {
    const file = (name: string) => join(dir.path, name);
    for (const name of ['a.out', 'a.err', 'b.out', 'c.out']) await writeFile(file(name), 'x'.repeat(80));
    await writeFile(file('b.err'), 'small\n');
    rotator = new LogRotator({ intervalMs: 10 });
    rotator.watch('a', { files: [file('a.out'), file('a.err')], maxBytes: 50, maxFiles: 2 });
    rotator.watch('b', { files: [file('b.out'), file('b.err')], maxBytes: 50, maxFiles: 2 });
    rotator.watch('c', { files: [file('c.out'), file('missing.out')], maxBytes: 50, maxFiles: 2 });
    const watching = rotator;
    await waitUntil('four files have rotated', () => watching.rotations === 4);
    for (const name of ['a.out', 'a.err', 'b.out', 'c.out']) {
      assert.equal((await stat(file(name))).size, 0);
      assert.equal((await readFile(rotatedPath(file(name), 1), 'utf8')).length, 80);
    }
    assert.equal(await readFile(file('b.err'), 'utf8'), 'small\n');
    assert.equal(existsSync(rotatedPath(file('b.err'), 1)), false);
    assert.equal(rotator.stats.errors, 0, 'a file not yet written is no error');
  });

  test('skips a tick while the previous check still runs, and checks at most `concurrency` files at once', async () => {
    const gated = gatedRotate();
    rotator = new LogRotator({ intervalMs: 5, concurrency: 2, rotate: gated.rotate });
    const files = ['1', '2', '3', '4', '5'].map((name) => join(dir.path, name));
    rotator.watch('p', { files, maxBytes: 10, maxFiles: 1 });
    const watching = rotator;
    await waitUntil('three ticks were skipped', () => watching.stats.skippedTicks >= 3);
    assert.equal(rotator.stats.checks, 1, 'no second check started');
    assert.deepEqual(gated.state.calls, files.slice(0, 2), 'two files in flight, the rest waiting');
    gated.release();
    await waitUntil('a second check has run', () => watching.stats.checks >= 2);
    assert.equal(gated.state.peakInFlight, 2);
    assert.deepEqual(gated.state.calls.slice(0, 5), files, 'the first check went on through every file');
  });

  test('a file that rotated is checked again at the hot interval until it stops filling; its losses are summed', async () => {
    const calls: string[] = [];
    // The "writer" refills a.out for three checks; b.out never needs rotating.
    let refills = 3;
    rotator = new LogRotator({
      intervalMs: 60_000,
      hotIntervalMs: 5,
      rotate: async (file) => {
        calls.push(file);
        if (!file.endsWith('a.out') || refills === 0) return undefined;
        refills -= 1;
        return { lostBytes: 10, droppedBytes: 100 };
      },
    });
    rotator.watch('a', { files: ['/a.out'], maxBytes: 10, maxFiles: 1 });
    rotator.watch('b', { files: ['/b.out'], maxBytes: 10, maxFiles: 1 });
    await rotator.checkNow();
    const watching = rotator;
    // Three hot checks: two that rotate again, one that finds the file small and ends the run.
    await waitUntil('the hot checks ran', () => watching.stats.checks === 4);
    assert.deepEqual(calls, ['/a.out', '/b.out', '/a.out', '/a.out', '/a.out'], 'only the hot file, well before the 60 s tick');
    assert.deepEqual(
      { rotations: rotator.stats.rotations, lostBytes: rotator.stats.lostBytes, droppedBytes: rotator.stats.droppedBytes },
      { rotations: 3, lostBytes: 30, droppedBytes: 300 },
    );
    await new Promise((resolve) => setTimeout(resolve, 30));
    assert.equal(rotator.stats.checks, 4, 'no hot check once the file stopped filling');
  });

  test('a failing check is counted and retried on the next tick', async () => {
    let calls = 0;
    rotator = new LogRotator({
      intervalMs: 5,
      rotate: async () => {
        calls += 1;
        throw Object.assign(new Error('gone'), { code: 'ENOENT' });
      },
    });
    rotator.watch('p', { files: [join(dir.path, 'x')], maxBytes: 10, maxFiles: 1 });
    const watching = rotator;
    await waitUntil('two checks have failed', () => watching.stats.errors >= 2);
    assert.equal(calls, rotator.stats.errors);
  });

  test('an unwatched process is no longer checked, and maxBytes 0 unwatches', async () => {
    const gated = gatedRotate();
    gated.release();
    rotator = new LogRotator({ intervalMs: 60_000, rotate: gated.rotate });
    rotator.watch('a', { files: ['/a'], maxBytes: 10, maxFiles: 1 });
    rotator.watch('b', { files: ['/b'], maxBytes: 10, maxFiles: 1 });
    rotator.watch('c', { files: ['/c'], maxBytes: 10, maxFiles: 1 });
    rotator.unwatch('a');
    rotator.watch('c', { files: ['/c'], maxBytes: 0, maxFiles: 1 });
    assert.equal(rotator.watching, 1);
    await rotator.checkNow();
    assert.deepEqual(gated.state.calls, ['/b']);
  });

  test('its timer does not keep the process alive', () => {
    const timers = () => process.getActiveResourcesInfo().filter((what) => what === 'Timeout').length;
    const before = timers();
    rotator = new LogRotator({ intervalMs: 1000 });
    rotator.watch('p', { files: [join(dir.path, 'x')], maxBytes: 10, maxFiles: 1 });
    assert.equal(timers(), before);
  });

  test('rejects bad options with E_INVALID_ARGUMENT and watching after close with E_INVALID_STATE', async () => {
    assert.throws(() => new LogRotator({ intervalMs: 0 }), (error) => hasCode(error, 'E_INVALID_ARGUMENT'));
    assert.throws(() => new LogRotator({ concurrency: 0 }), (error) => hasCode(error, 'E_INVALID_ARGUMENT'));
    assert.throws(() => new LogRotator({ hotIntervalMs: Number.NaN }), (error) => hasCode(error, 'E_INVALID_ARGUMENT'));
    const closed = new LogRotator();
    assert.throws(() => closed.watch('p', { files: ['/x'], maxBytes: 10, maxFiles: -1 }), (error) => hasCode(error, 'E_INVALID_ARGUMENT'));
    await closed.close();
    assert.throws(() => closed.watch('p', { files: ['/x'], maxBytes: 10, maxFiles: 1 }), (error) => hasCode(error, 'E_INVALID_STATE'));
  });
});
