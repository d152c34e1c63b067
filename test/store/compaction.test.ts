import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { Store } from '../../src/store/index.js';
import { eio, failsWith, latch, processRecord, runRecord, tempDir, tracedFs } from './fixtures.js';

async function journalLines(dir: string): Promise<number> {
  return (await readFile(join(dir, 'journal.jsonl'), 'utf8')).split('\n').filter(Boolean).length;
}

async function reopenedState(dir: string) {
  const store = await Store.open(dir);
  const state = structuredClone(store.state());
  await store.close();
  return state;
}

test('the journal is folded into the snapshot after compactAfter entries, losing nothing', async (t) => {
  const dir = await tempDir(t);
  const store = await Store.open(dir, { compactAfter: 10 });
  for (let i = 0; i < 95; i += 1) await store.putProcess(processRecord(`p${i % 30}`, { spec: { n: i } }));
  const expected = structuredClone(store.state());
  await store.close();
  // Compactions ran in the background (how many depends on disk speed), and between the
  // snapshot and the journal every entry is accounted for exactly once.
  const snapshotSeq = JSON.parse(await readFile(join(dir, 'snapshot.json'), 'utf8')).seq as number;
  assert.ok(snapshotSeq >= 10, `snapshot at seq ${snapshotSeq}`);
  assert.equal(snapshotSeq + (await journalLines(dir)), 95);
  assert.deepEqual(await reopenedState(dir), expected);
  assert.equal(Object.keys(expected.processes).length, 30);
});

test('writes issued while the snapshot is being written are acknowledged meanwhile and kept', async (t) => {
  const dir = await tempDir(t);
  const snapshotHeld = latch();
  let holding = false;
  const { fs } = tracedFs({
    beforeRename: async (from) => {
      if (holding && basename(from) === 'snapshot.json.tmp') await snapshotHeld.promise;
    },
  });
  const store = await Store.open(dir, { fs });
  for (let i = 0; i < 20; i += 1) await store.putProcess(processRecord(`p${i}`));
  holding = true;
  const compaction = store.compact();

  // The snapshot cannot finish, yet writes (updates, deletes, new ids) are still acknowledged.
  await store.putProcess(processRecord('p0', { spec: 'updated during compaction' }));
  await store.deleteProcess('p1');
  await store.recordRun('p2', runRecord(42));
  await Promise.all(Array.from({ length: 30 }, (_, i) => store.putProcess(processRecord(`new${i}`))));
  snapshotHeld.open();
  await compaction;
  await store.putProcess(processRecord('after'));

  const expected = structuredClone(store.state());
  await store.close();
  const reopened = await reopenedState(dir);
  assert.deepEqual(reopened, expected);
  assert.equal(reopened.processes.p0?.spec, 'updated during compaction');
  assert.equal(reopened.processes.p1, undefined);
  assert.equal(reopened.runs.p2?.pid, 42);
});

test('writes issued during the journal swap wait for it, then land in the new journal', async (t) => {
  const dir = await tempDir(t);
  const swapReached = latch();
  const swapHeld = latch();
  let holding = false;
  const { fs } = tracedFs({
    beforeRename: async (from) => {
      if (!holding || basename(from) !== 'journal.jsonl.tmp') return;
      swapReached.open();
      await swapHeld.promise;
    },
  });
  const store = await Store.open(dir, { fs });
  await store.putProcess(processRecord('a'));
  holding = true;
  const compaction = store.compact();
  await swapReached.promise;

  let acknowledged = false;
  const writes = [store.putProcess(processRecord('b')), store.deleteProcess('a')];
  const during = Promise.all(writes).then(() => (acknowledged = true));
  await new Promise((r) => setImmediate(r));
  assert.equal(acknowledged, false, 'no flush runs while the journal is being swapped');
  swapHeld.open();
  await Promise.all([compaction, during]);
  assert.equal(await journalLines(dir), 2);
  await store.close();
  assert.deepEqual(Object.keys((await reopenedState(dir)).processes), ['b']);
});

test('entries queued behind a slow fdatasync at the cut are neither lost nor misplaced', async (t) => {
  const dir = await tempDir(t);
  const syncHeld = latch();
  let holding = false;
  const { fs } = tracedFs({
    beforeDatasync: async (name) => {
      if (holding && name === 'journal.jsonl') await syncHeld.promise;
    },
  });
  const store = await Store.open(dir, { fs });
  holding = true;
  const first = store.putProcess(processRecord('a')); // in flight, its sync held
  await new Promise((r) => setImmediate(r));
  const second = store.putProcess(processRecord('b')); // queued behind it
  const compaction = store.compact(); // cuts after 'b'
  const third = store.putProcess(processRecord('c')); // after the cut
  syncHeld.open();
  await Promise.all([first, second, third, compaction]);
  await store.putProcess(processRecord('d'));
  await store.close();
  assert.deepEqual(Object.keys((await reopenedState(dir)).processes).sort(), ['a', 'b', 'c', 'd']);
});

test('a compaction failing mid-swap stops later writes; a reopen has every acknowledged one', async (t) => {
  const dir = await tempDir(t);
  let failSwap = false;
  const { fs } = tracedFs({
    beforeRename: (from) => {
      if (failSwap && basename(from) === 'journal.jsonl.tmp') throw eio('rename');
    },
  });
  const store = await Store.open(dir, { fs, compactAfter: 5 });
  for (let i = 0; i < 4; i += 1) await store.putProcess(processRecord(`p${i}`));
  failSwap = true;
  // The fifth entry starts a background compaction, which fails.
  await store.putProcess(processRecord('p4'));
  const failed = failsWith('E_INTERNAL', `cannot compact ${dir}: EIO`);
  await assert.rejects(store.flush().then(() => store.compact()), failed);
  await assert.rejects(store.putProcess(processRecord('refused')), failed);
  // Every write was durable before the failure, yet the store is failed: flush says so.
  await assert.rejects(store.flush(), failed);
  await store.close();
  assert.deepEqual(Object.keys((await reopenedState(dir)).processes).sort(), ['p0', 'p1', 'p2', 'p3', 'p4']);
});

async function snapshotSeq(dir: string): Promise<number> {
  return JSON.parse(await readFile(join(dir, 'snapshot.json'), 'utf8')).seq as number;
}

test('a compaction starts on the compactAfter-th entry after the snapshot, not one earlier or later', async (t) => {
  const dir = await tempDir(t);
  const session = async (ids: string[]) => {
    const store = await Store.open(dir, { compactAfter: 3 });
    for (const id of ids) await store.putProcess(processRecord(id));
    await store.close(); // waits for a compaction the last write started
  };
  await session(['p1', 'p2']);
  assert.deepEqual([await snapshotSeq(dir), await journalLines(dir)], [0, 2], '2 entries of 3: no compaction');
  // Open folds the journal in (snapshot at 2): the next 3 entries count from there.
  await session(['p3', 'p4']);
  assert.deepEqual([await snapshotSeq(dir), await journalLines(dir)], [2, 2], '2 entries after the snapshot at 2: no compaction');
  await session(['p5', 'p6', 'p7']);
  assert.deepEqual([await snapshotSeq(dir), await journalLines(dir)], [7, 0], 'the 3rd entry after the snapshot at 4 compacts');
});

test('a store compacts again after its first compaction', async (t) => {
  const dir = await tempDir(t);
  const store = await Store.open(dir);
  t.after(() => store.close());
  await store.putProcess(processRecord('a'));
  await store.compact();
  await store.putProcess(processRecord('b'));
  await store.compact();
  assert.deepEqual([await snapshotSeq(dir), await journalLines(dir)], [2, 0]);
});
