import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readProcStat } from '../../src/runtime/os/proc-stat.js';
import { Store, nodeFs } from '../../src/store/index.js';
import type { StoreFs } from '../../src/store/index.js';
import { failsWith, processRecord, tempDir } from './fixtures.js';

async function writeLock(dir: string, owner: object | string): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'lock'), typeof owner === 'string' ? owner : JSON.stringify(owner));
}

async function lockOwner(dir: string): Promise<{ pid: number; startTime?: number }> {
  return JSON.parse(await readFile(join(dir, 'lock'), 'utf8'));
}

/** The pid of a process that has exited and been reaped. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await once(child, 'exit');
  return child.pid as number;
}

test('a second open of a dir in use is refused with E_UNAVAILABLE naming the pid', async (t) => {
  const dir = await tempDir(t);
  const store = await Store.open(dir);
  t.after(() => store.close());
  await assert.rejects(Store.open(dir), {
    code: 'E_UNAVAILABLE',
    message: `state dir ${dir} is in use by pid ${process.pid}`,
  });
  await store.putProcess(processRecord('still-mine'));
});

test('a lock held by another live process is refused', async (t) => {
  const dir = await tempDir(t);
  const parent = readProcStat(process.ppid);
  assert.ok(parent !== undefined);
  await writeLock(dir, { pid: parent.pid, startTime: parent.startTimeTicks });
  await assert.rejects(Store.open(dir), failsWith('E_UNAVAILABLE', `in use by pid ${parent.pid}`));
  assert.equal((await lockOwner(dir)).pid, parent.pid, 'the live owner keeps its lock');
});

test('close releases the lock, so the dir opens again', async (t) => {
  const dir = await tempDir(t);
  await (await Store.open(dir)).close();
  await assert.rejects(readFile(join(dir, 'lock')), { code: 'ENOENT' });
  const again = await Store.open(dir);
  t.after(() => again.close());
});

test('a lock left by a process that is gone is taken over', async (t) => {
  const dir = await tempDir(t);
  const pid = await deadPid();
  await writeLock(dir, { pid, startTime: 1 });
  const store = await Store.open(dir);
  t.after(() => store.close());
  assert.equal((await lockOwner(dir)).pid, process.pid);
  // Nothing left behind: no stale copy, no temp file.
  assert.deepEqual((await readdir(dir)).filter((name) => name.startsWith('lock')), ['lock']);
});

test('a lock whose pid now names another process (reused, or pid 1 in a container) is taken over', async (t) => {
  const dir = await tempDir(t);
  const me = readProcStat(process.pid);
  assert.ok(me !== undefined);
  await writeLock(dir, { pid: process.pid, startTime: me.startTimeTicks - 1 });
  const store = await Store.open(dir);
  t.after(() => store.close());
  assert.deepEqual(await lockOwner(dir), { pid: process.pid, startTime: me.startTimeTicks });
});

test('a lock file too damaged to name an owner is taken over', async (t) => {
  const dir = await tempDir(t);
  await writeLock(dir, '');
  const store = await Store.open(dir);
  t.after(() => store.close());
  assert.equal((await lockOwner(dir)).pid, process.pid);
});

test('a lock without a start time, held by a live pid, is refused', async (t) => {
  const dir = await tempDir(t);
  await writeLock(dir, { pid: process.ppid });
  await assert.rejects(Store.open(dir), failsWith('E_UNAVAILABLE', `in use by pid ${process.ppid}`));
});

test('pid 1 can hold the lock (a daemon in a container is pid 1)', async (t) => {
  const dir = await tempDir(t);
  const init = readProcStat(1);
  assert.ok(init !== undefined, '/proc/1/stat is readable');
  await writeLock(dir, { pid: 1, startTime: init.startTimeTicks });
  await assert.rejects(Store.open(dir), failsWith('E_UNAVAILABLE', 'in use by pid 1'));
});

const errno = (code: string, call: string) => Object.assign(new Error(`${code}: ${call}`), { code });

test('a link(2) that fails other than with EEXIST is reported at once, not retried', async (t) => {
  const dir = await tempDir(t);
  let links = 0;
  const fs: StoreFs = {
    ...nodeFs,
    async link() {
      links += 1;
      throw errno('EPERM', 'operation not permitted, link');
    },
  };
  await assert.rejects(Store.open(dir, { fs }), failsWith('E_INTERNAL', `cannot lock state dir ${dir}: EPERM`));
  assert.equal(links, 1);
});

test('a stale lock that is back at every attempt: refused after 5 attempts, not retried forever', async (t) => {
  const dir = await tempDir(t);
  const stale = JSON.stringify({ pid: await deadPid(), startTime: 1 });
  let links = 0;
  const fs: StoreFs = {
    ...nodeFs,
    async link(existing, created) {
      links += 1;
      // Another starter leaves a stale lock again just before each of our first 5 attempts.
      if (created === join(dir, 'lock') && links <= 5) await writeFile(created, stale);
      return nodeFs.link(existing, created);
    },
  };
  await writeLock(dir, stale);
  await assert.rejects(Store.open(dir, { fs }), {
    code: 'E_UNAVAILABLE',
    message: `state dir ${dir}: lost the race for its lock 5 times`,
  });
  assert.equal(links, 5);
});

/** nodeFs whose rename of the lock aside first runs `before` (a competitor acting in between). */
function renamingFs(dir: string, before: () => Promise<void>): StoreFs {
  return {
    ...nodeFs,
    async rename(from, to) {
      if (from === join(dir, 'lock')) await before();
      return nodeFs.rename(from, to);
    },
  };
}

test('a stale lock removed by a competitor before we could move it aside: the dir is locked anyway', async (t) => {
  const dir = await tempDir(t);
  await writeLock(dir, { pid: await deadPid(), startTime: 1 });
  const store = await Store.open(dir, { fs: renamingFs(dir, () => rm(join(dir, 'lock'))) });
  t.after(() => store.close());
  assert.equal((await lockOwner(dir)).pid, process.pid);
});

test('a stale lock that cannot be moved aside (EIO) fails the open with that error', async (t) => {
  const dir = await tempDir(t);
  await writeLock(dir, { pid: await deadPid(), startTime: 1 });
  const fs = renamingFs(dir, async () => {
    throw errno('EIO', 'i/o error, rename');
  });
  await assert.rejects(Store.open(dir, { fs }), failsWith('E_INTERNAL', `cannot lock state dir ${dir}: EIO`));
});

test('a live lock that replaced the stale one between our read and our rename is put back and respected', async (t) => {
  const dir = await tempDir(t);
  await writeLock(dir, { pid: await deadPid(), startTime: 1 });
  const parent = readProcStat(process.ppid);
  assert.ok(parent !== undefined);
  const live = JSON.stringify({ pid: parent.pid, startTime: parent.startTimeTicks });
  const fs = renamingFs(dir, () => writeFile(join(dir, 'lock'), live));
  await assert.rejects(Store.open(dir, { fs }), failsWith('E_UNAVAILABLE', `in use by pid ${parent.pid}`));
  assert.equal(await readFile(join(dir, 'lock'), 'utf8'), live, 'the competitor keeps its lock');
  assert.deepEqual((await readdir(dir)).filter((name) => name.startsWith('lock')), ['lock'], 'nothing left aside');
});

for (const pid of [0, -1]) {
  test(`a lock naming pid ${pid} names no owner and is taken over`, async (t) => {
    const dir = await tempDir(t);
    await writeLock(dir, { pid, startTime: 1 });
    const store = await Store.open(dir);
    t.after(() => store.close());
    assert.equal((await lockOwner(dir)).pid, process.pid);
  });
}
