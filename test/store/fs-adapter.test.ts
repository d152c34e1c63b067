/**
 * The store's file calls: write(2) may write less than asked, and a file that cannot be read is
 * reported with its path and the system's error, kept as the cause.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Store, nodeFs } from '../../src/store/index.js';
import type { StoreFile, StoreFs } from '../../src/store/index.js';
import { writeAll } from '../../src/store/fs-adapter.js';
import { eio, failsWith, tempDir } from './fixtures.js';

/** A file whose write(2) writes at most `most` bytes per call (0: none), checking its arguments as node does. */
function shortWriter(most: number): { file: StoreFile; written: number[]; calls: Array<[number, number]> } {
  const written: number[] = [];
  const calls: Array<[number, number]> = [];
  const file: StoreFile = {
    async write(data, offset, length) {
      calls.push([offset, length]);
      if (calls.length > 20) throw new Error('write called over and over');
      if (offset + length > data.length) throw new RangeError(`offset ${offset} + length ${length} is past the end (${data.length})`);
      const n = Math.min(most, length);
      written.push(...data.subarray(offset, offset + n));
      return { bytesWritten: n };
    },
    datasync: async () => undefined,
    sync: async () => undefined,
    close: async () => undefined,
  };
  return { file, written, calls };
}

test('a short write(2) is continued from where it stopped until every byte is written', async () => {
  const { file, written, calls } = shortWriter(3);
  const data = Buffer.from('0123456789');
  await writeAll(file, data);
  assert.deepEqual(Buffer.from(written), data);
  assert.deepEqual(calls, [[0, 10], [3, 7], [6, 4], [9, 1]]);
});

test('a write(2) that writes nothing fails at once instead of looping', async () => {
  const { file, calls } = shortWriter(0);
  await assert.rejects(writeAll(file, Buffer.from('01234')), { message: 'write made no progress at byte 0 of 5' });
  assert.equal(calls.length, 1);
});

test('a state file that cannot be read is an E_INTERNAL naming it, with the system error as its cause', async (t) => {
  const dir = await tempDir(t);
  const failure = eio('read');
  const fs: StoreFs = {
    ...nodeFs,
    async readFile(path) {
      if (path.endsWith('snapshot.json')) throw failure;
      return nodeFs.readFile(path);
    },
  };
  const path = join(dir, 'snapshot.json');
  await assert.rejects(Store.open(dir, { fs }), (error: unknown) => {
    assert.ok(failsWith('E_INTERNAL', `cannot read ${path}: EIO: i/o error, read`)(error), String(error));
    assert.equal((error as Error).cause, failure);
    return true;
  });
});
