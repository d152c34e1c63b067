/**
 * Opening a store: its options are checked, and a state dir that cannot be created or set up is
 * an E_INTERNAL naming the dir, the system's error kept as the cause, the lock left free.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Store, nodeFs } from '../../src/store/index.js';
import type { StoreFs } from '../../src/store/index.js';
import { eio, failsWith, tempDir } from './fixtures.js';

for (const compactAfter of [0, -1, 1.5, Number.NaN]) {
  test(`compactAfter ${compactAfter} is refused with E_INVALID_ARGUMENT`, async (t) => {
    const dir = await tempDir(t);
    await assert.rejects(Store.open(dir, { compactAfter }), {
      code: 'E_INVALID_ARGUMENT',
      message: `compactAfter must be a positive integer, got ${compactAfter}`,
    });
  });
}

test('compactAfter 1 is accepted', async (t) => {
  const store = await Store.open(await tempDir(t), { compactAfter: 1 });
  await store.close();
});

test('a state dir that cannot be created is an E_INTERNAL naming it', async (t) => {
  const dir = await tempDir(t);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'file'), 'not a directory');
  const state = join(dir, 'file', 'state');
  await assert.rejects(Store.open(state), failsWith('E_INTERNAL', `cannot create state dir ${state}: ENOTDIR`));
});

test('a state dir whose files cannot be replaced is an E_INTERNAL with the cause, and its lock is released', async (t) => {
  const dir = await tempDir(t);
  const failure = eio('rename');
  const fs: StoreFs = {
    ...nodeFs,
    async rename() {
      throw failure;
    },
  };
  await assert.rejects(Store.open(dir, { fs }), (error: unknown) => {
    assert.ok(failsWith('E_INTERNAL', `cannot open state dir ${dir}: EIO: i/o error, rename`)(error), String(error));
    assert.equal((error as Error).cause, failure);
    return true;
  });
  const store = await Store.open(dir);
  await store.close();
});
