import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readProcStat } from '../../src/runtime/os/proc-stat.js';
import { Store } from '../../src/store/index.js';
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
