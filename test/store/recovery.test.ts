import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Store } from '../../src/store/index.js';
import type { ProcessRecord } from '../../src/store/index.js';
import { failsWith, processRecord, tempDir } from './fixtures.js';

const lines = (...entries: object[]) => entries.map((entry) => `${JSON.stringify(entry)}\n`).join('');
const put = (seq: number, record: ProcessRecord) => ({ seq, op: 'put', record });

async function writeState(dir: string, snapshot: object | undefined, journal: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  if (snapshot !== undefined) await writeFile(join(dir, 'snapshot.json'), JSON.stringify(snapshot));
  await writeFile(join(dir, 'journal.jsonl'), journal);
}

test('replay applies the entries after the snapshot in journal order', async (t) => {
  const dir = await tempDir(t);
  const snapshot = { version: 1, seq: 2, processes: { a: processRecord('a', { spec: 1 }) }, runs: {} };
  await writeState(
    dir,
    snapshot,
    lines(
      // Entries 1 and 2 are already in the snapshot (a crash before the journal was replaced):
      // replaying them would bring back 'old'.
      put(1, processRecord('old')),
      { seq: 2, op: 'delete', id: 'old' },
      put(3, processRecord('a', { spec: 2 })),
      { seq: 4, op: 'desired', id: 'a', desired: 'stopped' },
      put(5, processRecord('a', { spec: 3 })),
      put(6, processRecord('b')),
      { seq: 7, op: 'delete', id: 'b' },
      put(8, processRecord('b', { spec: 'again' })),
    ),
  );
  const store = await Store.open(dir);
  t.after(() => store.close());
  const { processes } = store.state();
  assert.deepEqual(Object.keys(processes).sort(), ['a', 'b']);
  // The put at 5 replaced the whole record, desired included.
  assert.deepEqual(processes.a, processRecord('a', { spec: 3 }));
  assert.equal(processes.b?.spec, 'again');
});

test('entries the snapshot already holds are not applied again, even where applying them would change the state', async (t) => {
  const dir = await tempDir(t);
  // Entries 1 and 2 are older than the snapshot taken at 2, which holds 'a' as it was written later
  // (by hand here, so that re-applying them would show): the snapshot is the truth up to its seq.
  const a = processRecord('a', { spec: 'from the snapshot' });
  await writeState(
    dir,
    { version: 1, seq: 2, processes: { a }, runs: {} },
    lines(put(1, processRecord('a', { spec: 'older' })), { seq: 2, op: 'desired', id: 'a', desired: 'stopped' }, put(3, processRecord('b'))),
  );
  const store = await Store.open(dir);
  t.after(() => store.close());
  assert.deepEqual(structuredClone(store.state().processes), { a, b: processRecord('b') });
});

test('the store continues numbering after what it replayed, and compacts on open', async (t) => {
  const dir = await tempDir(t);
  await writeState(dir, undefined, lines(put(1, processRecord('a')), put(2, processRecord('b'))));
  const store = await Store.open(dir);
  assert.equal(await readFile(join(dir, 'journal.jsonl'), 'utf8'), '');
  assert.equal(JSON.parse(await readFile(join(dir, 'snapshot.json'), 'utf8')).seq, 2);
  await store.putProcess(processRecord('c'));
  await store.close();
  assert.equal(JSON.parse(await readFile(join(dir, 'journal.jsonl'), 'utf8')).seq, 3);
});

for (const [kind, torn] of [
  ['a partial line', '{"seq":3,"op":"put","record":{"id":"c","sp'],
  ['zeros where data was not yet written', '\0\0\0\0\0\0\0\0'],
  ['a garbled line that still ends in a newline', '\0\0\0\0ec":1}}\n'],
] as const) {
  test(`a torn last line (${kind}) is ignored and cut away before the next append`, async (t) => {
    const dir = await tempDir(t);
    const store = await Store.open(dir);
    await store.putProcess(processRecord('a'));
    await store.putProcess(processRecord('b'));
    await store.close();
    await appendFile(join(dir, 'journal.jsonl'), torn);

    const reopened = await Store.open(dir);
    assert.deepEqual(Object.keys(reopened.state().processes).sort(), ['a', 'b']);
    assert.equal(await readFile(join(dir, 'journal.jsonl'), 'utf8'), '', 'the torn bytes are gone');
    await reopened.putProcess(processRecord('c'));
    await reopened.close();

    const again = await Store.open(dir);
    t.after(() => again.close());
    assert.deepEqual(Object.keys(again.state().processes).sort(), ['a', 'b', 'c']);
  });
}

test('a corrupted line in the middle is an E_INTERNAL naming the file and the line', async (t) => {
  const dir = await tempDir(t);
  const damaged = '{"seq":2,"op":"pu\n';
  const journalText = `${lines(put(1, processRecord('a')))}${damaged}${lines(put(3, processRecord('c')))}`;
  await writeState(dir, undefined, journalText);
  const journal = join(dir, 'journal.jsonl');
  const expected = failsWith('E_INTERNAL', `corrupt journal ${journal} line 2: not JSON`);
  await assert.rejects(Store.open(dir), expected);
  // The failed open released the lock and left the evidence alone: the same error again.
  await assert.rejects(Store.open(dir), expected);
  assert.match(await readFile(journal, 'utf8'), /"op":"pu\n/);
});

test('a well-formed line of the wrong shape is corruption too', async (t) => {
  const dir = await tempDir(t);
  await writeState(dir, undefined, lines({ seq: 1, op: 'launch', id: 'a' }, put(2, processRecord('b'))));
  await assert.rejects(Store.open(dir), failsWith('E_INTERNAL', 'line 1: unknown op "launch"'));
});

test('a gap in sequence numbers is reported as missing entries', async (t) => {
  const dir = await tempDir(t);
  await writeState(dir, undefined, lines(put(1, processRecord('a')), put(3, processRecord('c'))));
  await assert.rejects(Store.open(dir), failsWith('E_INTERNAL', 'line 2: seq 3 where 2 was expected'));
});

test('a journal starting after the snapshot left entries out: reported', async (t) => {
  const dir = await tempDir(t);
  await writeState(dir, { version: 1, seq: 1, processes: {}, runs: {} }, lines(put(5, processRecord('e'))));
  await assert.rejects(Store.open(dir), failsWith('E_INTERNAL', 'line 1: seq 5 where 2 was expected'));
});

test('a damaged snapshot is an E_INTERNAL naming the file', async (t) => {
  const dir = await tempDir(t);
  await writeState(dir, undefined, '');
  await writeFile(join(dir, 'snapshot.json'), '{"version":1,"seq":');
  await assert.rejects(Store.open(dir), failsWith('E_INTERNAL', `corrupt state file ${join(dir, 'snapshot.json')}`));
});

test('a temp file left by a crash mid-replacement is ignored', async (t) => {
  const dir = await tempDir(t);
  await writeState(dir, { version: 1, seq: 1, processes: { a: processRecord('a') }, runs: {} }, '');
  await writeFile(join(dir, 'snapshot.json.tmp'), '{"version":1,"seq":9,"proc');
  await writeFile(join(dir, 'journal.jsonl.tmp'), '{"seq":2,"op":"delete","id":"a"}\n');
  const store = await Store.open(dir);
  t.after(() => store.close());
  assert.deepEqual(Object.keys(store.state().processes), ['a']);
});
