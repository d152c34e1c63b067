import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, openSync, renameSync, truncateSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { followLines, newFollowProbe, readTail, type FollowProbe } from '../../../src/runtime/logs/index.js';
import { exited, inotifyWatches, descriptorsOn, tempDir, waitUntil, Writers } from './writers.js';

// A bug here shows as a pull that never resolves: the timeout turns the hang into a failure.
const deadline = { timeout: 30_000 };

/** The next line, failing if the generator ended instead. */
async function pull(lines: AsyncGenerator<string>): Promise<string> {
  const next = await lines.next();
  assert.equal(next.done, false, 'the follower ended early');
  return next.value as string;
}

async function pullMany(lines: AsyncGenerator<string>, count: number): Promise<string[]> {
  const got: string[] = [];
  while (got.length < count) got.push(await pull(lines));
  return got;
}

/** The garbage collector: exposed by flag if the runner did not start node with --expose-gc. */
function collector(): () => void {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed) return exposed;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

describe('followLines', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let file = '';
  let controller: AbortController;
  let probe: FollowProbe;
  const fds: number[] = [];
  const writers = new Writers();
  const follow = (fromEnd: boolean, options: { maxLineBytes?: number; chunkBytes?: number } = {}) =>
    followLines(file, { fromEnd, signal: controller.signal, pollMs: 20, probe, ...options });
  /** An O_APPEND descriptor on the log, as a child would hold it. */
  const appender = (path = file): number => {
    const fd = openSync(path, 'a');
    fds.push(fd);
    return fd;
  };

  beforeEach(async () => {
    dir = await tempDir();
    file = join(dir.path, 'app.stdout.log');
    controller = new AbortController();
    probe = newFollowProbe();
  });
  afterEach(async () => {
    controller.abort();
    await writers.cleanup();
    for (const fd of fds.splice(0)) closeSync(fd);
    await dir.remove();
  });

  test('yields the lines already there, then each line as it is appended, in order', deadline, async () => {
    const fd = appender();
    writeSync(fd, 'one\ntwo\n');
    const lines = follow(false);
    assert.deepEqual(await pullMany(lines, 2), ['one', 'two']);
    const pending = pull(lines); // waiting at the end of the file
    writeSync(fd, 'three\n');
    assert.equal(await pending, 'three');
    writeSync(fd, 'four\n\nsix\n');
    assert.deepEqual(await pullMany(lines, 3), ['four', '', 'six']);
  });

  test('fromOffset picks up where a tail ended: lines written in between are not skipped', deadline, async () => {
    const fd = appender();
    writeSync(fd, 'one\ntwo\nthree\n');
    const tail = await readTail(file, 1);
    assert.deepEqual(tail, { lines: ['three'], end: 14 });
    writeSync(fd, 'four\nfive\n'); // while the tail was being sent
    const lines = followLines(file, { fromEnd: true, fromOffset: tail.end, signal: controller.signal, pollMs: 20, probe });
    assert.deepEqual(await pullMany(lines, 2), ['four', 'five']);
  });

  test('fromOffset past the end (truncated since the tail) reads the file from its start', deadline, async () => {
    const fd = appender();
    writeSync(fd, 'new\n');
    const lines = followLines(file, { fromEnd: true, fromOffset: 1000, signal: controller.signal, pollMs: 20, probe });
    assert.equal(await pull(lines), 'new');
  });

  test('fromEnd starts after what is there at the first pull', deadline, async () => {
    const fd = appender();
    writeSync(fd, 'old\n');
    const lines = follow(true);
    const pending = pull(lines);
    await waitUntil('the follower waits at the end', () => probe.waits > 0);
    writeSync(fd, 'new\n');
    assert.equal(await pending, 'new');
  });

  test('a partial line waits for its newline', deadline, async () => {
    const fd = appender();
    writeSync(fd, 'par');
    const lines = follow(false);
    const pending = pull(lines);
    await waitUntil('the follower has read the partial line', () => probe.bytesRead === 3 && probe.waits > 0);
    writeSync(fd, 'tial\nnext\n');
    assert.equal(await pending, 'partial', 'not handed out as "par" + "tial"');
    assert.equal(await pull(lines), 'next');
  });

  test('a line longer than maxLineBytes is handed out in pieces cut between characters', deadline, async () => {
    const fd = appender();
    // 'é' is 2 bytes: a cut at 5 bytes would split the third one, so pieces are 4 bytes.
    writeSync(fd, `${'é'.repeat(7)}`);
    const lines = follow(false, { maxLineBytes: 5, chunkBytes: 3 });
    assert.deepEqual(await pullMany(lines, 3), ['éé', 'éé', 'éé'], 'flushed without waiting for a newline');
    writeSync(fd, 'é\nshort\n');
    assert.deepEqual(await pullMany(lines, 2), ['éé', 'short']);
    assert.ok(probe.peakHeldBytes <= 5 + 3);
  });

  test('continues after the file is truncated in place (`> file`), without losing lines written after it', deadline, async () => {
    const fd = appender();
    const before = Array.from({ length: 5 }, (_, i) => `before rotation ${i} ${'.'.repeat(30)}`);
    for (const line of before) writeSync(fd, `${line}\n`);
    const lines = follow(false);
    assert.deepEqual(await pullMany(lines, 5), before);
    const pending = pull(lines);
    truncateSync(file, 0);
    // Fewer bytes than before the rotation: a longer refill between two looks would hide it.
    writeSync(fd, 'after 1\n');
    writeSync(fd, 'after 2\n');
    assert.equal(await pending, 'after 1');
    assert.equal(await pull(lines), 'after 2');
    assert.equal(probe.truncations, 1);
  });

  for (const [how, replace] of [
    ['renamed away', (path: string) => renameSync(path, `${path}.moved`)],
    ['deleted', (path: string) => unlinkSync(path)],
  ] as const) {
    test(`follows a file ${how} and recreated: the old one to its end, then the new one from its start`, deadline, async () => {
      const fd = appender();
      writeSync(fd, 'old 1\n');
      const lines = follow(false);
      assert.equal(await pull(lines), 'old 1');
      const pending = pull(lines);
      replace(file);
      writeSync(fd, 'old 2\n'); // the writer still holds the old file
      writeFileSync(file, 'new 1\nnew 2\n');
      assert.equal(await pending, 'old 2');
      assert.deepEqual(await pullMany(lines, 2), ['new 1', 'new 2']);
      assert.equal(probe.reopens, 1);
    });
  }

  test('waits for a file that does not exist yet, then reads all of it', deadline, async () => {
    const lines = follow(true);
    const pending = pull(lines);
    await waitUntil('the follower found no file', () => probe.waits > 0);
    writeFileSync(file, 'first\n');
    assert.equal(await pending, 'first');
  });

  test('ends when the signal aborts and leaves no descriptor, watch or timer behind', deadline, async () => {
    const timers = () => process.getActiveResourcesInfo().filter((what) => what === 'Timeout').length;
    writeFileSync(file, 'line\n');
    const before = { watches: inotifyWatches(), timers: timers() };
    const lines = follow(false);
    assert.equal(await pull(lines), 'line');
    const pending = lines.next();
    await waitUntil('the follower waits for more', () => probe.waits > 0);
    assert.equal(descriptorsOn(file), 1, 'the file is open while following');
    assert.equal(inotifyWatches(), before.watches + 1, 'and watched');
    controller.abort();
    assert.deepEqual(await pending, { done: true, value: undefined });
    assert.deepEqual(await lines.next(), { done: true, value: undefined });
    assert.equal(descriptorsOn(file), 0);
    assert.deepEqual({ watches: inotifyWatches(), timers: timers() }, before);
  });

  test('an abort while the consumer is not pulling releases the file at once; the next pull ends', deadline, async () => {
    writeFileSync(file, 'one\ntwo\n');
    const lines = follow(false);
    assert.equal(await pull(lines), 'one'); // suspended at a yield, 'two' still in its chunk
    controller.abort();
    await waitUntil('the follower has closed the file', () => descriptorsOn(file) === 0);
    assert.deepEqual(await lines.next(), { done: true, value: undefined });
  });

  test('ends at once when aborted before the first pull', deadline, async () => {
    writeFileSync(file, 'line\n');
    controller.abort();
    assert.deepEqual(await follow(false).next(), { done: true, value: undefined });
  });

  // 520,000 pulls take ~5 s under the test runner's async tracking (1 s without): a longer deadline.
  test('a slow consumer holds at most a chunk and a line while the writer produces 50 MB', { timeout: 120_000 }, async () => {
    const gc = collector();
    const fd = appender();
    writeSync(fd, 'start\n');
    const lines = follow(false);
    assert.equal(await pull(lines), 'start');

    gc();
    const before = process.memoryUsage();
    // 520,000 numbered lines of 101 bytes, written by a child through its own O_APPEND descriptor.
    const count = 520_000;
    const child = await writers.start(`seq -f '%010.0f ${'x'.repeat(89)}' 1 ${count}; true`, fd);
    await exited(child);
    assert.equal(child.exitCode, 0);
    gc();
    const after = process.memoryUsage();
    const grew = (after.heapUsed - before.heapUsed) + (after.arrayBuffers - before.arrayBuffers);
    assert.ok(grew < 4 * 1024 * 1024, `the heap grew by ${grew} bytes while the consumer did not pull`);

    // Now every line, in order: nothing was dropped for being slow.
    for (let n = 1; n <= count; n += 1) {
      const line = await pull(lines);
      if (Number(line.slice(0, 10)) !== n || line.length !== 100) assert.fail(`line ${n} is '${line.slice(0, 20)}…'`);
    }
    assert.ok(probe.peakHeldBytes <= 2 * 64 * 1024, `held up to ${probe.peakHeldBytes} bytes`);
  });
});
