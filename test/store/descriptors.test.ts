/**
 * The store holds exactly one descriptor while open (its journal's) and none once closed. A file
 * left open is a leak the daemon pays for on every compaction, and a journal left open after close
 * can still be written through.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { Store, nodeFs } from '../../src/store/index.js';
import { JournalWriter } from '../../src/store/journal.js';
import { descriptorFs, processRecord, tempDir } from './fixtures.js';

test('an open store holds only its journal open; a closed one holds nothing', async (t) => {
  const dir = await tempDir(t);
  const { fs, open } = descriptorFs();
  const store = await Store.open(dir, { fs, compactAfter: 3 });
  // The lock's temp file, the directory syncs and the first snapshot are closed again.
  assert.deepEqual(open.map((path) => basename(path)), ['journal.jsonl.tmp']);
  for (let i = 0; i < 7; i += 1) await store.putProcess(processRecord(`p${i}`));
  await store.compact();
  assert.deepEqual(open.map((path) => basename(path)), ['journal.jsonl.tmp'], 'after compactions: the new journal only');
  await store.close();
  assert.deepEqual(open, []);
});

test('a closed journal refuses an append instead of writing through a stale descriptor', async (t) => {
  const dir = await tempDir(t);
  await mkdir(dir, { recursive: true });
  const journal = await JournalWriter.create(nodeFs, dir, Buffer.alloc(0));
  await journal.close();
  await assert.rejects(journal.append(Buffer.from('{}\n')), /^Error: the journal is closed$/);
  assert.equal(await readFile(join(dir, 'journal.jsonl'), 'utf8'), '');
});
