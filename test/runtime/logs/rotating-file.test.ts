/**
 * RotatingFile: the log file the pump writes. Disk use is bounded by the policy at any write
 * size, lines stay whole where they fit, nothing is lost, and only files the daemon made are
 * rotated, renamed over or deleted.
 */
import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, renameSync, statSync, symlinkSync, writeFileSync, unlinkSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { ownsEverything, RotatingFile, rotatedPath, type Ownership } from '../../../src/runtime/logs/index.js';
import { tempDir } from './writers.js';

const deadline = { timeout: 30_000 };

/** Owns exactly the paths it was told it created (renames are followed by the caller's names). */
class NamedOwnership implements Ownership {
  readonly paths = new Set<string>();
  owns(path: string): boolean {
    return this.paths.has(path);
  }
  created(path: string): void {
    this.paths.add(path);
  }
  removing(path: string): void {
    this.paths.delete(path);
  }
}

describe('RotatingFile', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let file = '';
  const opened: RotatingFile[] = [];
  const open = (policy: { maxBytes: number; maxFiles: number }, ownership: Ownership = ownsEverything) => {
    const rotating = RotatingFile.open(file, policy, ownership);
    opened.push(rotating);
    return rotating;
  };
  const sizes = () => [file, ...[1, 2, 3, 4].map((i) => rotatedPath(file, i))].map((f) => (existsSync(f) ? statSync(f).size : -1));

  beforeEach(async () => {
    dir = await tempDir();
    file = join(dir.path, 'app.log');
  });
  afterEach(async () => {
    for (const rotating of opened.splice(0)) rotating.close();
    await dir.remove();
  });

  test('never lets a file pass max_bytes and keeps max_files copies, whatever the size of a write', deadline, () => {
    const rotating = open({ maxBytes: 100, maxFiles: 2 });
    const line = Buffer.from(`${'x'.repeat(29)}\n`);
    // One write of 10 KB, then 50 small ones: both must respect the bound.
    rotating.write(Buffer.concat(Array.from({ length: 334 }, () => line)));
    for (let i = 0; i < 50; i++) rotating.write(line);
    const [live, first, second, third] = sizes();
    assert.ok(live! <= 100 && first! <= 100 && second! <= 100, `sizes ${sizes()}`);
    assert.equal(third, -1, 'no third copy with max_files 2');
    // Lines are 30 bytes: three fit in 100, and every rotated copy holds exactly those.
    assert.equal(first, 90);
    assert.equal(second, 90);
  });

  test('loses nothing unaccounted: the copies and the live file hold the newest bytes, in order, and the rest is counted dropped', deadline, () => {
    const rotating = open({ maxBytes: 64, maxFiles: 3 });
    const lines = Array.from({ length: 40 }, (_, i) => `line ${String(i).padStart(3, '0')}\n`);
    let dropped = 0;
    for (const line of lines) dropped += rotating.write(Buffer.from(line)).droppedBytes;
    const kept = [3, 2, 1].map((i) => readFileSync(rotatedPath(file, i), 'utf8')).join('') + readFileSync(file, 'utf8');
    assert.ok(lines.join('').endsWith(kept), 'the kept bytes are the tail of what was written');
    assert.ok(kept.length >= 3 * 60, `the copies are full: ${kept.length} bytes kept`);
    assert.equal(existsSync(rotatedPath(file, 4)), false, 'no fourth copy with max_files 3');
    // Every byte is either kept or counted as the policy's drop: a copy renamed over is a drop too.
    assert.equal(kept.length + dropped, lines.join('').length);
  });

  test('a line longer than max_bytes is written in pieces of max_bytes', deadline, () => {
    const rotating = open({ maxBytes: 10, maxFiles: 5 });
    const result = rotating.write(Buffer.from('a'.repeat(35)));
    assert.deepEqual(sizes(), [5, 10, 10, 10, -1]);
    assert.equal(result.rotations, 3);
  });

  test('max_files 0 keeps no copy: the file starts over, and the drop is counted', deadline, () => {
    const rotating = open({ maxBytes: 10, maxFiles: 0 });
    rotating.write(Buffer.from('123456789\n'));
    const result = rotating.write(Buffer.from('abc\n'));
    assert.deepEqual(sizes(), [4, -1, -1, -1, -1]);
    assert.equal(result.droppedBytes, 10);
    assert.equal(readFileSync(file, 'utf8'), 'abc\n');
  });

  test('max_bytes 0 never rotates', deadline, () => {
    const rotating = open({ maxBytes: 0, maxFiles: 2 });
    for (let i = 0; i < 100; i++) rotating.write(Buffer.from('0123456789'));
    assert.deepEqual(sizes(), [1000, -1, -1, -1, -1]);
  });

  test('a file someone else made is appended to, never truncated or rotated', deadline, () => {
    writeFileSync(file, 'precious\n');
    const ownership = new NamedOwnership();
    const rotating = open({ maxBytes: 10, maxFiles: 1 }, ownership);
    rotating.write(Buffer.from('more than ten bytes\n'));
    assert.equal(readFileSync(file, 'utf8'), 'precious\nmore than ten bytes\n');
    assert.equal(existsSync(rotatedPath(file, 1)), false);
    assert.match(rotating.notRotated ?? '', /not created by statevisor/);
  });

  test('a rotated copy\'s name held by a file that is not ours stops rotation instead of destroying it', deadline, () => {
    writeFileSync(rotatedPath(file, 1), 'not yours\n');
    const ownership = new NamedOwnership();
    const rotating = open({ maxBytes: 10, maxFiles: 2 }, ownership);
    assert.ok(ownership.owns(file), 'the daemon made the live file');
    rotating.write(Buffer.from('0123456789abcdef\n'));
    assert.equal(readFileSync(rotatedPath(file, 1), 'utf8'), 'not yours\n');
    assert.match(rotating.notRotated ?? '', /app\.log\.1 exists and was not created by statevisor/);
  });

  test('a symlink at the name is refused, and what it points at is untouched', deadline, () => {
    const victim = join(dir.path, 'victim');
    writeFileSync(victim, 'secret\n');
    symlinkSync(victim, file);
    assert.throws(() => open({ maxBytes: 10, maxFiles: 1 }), (error: NodeJS.ErrnoException) => error.code === 'ELOOP');
    assert.equal(readFileSync(victim, 'utf8'), 'secret\n');
  });

  test('a FIFO at the name is refused rather than written to', deadline, () => {
    execFileSync('mkfifo', [file]);
    assert.throws(() => open({ maxBytes: 10, maxFiles: 1 }), /not a regular file/);
    unlinkSync(file);
  });

  test('a live file replaced under its name by someone else is not rotated away', deadline, () => {
    const ownership = new NamedOwnership();
    const rotating = open({ maxBytes: 10, maxFiles: 1 }, ownership);
    rotating.write(Buffer.from('12345\n'));
    // Someone moves ours away and puts their own file at the name.
    renameSync(file, join(dir.path, 'moved'));
    ownership.paths.delete(file);
    writeFileSync(file, 'theirs\n');
    rotating.write(Buffer.from('0123456789\n'));
    assert.equal(readFileSync(file, 'utf8'), 'theirs\n');
    assert.equal(existsSync(rotatedPath(file, 1)), false);
  });
});
