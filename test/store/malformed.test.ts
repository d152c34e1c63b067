/**
 * A journal line or a snapshot that parses as JSON but has the wrong shape is refused with the
 * reason, never applied: a record missing a field would reach the daemon as a process it cannot
 * run, a run missing its pid as a workload it cannot find. Each case differs from a valid value
 * in one place, so each check of the shape is pinned by its own case.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Store } from '../../src/store/index.js';
import { failsWith, processRecord, runRecord, tempDir } from './fixtures.js';

const record = processRecord('a');
const run = runRecord(7);

/** The reason after `corrupt journal <path> line 1: `, for each first line of a journal. */
const badLines: Array<[string, unknown, string]> = [
  ['null', null, 'not a JSON object'],
  ['a number', 42, 'not a JSON object'],
  ['an array', [{ seq: 1, op: 'delete', id: 'a' }], 'not a JSON object'],
  ['seq 0', { seq: 0, op: 'delete', id: 'a' }, 'bad seq 0'],
  ['seq as a string', { seq: '1', op: 'delete', id: 'a' }, 'bad seq "1"'],
  ['a fractional seq', { seq: 1.5, op: 'delete', id: 'a' }, 'bad seq 1.5'],
  ['a put whose record is null', { seq: 1, op: 'put', record: null }, 'put without a valid record'],
  ['a record with a numeric id', { seq: 1, op: 'put', record: { ...record, id: 7 } }, 'put without a valid record'],
  ['a record without a spec', { seq: 1, op: 'put', record: { ...record, spec: undefined } }, 'put without a valid record'],
  ['a record with createdAt as a string', { seq: 1, op: 'put', record: { ...record, createdAt: '2026' } }, 'put without a valid record'],
  ['a record desired "paused"', { seq: 1, op: 'put', record: { ...record, desired: 'paused' } }, 'put without a valid record'],
  ['a record from source "cli"', { seq: 1, op: 'put', record: { ...record, source: 'cli' } }, 'put without a valid record'],
  ['a delete without an id', { seq: 1, op: 'delete' }, 'delete without an id'],
  ['a clearRun with a numeric id', { seq: 1, op: 'clearRun', id: 5 }, 'clearRun without an id'],
  ['a desired without an id', { seq: 1, op: 'desired', desired: 'stopped' }, 'desired without an id and a desired state'],
  ['a desired "paused"', { seq: 1, op: 'desired', id: 'a', desired: 'paused' }, 'desired without an id and a desired state'],
  ['a run without an id', { seq: 1, op: 'run', run }, 'run without an id and a valid run'],
  ['a run that is null', { seq: 1, op: 'run', id: 'a', run: null }, 'run without an id and a valid run'],
  ['a run with only a pid', { seq: 1, op: 'run', id: 'a', run: { pid: 7 } }, 'run without an id and a valid run'],
  ['a run with startedAt as a string', { seq: 1, op: 'run', id: 'a', run: { ...run, startedAt: '1' } }, 'run without an id and a valid run'],
];

for (const [what, value, reason] of badLines) {
  test(`a journal line of the wrong shape is refused with its reason: ${what}`, async (t) => {
    const dir = await tempDir(t);
    await mkdir(dir, { recursive: true });
    // A valid line after it: a bad last line would be taken for a torn one.
    const after = { seq: 2, op: 'put', record: processRecord('b') };
    await writeFile(join(dir, 'journal.jsonl'), `${JSON.stringify(value)}\n${JSON.stringify(after)}\n`);
    await assert.rejects(Store.open(dir), failsWith('E_INTERNAL', new RegExp(`line 1: ${escape(reason)}$`)));
  });
}

test('a run entry for an id that is not stored is ignored at replay, not kept as a run without a process', async (t) => {
  const dir = await tempDir(t);
  await mkdir(dir, { recursive: true });
  const lines = [
    { seq: 1, op: 'run', id: 'ghost', run },
    { seq: 2, op: 'put', record },
    { seq: 3, op: 'desired', id: 'ghost', desired: 'stopped' },
  ];
  await writeFile(join(dir, 'journal.jsonl'), lines.map((line) => `${JSON.stringify(line)}\n`).join(''));
  const store = await Store.open(dir);
  t.after(() => store.close());
  assert.deepEqual(structuredClone(store.state()), { processes: { a: record }, runs: {} });
});

const snapshot = { version: 1, seq: 1, processes: { a: record }, runs: { a: run } };

/** The reason after `corrupt state file <path>: `, for each snapshot.json. */
const badSnapshots: Array<[string, string, string | RegExp]> = [
  ['cut short', '{"version":1,"seq":', /^not JSON \(/],
  ['null', 'null', 'not a JSON object'],
  ['a number', '42', 'not a JSON object'],
  ['version 2', JSON.stringify({ ...snapshot, version: 2 }), 'unknown version 2'],
  ['seq -1', JSON.stringify({ ...snapshot, seq: -1 }), 'bad seq -1'],
  ['seq as a string', JSON.stringify({ ...snapshot, seq: '1' }), 'bad seq "1"'],
  ['a fractional seq', JSON.stringify({ ...snapshot, seq: 1.5 }), 'bad seq 1.5'],
  ['processes null', JSON.stringify({ ...snapshot, processes: null }), 'processes and runs must be objects'],
  ['no processes', JSON.stringify({ ...snapshot, processes: undefined }), 'processes and runs must be objects'],
  ['runs as an array', JSON.stringify({ ...snapshot, runs: [] }), 'processes and runs must be objects'],
  ['runs as a number', JSON.stringify({ ...snapshot, runs: 5 }), 'processes and runs must be objects'],
  ['a record under another id', JSON.stringify({ ...snapshot, processes: { b: record } }), "bad process record 'b'"],
  ['a record desired "paused"', JSON.stringify({ ...snapshot, processes: { a: { ...record, desired: 'paused' } } }), "bad process record 'a'"],
  ['a run with only a pid', JSON.stringify({ ...snapshot, runs: { a: { pid: 7 } } }), "bad run record 'a'"],
];

for (const [what, text, reason] of badSnapshots) {
  test(`a snapshot of the wrong shape is refused with its reason: ${what}`, async (t) => {
    const dir = await tempDir(t);
    await mkdir(dir, { recursive: true });
    const path = join(dir, 'snapshot.json');
    await writeFile(path, text);
    const pattern = typeof reason === 'string' ? `${escape(reason)}$` : reason.source.replace(/^\^/, '');
    await assert.rejects(Store.open(dir), failsWith('E_INTERNAL', new RegExp(`^corrupt state file ${escape(path)}: ${pattern}`)));
  });
}

test('the snapshot the malformed ones are made from opens', async (t) => {
  const dir = await tempDir(t);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'snapshot.json'), JSON.stringify(snapshot));
  const store = await Store.open(dir);
  t.after(() => store.close());
  assert.deepEqual(structuredClone(store.state()), { processes: { a: record }, runs: { a: run } });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
