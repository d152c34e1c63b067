import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, existsSync, openSync, statSync, writeSync } from 'node:fs';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { hasCode } from '../../../src/errors.js';
import { cutIntoPieces, rotateFile, rotateIfNeeded, rotatedPath } from '../../../src/runtime/logs/index.js';
import { concatenated, exited, tempDir, waitUntil, Writers } from './writers.js';

/** `[file.maxFiles … file.1, file]`: the whole rotated set, oldest first. */
function oldestFirst(file: string, maxFiles: number): string[] {
  const rotated = Array.from({ length: maxFiles }, (_, i) => rotatedPath(file, maxFiles - i));
  return [...rotated.filter((path) => existsSync(path)), file];
}

const lineOf = (n: number): string => `line ${String(n).padStart(4, '0')}\n`; // 10 bytes

describe('rotateIfNeeded', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let file = '';
  const fds: number[] = [];
  beforeEach(async () => {
    dir = await tempDir();
    file = join(dir.path, 'app.stdout.log');
  });
  afterEach(async () => {
    for (const fd of fds.splice(0)) closeSync(fd);
    await dir.remove();
  });

  test('rotates at maxBytes, keeps maxFiles copies and drops the oldest', async () => {
    // O_APPEND, as exec/log-targets.ts opens it: the writer never learns of the rotations.
    const fd = openSync(file, 'a');
    fds.push(fd);
    const policy = { maxBytes: 45, maxFiles: 3 };
    let rotations = 0;
    for (let n = 1; n <= 100; n += 1) {
      writeSync(fd, lineOf(n));
      if (await rotateIfNeeded(file, policy)) rotations += 1;
    }
    // 5 lines reach 45 bytes, so every fifth write rotates.
    assert.equal(rotations, 20);
    assert.equal(existsSync(rotatedPath(file, 4)), false, 'the oldest copy is dropped');
    for (let index = 1; index <= 3; index += 1) {
      const { size } = statSync(rotatedPath(file, index));
      assert.ok(size >= policy.maxBytes && size < policy.maxBytes + 10, `${rotatedPath(file, index)} holds ${size} bytes`);
    }
    assert.ok(statSync(file).size < policy.maxBytes);
    // The kept set is the tail of what was written, in order, with no hole of NULs.
    const kept = await concatenated(oldestFirst(file, 3));
    const expected = Array.from({ length: 100 }, (_, i) => lineOf(i + 1)).join('');
    assert.ok(expected.endsWith(kept) && kept.length === 150, kept);
  });

  test('leaves a file below maxBytes alone', async () => {
    await writeFile(file, 'short\n');
    assert.equal(await rotateIfNeeded(file, { maxBytes: 7, maxFiles: 2 }), false);
    assert.equal(await readFile(file, 'utf8'), 'short\n');
    assert.equal(existsSync(rotatedPath(file, 1)), false);
  });

  test('maxBytes 0 disables rotation', async () => {
    await writeFile(file, 'x'.repeat(1000));
    assert.equal(await rotateIfNeeded(file, { maxBytes: 0, maxFiles: 2 }), false);
    assert.equal((await stat(file)).size, 1000);
  });

  test('maxFiles 0 truncates without keeping a copy', async () => {
    await writeFile(file, 'x'.repeat(100));
    assert.equal(await rotateIfNeeded(file, { maxBytes: 10, maxFiles: 0 }), true);
    assert.equal((await stat(file)).size, 0);
    assert.equal(existsSync(rotatedPath(file, 1)), false);
  });

  test('a missing file is not rotated and is no error', async () => {
    assert.equal(await rotateIfNeeded(file, { maxBytes: 10, maxFiles: 2 }), false);
  });

  test('the copy keeps the mode of the log file', async () => {
    await writeFile(file, 'x'.repeat(100), { mode: 0o640 });
    await rotateIfNeeded(file, { maxBytes: 10, maxFiles: 1 });
    assert.equal((await stat(rotatedPath(file, 1))).mode & 0o777, 0o640);
  });

  test('an overfull file is cut into pieces of maxBytes, newest first, and only maxFiles of them written', async () => {
    // 100 lines of 10 bytes: 1,000 bytes against maxBytes 100, as a writer faster than the checks leaves it.
    await writeFile(file, Array.from({ length: 100 }, (_, i) => lineOf(i + 1)).join(''));
    await writeFile(rotatedPath(file, 1), 'older copy\n');
    const result = await rotateFile(file, { maxBytes: 100, maxFiles: 3 });
    assert.deepEqual(result, { lostBytes: 0, droppedBytes: 700 });
    assert.equal((await stat(file)).size, 0);
    const lines = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => lineOf(from + i)).join('');
    assert.equal(await readFile(rotatedPath(file, 1), 'utf8'), lines(91, 100));
    assert.equal(await readFile(rotatedPath(file, 2), 'utf8'), lines(81, 90));
    assert.equal(await readFile(rotatedPath(file, 3), 'utf8'), lines(71, 80), 'the older copy made way for newer bytes');
    assert.equal(existsSync(rotatedPath(file, 4)), false);
  });

  test('pieces shift the older copies up by their number, and a gap does not let a stale copy stay', async () => {
    await writeFile(file, 'a'.repeat(250));
    await writeFile(rotatedPath(file, 1), 'one');
    await writeFile(rotatedPath(file, 4), 'stale four');
    const result = await rotateFile(file, { maxBytes: 100, maxFiles: 4 });
    assert.deepEqual(result, { lostBytes: 0, droppedBytes: 0 });
    assert.equal((await stat(rotatedPath(file, 1))).size, 100);
    assert.equal((await stat(rotatedPath(file, 2))).size, 150, 'the oldest piece takes the remainder');
    assert.equal(await readFile(rotatedPath(file, 3), 'utf8'), 'one');
    assert.equal(existsSync(rotatedPath(file, 4)), false, 'old .2 was missing, so the stale .4 is gone');
  });

  test('while rotations run, every rotated name always points at a whole copy', async () => {
    const fd = openSync(file, 'a');
    fds.push(fd);
    const policy = { maxBytes: 4096, maxFiles: 3 };
    const missing: string[] = [];
    let rotating = true;
    // Looks between the rotation's steps: each await in it lets this run.
    const look = (): void => {
      for (let index = 1; index <= policy.maxFiles; index += 1) {
        if (!existsSync(rotatedPath(file, index))) missing.push(`.${index}`);
      }
      if (rotating) setImmediate(look);
    };
    // Fill the set first, so that from here on every name must exist.
    for (let n = 0; n < 3; n += 1) {
      writeSync(fd, 'x'.repeat(5000));
      await rotateIfNeeded(file, policy);
    }
    look();
    for (let n = 0; n < 50; n += 1) {
      writeSync(fd, 'y'.repeat(n % 2 === 0 ? 5000 : 20_000)); // one piece, then several
      await rotateIfNeeded(file, policy);
    }
    rotating = false;
    assert.deepEqual(missing, []);
    assert.equal(existsSync(`${rotatedPath(file, 1)}.tmp`), false, 'no staging file left behind');
  });

  test('cutIntoPieces: maxBytes each from the end, the oldest holding the remainder below 2 × maxBytes', () => {
    assert.deepEqual(cutIntoPieces(100, 100), [{ start: 0, end: 100 }]);
    assert.deepEqual(cutIntoPieces(199, 100), [{ start: 0, end: 199 }]);
    assert.deepEqual(cutIntoPieces(200, 100), [{ start: 0, end: 100 }, { start: 100, end: 200 }]);
    assert.deepEqual(cutIntoPieces(350, 100), [
      { start: 0, end: 150 },
      { start: 150, end: 250 },
      { start: 250, end: 350 },
    ]);
    for (const size of [100, 101, 150, 199, 200, 201, 999, 1000, 12_345]) {
      const pieces = cutIntoPieces(size, 100);
      assert.equal(pieces[0]!.start, 0);
      assert.equal(pieces.at(-1)!.end, size);
      for (const [i, piece] of pieces.entries()) {
        if (i > 0) assert.equal(piece.start, pieces[i - 1]!.end, 'contiguous');
        const length = piece.end - piece.start;
        assert.ok(length >= 100 && length < 200, `size ${size}: piece ${i} holds ${length}`);
      }
    }
  });

  for (const policy of [
    { maxBytes: -1, maxFiles: 1 },
    { maxBytes: 1.5, maxFiles: 1 },
    { maxBytes: 10, maxFiles: Number.NaN },
    { maxBytes: 10, maxFiles: -2 },
  ]) {
    test(`rejects maxBytes ${policy.maxBytes}, maxFiles ${policy.maxFiles} rather than truncating without a copy`, async () => {
      await writeFile(file, 'x'.repeat(100));
      await assert.rejects(rotateIfNeeded(file, policy), (error) => hasCode(error, 'E_INVALID_ARGUMENT'));
      assert.equal((await stat(file)).size, 100);
    });
  }
});

