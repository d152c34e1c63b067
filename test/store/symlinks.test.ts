/**
 * The store's files are the daemon's alone: a symbolic link planted in its directory (as a
 * user who could once write there might) is refused, never followed. Before O_NOFOLLOW, a link
 * at journal.jsonl was read and silently replaced, and one at journal.jsonl.tmp had root
 * truncate and overwrite whatever it pointed to.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { constants } from 'node:fs';
import { lstat, mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Store, nodeFs, type StoreFs } from '../../src/store/index.js';
import { failsWith, processRecord, tempDir } from './fixtures.js';

const victimText = 'precious: not the store\'s\n';

for (const name of ['journal.jsonl', 'journal.jsonl.tmp', 'snapshot.json', 'snapshot.json.tmp', 'lock']) {
  test(`a link planted at ${name} is refused and what it points to is left alone`, async (t) => {
    const dir = await tempDir(t);
    await mkdir(dir, { recursive: true });
    const victim = join(dirname(dir), 'victim');
    await writeFile(victim, victimText);
    await symlink(victim, join(dir, name));

    await assert.rejects(Store.open(dir), (error: unknown) => {
      assert.ok(failsWith('E_INVALID_ARGUMENT', `${join(dir, name)} is a symbolic link`)(error), String(error));
      assert.equal(((error as Error).cause as NodeJS.ErrnoException | undefined)?.code, 'ELOOP', 'the system error is kept as the cause');
      return true;
    });
    assert.equal(await readFile(victim, 'utf8'), victimText, 'the file the link points to is untouched');
    assert.ok((await lstat(join(dir, name))).isSymbolicLink(), 'the link is left for a person to look at');
  });
}

test('every file the store opens, it opens with O_NOFOLLOW', async (t) => {
  const dir = await tempDir(t);
  const flags: { path: string; flags: number }[] = [];
  const fs: StoreFs = {
    ...nodeFs,
    open(path, openFlags, mode) {
      flags.push({ path, flags: openFlags });
      return nodeFs.open(path, openFlags, mode);
    },
  };
  const store = await Store.open(dir, { fs, compactAfter: 2 });
  await store.putProcess(processRecord('a'));
  await store.putProcess(processRecord('b'));
  await store.compact();
  await store.close();
  assert.ok(flags.length >= 5, `opens were recorded: ${flags.length}`);
  const following = flags.filter((open) => (open.flags & constants.O_NOFOLLOW) === 0).map((open) => open.path);
  assert.deepEqual(following, [], 'opened without O_NOFOLLOW');
});
