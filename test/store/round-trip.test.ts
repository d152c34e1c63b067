import { test } from 'node:test';
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Store } from '../../src/store/index.js';
import { failsWith, processRecord, runRecord, tempDir } from './fixtures.js';

test('every kind of write survives close and reopen', async (t) => {
  const dir = await tempDir(t);
  const store = await Store.open(dir);
  await store.putProcess(processRecord('web'));
  await store.putProcess(processRecord('web', { spec: { n: 2 } }));
  await store.putProcess(processRecord('db', { source: 'config' }));
  await store.putProcess(processRecord('gone'));
  await store.setDesired('db', 'stopped');
  await store.recordRun('web', runRecord(101));
  await store.recordRun('db', runRecord(202));
  await store.clearRun('db');
  await store.deleteProcess('gone');
  const before = structuredClone(store.state());
  await store.close();

  const reopened = await Store.open(dir);
  t.after(() => reopened.close());
  assert.deepEqual(structuredClone(reopened.state()), before);
  assert.deepEqual(Object.keys(reopened.state().processes).sort(), ['db', 'web']);
  assert.deepEqual(reopened.state().processes.web?.spec, { n: 2 });
  assert.equal(reopened.state().processes.db?.desired, 'stopped');
  assert.deepEqual(Object.keys(reopened.state().runs), ['web']);
});

test('a read right after a write sees it, before the write is durable', async (t) => {
  const store = await Store.open(await tempDir(t));
  t.after(() => store.close());
  const durable = store.putProcess(processRecord('a'));
  assert.equal(store.state().processes.a?.id, 'a');
  const stopped = store.setDesired('a', 'stopped');
  assert.equal(store.state().processes.a?.desired, 'stopped');
  await Promise.all([durable, stopped]);
});

test('deleting a process drops its run too', async (t) => {
  const dir = await tempDir(t);
  const store = await Store.open(dir);
  await store.putProcess(processRecord('a'));
  await store.recordRun('a', runRecord(7));
  await store.deleteProcess('a');
  assert.equal(store.state().runs.a, undefined);
  assert.deepEqual(await runsAfterReopen(t, store, dir), []);
});

test('setDesired and recordRun on an unknown id reject with E_NOT_FOUND and change nothing', async (t) => {
  const store = await Store.open(await tempDir(t));
  t.after(() => store.close());
  await assert.rejects(store.setDesired('nope', 'stopped'), failsWith('E_NOT_FOUND', "'nope'"));
  await assert.rejects(store.recordRun('nope', runRecord(1)), failsWith('E_NOT_FOUND', "'nope'"));
  // The maps have no prototype (so an id cannot be `__proto__`'s setter): compare plain copies.
  assert.deepEqual(structuredClone(store.state()), { processes: {}, runs: {} });
});

test('deleting or clearing what is absent resolves, once earlier writes are durable', async (t) => {
  const store = await Store.open(await tempDir(t));
  t.after(() => store.close());
  let putDone = false;
  const put = store.putProcess(processRecord('a')).then(() => (putDone = true));
  await store.deleteProcess('never-existed');
  assert.equal(putDone, true);
  await store.clearRun('a');
  await put;
});

test('deleting or clearing what is absent writes nothing to the journal', async (t) => {
  const dir = await tempDir(t);
  const store = await Store.open(dir);
  t.after(() => store.close());
  await store.putProcess(processRecord('a'));
  await store.deleteProcess('never-existed');
  await store.clearRun('a');
  assert.deepEqual(journalSeqs(await readFile(join(dir, 'journal.jsonl'), 'utf8')), [1]);
});

test('deleting an id that has only a run (a snapshot written by hand) removes the run', async (t) => {
  const dir = await tempDir(t);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'snapshot.json'), JSON.stringify({ version: 1, seq: 1, processes: {}, runs: { ghost: runRecord(7) } }));
  const store = await Store.open(dir);
  await store.deleteProcess('ghost');
  assert.equal(store.state().runs.ghost, undefined);
  assert.deepEqual(await runsAfterReopen(t, store, dir), []);
});

test('writes after close reject with E_UNAVAILABLE; close is idempotent', async (t) => {
  const store = await Store.open(await tempDir(t));
  await store.close();
  await store.close();
  await assert.rejects(store.putProcess(processRecord('a')), failsWith('E_UNAVAILABLE', 'closed'));
  await assert.rejects(store.deleteProcess('a'), failsWith('E_UNAVAILABLE', 'closed'));
  await assert.rejects(store.compact(), failsWith('E_UNAVAILABLE', 'closed'));
  assert.equal(store.state().processes.a, undefined);
});

test('a value JSON cannot carry is refused with E_INVALID_ARGUMENT and leaves the state untouched', async (t) => {
  const store = await Store.open(await tempDir(t));
  t.after(() => store.close());
  const bigint = processRecord('a', { spec: { big: 1n } });
  await assert.rejects(store.putProcess(bigint), failsWith('E_INVALID_ARGUMENT', 'BigInt'));
  // JSON.stringify drops an undefined spec; replay would then meet a record without one.
  await assert.rejects(store.putProcess(processRecord('a', { spec: undefined })), failsWith('E_INVALID_ARGUMENT'));
  assert.equal(store.state().processes.a, undefined);
  await store.putProcess(processRecord('a'));
});

test('stored records are frozen copies: the caller mutating its object changes nothing', async (t) => {
  const store = await Store.open(await tempDir(t));
  t.after(() => store.close());
  const record = processRecord('a', { spec: { args: ['x'] } });
  await store.putProcess(record);
  (record.spec as { args: string[] }).args.push('y');
  const stored = store.state().processes.a;
  assert.deepEqual(stored?.spec, { args: ['x'] });
  assert.ok(Object.isFrozen(stored) && Object.isFrozen(stored.spec));
});

test('ids like __proto__ and constructor are ordinary keys', async (t) => {
  const dir = await tempDir(t);
  const store = await Store.open(dir);
  await store.putProcess(processRecord('__proto__'));
  await store.putProcess(processRecord('constructor'));
  assert.equal(store.state().processes.toString, undefined);
  await store.close();
  const reopened = await Store.open(dir);
  t.after(() => reopened.close());
  assert.deepEqual(Object.keys(reopened.state().processes).sort(), ['__proto__', 'constructor']);
  assert.equal(reopened.state().processes['__proto__']?.id, '__proto__');
});

function journalSeqs(text: string): number[] {
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => (JSON.parse(line) as { seq: number }).seq);
}

/** Closes `store`, opens `dir` again (closed after the test), and lists the ids with a run. */
async function runsAfterReopen(t: TestContext, store: Store, dir: string): Promise<string[]> {
  await store.close();
  const reopened = await Store.open(dir);
  t.after(() => reopened.close());
  return Object.keys(reopened.state().runs);
}
