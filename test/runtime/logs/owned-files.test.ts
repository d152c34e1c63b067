/** OwnedFiles: a file is the daemon's by identity (device, inode, birth), not by name. */
import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OwnedFiles } from '../../../src/runtime/logs/index.js';
import { tempDir } from './writers.js';

describe('OwnedFiles', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  beforeEach(async () => {
    dir = await tempDir();
  });
  afterEach(() => dir.remove());

  test('a file it made stays its own when renamed; a new file at the old name is not', { timeout: 10_000 }, () => {
    const owned = new OwnedFiles(join(dir.path, 'ledger.json'));
    const file = join(dir.path, 'a.log');
    writeFileSync(file, '');
    owned.created(file);
    renameSync(file, `${file}.1`);
    writeFileSync(file, 'someone else\n');
    assert.equal(owned.owns(`${file}.1`), true);
    assert.equal(owned.owns(file), false);
  });

  test('the ledger survives a restart; a removed file is forgotten', { timeout: 10_000 }, () => {
    const ledger = join(dir.path, 'ledger.json');
    const first = new OwnedFiles(ledger);
    const kept = join(dir.path, 'kept.log');
    const gone = join(dir.path, 'gone.log');
    writeFileSync(kept, '');
    writeFileSync(gone, '');
    first.created(kept);
    first.created(gone);
    first.removing(gone);
    unlinkSync(gone);
    first.save();
    const second = new OwnedFiles(ledger);
    assert.equal(second.owns(kept), true);
    assert.equal(second.size, 1);
  });

  test('a damaged ledger owns nothing (the safe direction) instead of failing', { timeout: 10_000 }, () => {
    const ledger = join(dir.path, 'ledger.json');
    writeFileSync(ledger, '{not json');
    assert.equal(new OwnedFiles(ledger).size, 0);
  });
});
