import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GroupCommit } from '../../src/store/group-commit.js';
import { Store } from '../../src/store/index.js';
import { eio, failsWith, latch, processRecord, tempDir, total, tracedFs } from './fixtures.js';

test('1,000 concurrent puts share a handful of fdatasyncs, not 1,000', async (t) => {
  const { fs, counts } = tracedFs();
  // compactAfter above 1,000: the 1,000th entry would otherwise start a compaction, whose fsyncs
  // are not the puts' own.
  const store = await Store.open(await tempDir(t), { fs, compactAfter: 10_000 });
  t.after(() => store.close());
  counts.datasync.clear();
  counts.sync.clear();
  await Promise.all(Array.from({ length: 1_000 }, (_, i) => store.putProcess(processRecord(`p${i}`))));
  const syncs = total(counts.datasync) + total(counts.sync);
  t.diagnostic(`1,000 concurrent puts: ${total(counts.datasync)} fdatasync, ${total(counts.sync)} fsync`);
  assert.ok(syncs <= 3, `${syncs} syncs`);
  assert.equal(Object.keys(store.state().processes).length, 1_000);
});

test('a write issued while a flush is in flight waits for the next flush', async () => {
  const batches: number[][] = [];
  const gates = [latch(), latch()];
  const commits = new GroupCommit<number>(async (items) => {
    batches.push(items);
    await gates[batches.length - 1]?.promise;
  });
  const settled: number[] = [];
  const submit = (n: number) => commits.submit(n).then(() => settled.push(n));

  const first = [submit(1), submit(2)]; // same turn: one batch
  await new Promise((r) => setImmediate(r));
  const later = [submit(3), submit(4)]; // while the first flush is in flight
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(batches, [[1, 2]]);
  assert.deepEqual(settled, []);

  gates[0]?.open();
  await Promise.all(first);
  assert.deepEqual(settled, [1, 2], 'the first batch resolves without waiting for the second');
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(batches, [[1, 2], [3, 4]]);

  gates[1]?.open();
  await Promise.all(later);
  assert.deepEqual(settled, [1, 2, 3, 4]);
  await commits.settled();
});

test('an exclusive section waits for the flush in flight and holds later ones until it ends', async () => {
  const order: string[] = [];
  const gate = latch();
  const commits = new GroupCommit<string>(async (items) => {
    order.push(`flush ${items.join(',')}`);
    if (items[0] === 'a') await gate.promise;
  });
  const a = commits.submit('a');
  await new Promise((r) => setImmediate(r));
  const section = commits.exclusive(async () => {
    order.push('section');
  });
  const b = commits.submit('b');
  gate.open();
  await Promise.all([a, b, section]);
  assert.deepEqual(order, ['flush a', 'section', 'flush b']);
});

test('a failed fdatasync rejects its writes and every later one; close still releases the dir', async (t) => {
  const dir = await tempDir(t);
  let failing = false;
  const { fs } = tracedFs({
    beforeDatasync: (name) => {
      if (failing && name === 'journal.jsonl') throw eio('fdatasync');
    },
  });
  const store = await Store.open(dir, { fs });
  await store.putProcess(processRecord('kept'));
  failing = true;
  const isInternal = failsWith('E_INTERNAL', `cannot append to the journal in ${dir}: EIO`);
  await Promise.all([
    assert.rejects(store.putProcess(processRecord('x')), isInternal),
    assert.rejects(store.putProcess(processRecord('y')), isInternal),
  ]);
  // No retry: after a failed fsync the kernel may have dropped the pages and cleared the error.
  failing = false;
  await assert.rejects(store.putProcess(processRecord('z')), isInternal);
  await assert.rejects(store.flush(), isInternal);
  await store.close();

  const reopened = await Store.open(dir);
  t.after(() => reopened.close());
  assert.ok(reopened.state().processes.kept !== undefined);
});

/** What `promise` has come to once every pending callback of this turn has run: its value, its error, or 'pending'. */
function outcome(promise: Promise<unknown>): Promise<unknown> {
  return Promise.race([promise.then(() => 'resolved', (error: unknown) => error), new Promise((r) => setImmediate(() => r('pending')))]);
}

test('after a failed flush, a submission rejects at once with that failure instead of waiting forever', async () => {
  const failure = eio('fdatasync');
  const commits = new GroupCommit<number>(async () => {
    throw failure;
  });
  await assert.rejects(commits.submit(1), (error) => error === failure);
  assert.equal(await outcome(commits.submit(2)), failure);
});

test('settled() rejects once the committer has failed, even with nothing left queued', async () => {
  const commits = new GroupCommit<number>(async () => undefined);
  await commits.submit(1);
  const failure = new Error('the journal was swapped badly');
  commits.fail(failure);
  assert.equal(await outcome(commits.settled()), failure);
});

test('exclusive sections run one at a time', async () => {
  const commits = new GroupCommit<number>(async () => undefined);
  const order: string[] = [];
  const gate = latch();
  const first = commits.exclusive(async () => {
    order.push('first starts');
    await gate.promise;
    order.push('first ends');
  });
  const second = commits.exclusive(async () => {
    order.push('second starts');
  });
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(order, ['first starts']);
  gate.open();
  await Promise.all([first, second]);
  assert.deepEqual(order, ['first starts', 'first ends', 'second starts']);
});

test('a committer failed during an exclusive section flushes nothing afterwards, not even an empty batch', async () => {
  const batches: number[][] = [];
  const commits = new GroupCommit<number>(async (items) => {
    batches.push(items);
  });
  const failure = new Error('failed while the file was being swapped');
  let queued: Promise<void> | undefined;
  await commits.exclusive(async () => {
    queued = commits.submit(1); // waits for the section
    await new Promise((r) => setImmediate(r));
    commits.fail(failure);
  });
  await assert.rejects(queued as Promise<void>, (error) => error === failure);
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(batches, []);
});
