/**
 * The spawner (runtime/exec/spawner.ts): a small process that spawns the daemon's children, reaps
 * them and reports their exits; whose death leaves its children running, watched by identity; and
 * which a stop ends without touching them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Spawner, SpawnerLost, spawnerEntry } from '../../../src/runtime/exec/spawner.js';
import type { SpawnRequest } from '../../../src/runtime/exec/spawner-protocol.js';
import { processStartTime } from '../../../src/runtime/os/proc-stat.js';
import { killMarked, newMarker, procParent, procState, waitUntil } from '../../helpers/leaks.js';

/** `promise`, or a failure after `ms`; the timer also keeps the loop alive meanwhile (watching by identity polls on unref'd timers). */
async function within<T>(ms: number, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`not settled within ${ms} ms`)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

function rig(t: { after(fn: () => void | Promise<void>): void }) {
  const marker = newMarker();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'statevisor-spawner-'));
  const lost: string[] = [];
  const spawner = new Spawner({ stateDir: dir, now: () => Date.now(), onLost: (why) => lost.push(why) });
  t.after(async () => {
    await spawner.stop();
    killMarked(marker);
    rmSync(dir, { recursive: true, force: true });
  });
  const request = (command: string, args: string[], more: Partial<Omit<SpawnRequest, 'op' | 'seq'>> = {}) =>
    spawner.spawn({ command, args, env: { PATH: process.env.PATH }, cwd: dir, logs: { stdout: 'null', stderr: 'null' }, pipes: {}, ...more });
  return { marker, dir, lost, spawner, request, sleep: () => request('sleep', [`3600.${marker}`]) };
}

test('the spawner is the parent of what it spawns, in its own group, and reports exit code and signal once reaped', async (t) => {
  const r = rig(t);
  const exits = await r.request('sh', ['-c', 'exit 3', r.marker]);
  assert.equal(exits.pgid, exits.pid);
  assert.deepEqual(await exits.exited.then(({ exitCode, signal }) => ({ exitCode, signal })), { exitCode: 3, signal: null });
  const sleeper = await r.sleep();
  assert.equal(procParent(sleeper.pid), r.spawner.pid, 'spawned by the spawner, not by this process');
  assert.equal(readFileSync(`/proc/${sleeper.pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[3], String(sleeper.pid), 'leads its own session');
  assert.equal(sleeper.startTime, processStartTime(sleeper.pid));
  process.kill(sleeper.pid, 'SIGTERM');
  const exit = await sleeper.exited;
  assert.deepEqual([exit.exitCode, exit.signal], [null, 'SIGTERM']);
  assert.equal(procState(sleeper.pid), undefined, 'reaped: no zombie is left');
  assert.deepEqual(r.lost, []);
});

test('a missing binary fails with spawn\'s own message and code; umask and cwd reach the child', async (t) => {
  const r = rig(t);
  await assert.rejects(r.request('no-such-binary-here', []), (error: Error & { code?: string }) => {
    assert.equal(error.message, 'spawn no-such-binary-here ENOENT');
    assert.equal(error.code, 'ENOENT');
    return true;
  });
  const made = await r.request('sh', ['-c', ': > made', r.marker], { umask: 0o077 });
  await made.exited;
  assert.equal(statSync(path.join(r.dir, 'made')).mode & 0o777, 0o600);
});

test('a stop ends the spawner and leaves its children running', async (t) => {
  const r = rig(t);
  const sleeper = await r.sleep();
  const spawnerPid = r.spawner.pid!;
  await r.spawner.stop();
  assert.equal(procState(spawnerPid), undefined, 'the spawner is gone');
  assert.equal(procState(sleeper.pid), 'S', 'its child still runs');
  assert.notEqual(procParent(sleeper.pid), spawnerPid);
  await assert.rejects(r.sleep(), /stopping/);
  assert.deepEqual(r.lost, [], 'a stop is not a loss');
});

test('kill -9 of the spawner: its children are watched as survivors, a pending spawn fails, the next spawn forks a new one', async (t) => {
  const r = rig(t);
  const sleeper = await r.sleep();
  const first = r.spawner.pid!;
  process.kill(first, 'SIGKILL');
  await waitUntil('the loss is noticed', () => r.lost.length === 1);
  assert.match(r.lost[0]!, new RegExp(`the spawner \\(pid ${first}\\) was killed by SIGKILL`));
  assert.equal(sleeper.alive, true, 'not taken for lost');
  const next = await r.sleep();
  assert.notEqual(r.spawner.pid, first, 'a new spawner');
  assert.equal(procParent(next.pid), r.spawner.pid);
  process.kill(sleeper.pid, 'SIGKILL');
  const exit = await within(10_000, sleeper.exited);
  assert.deepEqual([exit.exitCode, exit.signal], [null, null], 'seen gone by its identity: its status went to init');
  process.kill(next.pid, 'SIGKILL');
  await next.exited;
  // A stopped spawner cannot answer: the request is surely in flight when it dies.
  const second = r.spawner.pid!;
  process.kill(second, 'SIGSTOP');
  const pending = r.sleep();
  process.kill(second, 'SIGKILL');
  await assert.rejects(pending, (error: Error) => error instanceof SpawnerLost && /before it answered/.test(error.message));
});

test('the spawner imports only child_process and three small files, nothing of the daemon', () => {
  const source = readFileSync(spawnerEntry, 'utf8');
  const imports = [...source.matchAll(/^import .* from '([^']+)';$/gm)].map((m) => m[1]);
  assert.deepEqual(imports.sort(), ['../os/proc-stat.js', './log-targets.js', './umask.js', 'node:child_process']);
});
