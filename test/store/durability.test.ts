/**
 * Durability at the syscall level. A kill -9 test cannot see a missing fsync (the page cache
 * survives the kill; only a power cut loses it), so these record the store's calls through its
 * fs adapter and assert their order: write → fsync → rename → fsync(dir) for every replacement,
 * and write → fdatasync before a journal append is acknowledged.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { replaceFile } from '../../src/store/atomic-file.js';
import { Store } from '../../src/store/index.js';
import { processRecord, recordingFs } from './fixtures.js';

async function root(t: TestContext): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'statevisor-durable-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

test('an atomic replace writes and fsyncs the temp file, renames it over the target, then fsyncs the directory', async (t) => {
  const dir = await root(t);
  const { fs, calls } = recordingFs(dir);
  await replaceFile(fs, dir, 'state.json', Buffer.from('{"a":1}\n'), false);
  assert.deepEqual(calls, ['write state.json.tmp', 'fsync state.json.tmp', 'rename state.json.tmp state.json', 'fsync .']);
});

test('a put is acknowledged only after an fdatasync of the journal that follows its write', async (t) => {
  const dir = await root(t);
  const { fs, calls } = recordingFs(dir);
  const store = await Store.open(join(dir, 'state'), { fs });
  t.after(() => store.close());
  calls.length = 0;
  await store.putProcess(processRecord('a')).then(() => calls.push('acknowledged'));
  assert.deepEqual(calls, ['write state/journal.jsonl', 'fdatasync state/journal.jsonl', 'acknowledged']);
});

test('a compaction makes the new snapshot durable before it replaces the journal, each as an atomic replace', async (t) => {
  const dir = await root(t);
  const { fs, calls } = recordingFs(dir);
  const store = await Store.open(join(dir, 'state'), { fs });
  t.after(() => store.close());
  await store.putProcess(processRecord('a'));
  calls.length = 0;
  await store.compact();
  assert.deepEqual(calls, [
    'write state/snapshot.json.tmp',
    'fsync state/snapshot.json.tmp',
    'rename state/snapshot.json.tmp state/snapshot.json',
    'fsync state',
    // The new journal is empty (nothing was written after the cut): no write, but still an fsync.
    'fsync state/journal.jsonl.tmp',
    'rename state/journal.jsonl.tmp state/journal.jsonl',
    'fsync state',
  ]);
  calls.length = 0;
  await store.putProcess(processRecord('b'));
  assert.deepEqual(calls, ['write state/journal.jsonl', 'fdatasync state/journal.jsonl'], 'appends go to the new journal');
});

test('a new state dir: the parent of every directory made is fsynced before anything is written in it', async (t) => {
  const dir = await root(t);
  const { fs, calls } = recordingFs(dir);
  const store = await Store.open(join(dir, 'a', 'b', 'state'), { fs });
  t.after(() => store.close());
  assert.deepEqual(calls.slice(0, 4), ['mkdir a/b/state', 'fsync a/b', 'fsync a', 'fsync .']);
});
