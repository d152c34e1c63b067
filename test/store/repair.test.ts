/**
 * --repair-journal at the store: a journal damaged in the middle opens anyway, keeping every
 * readable entry, the damaged file kept beside it under a dated name, and the loss described
 * (line numbers, exact byte counts). Without it, the same journal is refused (recovery.test.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CorruptJournalError, Store } from '../../src/store/index.js';
import type { ProcessRecord } from '../../src/store/index.js';
import { processRecord, tempDir } from './fixtures.js';

const line = (entry: object) => `${JSON.stringify(entry)}\n`;
const put = (seq: number, record: ProcessRecord) => ({ seq, op: 'put', record });
const at = new Date('2026-12-01T10:20:30.456Z');

test('a damaged journal is refused with its line unless repaired; repaired, it keeps every readable entry and the damaged file', async (t) => {
  const dir = await tempDir(t);
  await mkdir(dir, { recursive: true });
  // Line 2 is garbage that is not even UTF-8: its size is counted in bytes, not characters.
  const garbage = Buffer.from([0xff, 0xfe, 0x80, 0x7b, 0x0a]);
  const wrongShape = line({ seq: 3, op: 'launch', id: 'x' });
  const journal = Buffer.concat([
    Buffer.from(line(put(1, processRecord('a')))),
    garbage,
    Buffer.from(wrongShape),
    Buffer.from(line(put(4, processRecord('d')))),
    Buffer.from(line({ seq: 5, op: 'desired', id: 'a', desired: 'stopped' })),
  ]);
  await writeFile(join(dir, 'journal.jsonl'), journal);

  await assert.rejects(Store.open(dir), (error) => error instanceof CorruptJournalError && error.line === 2);

  const store = await Store.open(dir, { repairJournal: true, now: () => at });
  t.after(() => store.close());
  assert.deepEqual(Object.keys(store.state().processes).sort(), ['a', 'd']);
  assert.equal(store.state().processes.a?.desired, 'stopped', 'entries after the damage are replayed');
  const keptAs = join(dir, 'journal.jsonl.damaged-2026-12-01T10-20-30.456Z');
  assert.deepEqual(store.repair, {
    journal: join(dir, 'journal.jsonl'),
    keptAs,
    kept: 3,
    damaged: [
      { line: 2, bytes: 5, reason: store.repair?.damaged[0]?.reason },
      { line: 3, bytes: Buffer.byteLength(wrongShape), reason: 'unknown op "launch"' },
    ],
    missing: [{ from: 2, to: 3 }],
  });
  assert.match(store.repair!.damaged[0]!.reason, /^not JSON/);
  assert.deepEqual(await readFile(keptAs), journal, 'the damaged journal is kept byte for byte');
  assert.equal(await readFile(join(dir, 'journal.jsonl'), 'utf8'), '', 'a clean journal');
  assert.equal(JSON.parse(await readFile(join(dir, 'snapshot.json'), 'utf8')).seq, 5);

  await store.putProcess(processRecord('e'));
  await store.close();
  const again = await Store.open(dir);
  t.after(() => again.close());
  assert.deepEqual(Object.keys(again.state().processes).sort(), ['a', 'd', 'e'], 'the repaired store opens cleanly, without the flag');
  assert.equal(again.repair, undefined);
  assert.equal((await readdir(dir)).filter((name) => name.includes('damaged')).length, 1);
});

test('repairJournal on a sound journal changes nothing and reports nothing, a torn last line included', async (t) => {
  const dir = await tempDir(t);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'journal.jsonl'), `${line(put(1, processRecord('a')))}{"seq":2,"op":"pu`);
  const store = await Store.open(dir, { repairJournal: true });
  t.after(() => store.close());
  assert.equal(store.repair, undefined);
  assert.deepEqual(Object.keys(store.state().processes), ['a']);
  assert.deepEqual((await readdir(dir)).filter((name) => name.includes('damaged')), []);
});
