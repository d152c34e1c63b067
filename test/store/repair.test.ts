/**
 * --repair-journal at the store: a journal damaged in the middle opens anyway, keeping every
 * readable entry, the damaged file kept beside it under a dated name, and the loss described
 * (line numbers, exact byte counts). Without it, the same journal is refused (recovery.test.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CorruptJournalError, Store, nodeFs } from '../../src/store/index.js';
import type { ProcessRecord, StoreFs } from '../../src/store/index.js';
import { readJournal } from '../../src/store/journal.js';
import { failsWith, processRecord, tempDir } from './fixtures.js';

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

  await assert.rejects(
    Store.open(dir),
    (error) => error instanceof CorruptJournalError && error.line === 2 && error.name === 'CorruptJournalError',
  );

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

const putLine = (seq: number, id: string) => line(put(seq, processRecord(id)));
const torn = '{"seq":9,"op":"pu';
const tornReason = `torn last line (never acknowledged): not JSON: ${JSON.stringify(torn)}`;

/** Journals needing repair, and exactly what the repair reports (bytes count the line's newline, when it has one). */
const repairs: Array<[string, string, Pick<NonNullable<Store['repair']>, 'kept' | 'damaged' | 'missing'>]> = [
  [
    'an entry out of order on the last line',
    `${putLine(1, 'a')}${putLine(2, 'b')}${putLine(1, 'a')}`,
    { kept: 2, damaged: [{ line: 3, bytes: Buffer.byteLength(putLine(1, 'a')), reason: 'seq 1 after seq 2 (out of order)' }], missing: [] },
  ],
  ['a gap and nothing else', `${putLine(1, 'a')}${putLine(3, 'c')}`, { kept: 2, damaged: [], missing: [{ from: 2, to: 2 }] }],
  [
    'a gap, then a torn last line',
    `${putLine(1, 'a')}${putLine(3, 'c')}${torn}`,
    { kept: 2, damaged: [{ line: 3, bytes: torn.length, reason: tornReason }], missing: [{ from: 2, to: 2 }] },
  ],
  [
    // The first line is one byte and its newline: a size taken from the wrong end of the file shows.
    'a damaged one-byte first line, then a torn last line',
    `x\n${putLine(1, 'a')}${torn}`,
    {
      kept: 1,
      damaged: [
        { line: 1, bytes: 2, reason: 'not JSON: "x"' },
        { line: 3, bytes: torn.length, reason: tornReason },
      ],
      missing: [],
    },
  ],
  [
    'a long damaged line, quoted only in part',
    `${'y'.repeat(100)}\n${putLine(1, 'a')}`,
    { kept: 1, damaged: [{ line: 1, bytes: 101, reason: `not JSON: "${'y'.repeat(60)}"` }], missing: [] },
  ],
];

for (const [what, journal, expected] of repairs) {
  test(`repair reports exactly what it dropped: ${what}`, async (t) => {
    const dir = await tempDir(t);
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'journal.jsonl'), journal);
    const store = await Store.open(dir, { repairJournal: true, now: () => at });
    t.after(() => store.close());
    const { kept, damaged, missing } = store.repair ?? {};
    assert.deepEqual({ kept, damaged, missing }, expected);
  });
}

test('readJournal refuses damage unless asked to repair', async (t) => {
  const dir = await tempDir(t);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'journal.jsonl'), `${putLine(1, 'a')}${putLine(3, 'c')}`);
  await assert.rejects(readJournal(nodeFs, dir, 0), (error) => error instanceof CorruptJournalError && error.line === 2);
});

/** Writes a journal with a gap (damage that needs --repair-journal) into `dir`. */
async function damage(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'journal.jsonl'), `${putLine(1, 'a')}${putLine(3, 'c')}`);
}

const keptName = (dir: string, n = 0) => join(dir, `journal.jsonl.damaged-2026-12-01T10-20-30.456Z${n === 0 ? '' : `.${n}`}`);

test('a second repair at the same instant keeps its damaged journal under a numbered name', async (t) => {
  const dir = await tempDir(t);
  await damage(dir);
  await (await Store.open(dir, { repairJournal: true, now: () => at })).close();
  await damage(dir);
  const store = await Store.open(dir, { repairJournal: true, now: () => at });
  t.after(() => store.close());
  assert.equal(store.repair?.keptAs, keptName(dir, 1));
  assert.ok((await readdir(dir)).includes('journal.jsonl.damaged-2026-12-01T10-20-30.456Z'), 'the first copy is kept too');
});

test('with 101 damaged copies of the same name already there, repair gives up (EEXIST) instead of counting on', async (t) => {
  const dir = await tempDir(t);
  await damage(dir);
  for (let n = 0; n <= 100; n += 1) await writeFile(keptName(dir, n), 'an earlier copy');
  await assert.rejects(Store.open(dir, { repairJournal: true, now: () => at }), failsWith('E_INTERNAL', `cannot open state dir ${dir}: EEXIST`));
  await assert.rejects(readFile(keptName(dir, 101)), { code: 'ENOENT' });
});

test('a damaged journal that cannot be linked aside (EPERM) fails the repair at once, the lock released', async (t) => {
  const dir = await tempDir(t);
  await damage(dir);
  let refusals = 0;
  const fs: StoreFs = {
    ...nodeFs,
    async link(existing, created) {
      // Refuses a few times, then links: a retry of a refusal would get through.
      if (created.includes('.damaged-') && refusals < 5) {
        refusals += 1;
        throw Object.assign(new Error(`EPERM: operation not permitted, link '${existing}' -> '${created}'`), { code: 'EPERM' });
      }
      return nodeFs.link(existing, created);
    },
  };
  await assert.rejects(Store.open(dir, { fs, repairJournal: true, now: () => at }), failsWith('E_INTERNAL', 'EPERM'));
  assert.equal(refusals, 1);
  await (await Store.open(dir, { repairJournal: true, now: () => at })).close();
});