describe('rotation under a child that holds the descriptor', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let file = '';
  let fd = -1;
  const writers = new Writers();
  beforeEach(async () => {
    dir = await tempDir();
    file = join(dir.path, 'app.stdout.log');
    fd = openSync(file, 'a');
  });
  afterEach(async () => {
    await writers.cleanup();
    closeSync(fd);
    await dir.remove();
  });

  test('a child echoing line by line keeps writing into the truncated file; no copy exceeds maxBytes by more than one write', async () => {
    // The child echoes each stdin line to the log: the test knows when each write has landed.
    const child = await writers.start('while read line; do echo "$line"; done', fd, 'pipe');
    const policy = { maxBytes: 40, maxFiles: 100 };
    let current = 0;
    for (let n = 1; n <= 30; n += 1) {
      child.stdin!.write(lineOf(n));
      current += 10;
      await waitUntil(`line ${n} reached the log`, () => statSync(file).size === current);
      if (await rotateIfNeeded(file, policy)) current = 0;
    }
    child.stdin!.end();
    await exited(child);
    const set = oldestFirst(file, policy.maxFiles);
    assert.equal(set.length, 8, 'a copy every 4 lines, 2 lines left in the file');
    for (const copy of set.slice(0, -1)) {
      const { size } = statSync(copy);
      assert.ok(size >= policy.maxBytes && size < policy.maxBytes + 10, `${copy} holds ${size} bytes`);
    }
    const expected = Array.from({ length: 30 }, (_, i) => lineOf(i + 1)).join('');
    assert.equal(await concatenated(set), expected, 'every line once, in order, no NULs');
  });

  test('a child writing flat out keeps whole lines in order across rotations', async () => {
    const child = await writers.start('i=0; while [ $i -lt 20000 ]; do echo "line $i"; i=$((i+1)); done; true', fd);
    let running = true;
    void exited(child).then(() => (running = false));
    const policy = { maxBytes: 4096, maxFiles: 1000 };
    while (running) await rotateIfNeeded(file, policy);
    await rotateIfNeeded(file, policy);
    const set = oldestFirst(file, policy.maxFiles);
    assert.ok(set.length > 1, 'rotated at least once');
    const text = await concatenated(set);
    assert.equal(text.includes('\0'), false, 'O_APPEND: no hole of NULs after a truncation');
    const numbers = text.trimEnd().split('\n').map((line) => {
      assert.match(line, /^line \d+$/);
      return Number(line.slice(5));
    });
    // Lines written in the instant between the last copy and the truncation may be lost; none
    // is torn, duplicated or reordered.
    for (let i = 1; i < numbers.length; i += 1) assert.ok(numbers[i]! > numbers[i - 1]!, `line ${numbers[i]} after ${numbers[i - 1]}`);
    assert.equal(numbers.at(-1), 19999);
  });
});
