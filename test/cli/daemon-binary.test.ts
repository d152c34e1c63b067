/**
 * The real `statevisor daemon` executable, in its own process, as an init script would run it:
 * its config is loaded and started, a second daemon on its live socket is refused, the socket is
 * 0600, and SIGTERM stops every child and exits 0. Everything spawned carries the marker (in the
 * temp dir's name for the daemons, in the sleep argument for the child), so `after` can kill
 * whatever a failure left behind.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { killMarked, newMarker, pidsWithMarker, procParent, procState, spawnersFor, waitUntil } from '../helpers/leaks.js';
import { runCli } from './run.js';
import { startDaemonBinary } from '../helpers/daemon-binary.js';

const living = (marker: string) => pidsWithMarker(marker).filter((pid) => procState(pid) !== 'Z');

test('the daemon binary runs its config, refuses a second daemon on its socket, keeps it 0600, and exits 0 on SIGTERM with its child gone', async (t) => {
  const marker = newMarker();
  const dir = mkdtempSync(path.join(os.tmpdir(), `statevisor-bin-${marker}-`));
  const socket = path.join(dir, 'statevisor.sock');
  const config = path.join(dir, 'config');
  mkdirSync(config);
  writeFileSync(path.join(config, 'sleeper.yaml'), `command: sleep\nargs: ["3600.${marker}"]\nauto_start: true\nstop: { grace_period: 2s }\n`);
  t.after(() => {
    killMarked(marker);
    rmSync(dir, { recursive: true, force: true });
  });

  const daemon = startDaemonBinary(['--socket', socket, '--state-dir', path.join(dir, 'state'), '--config', config, '--log-level', 'warn']);
  const cli = (...args: string[]) => runCli(['--socket', socket, ...args]);
  await waitUntil(
    'the daemon answers health',
    async () => {
      if (daemon.child.exitCode !== null) throw new Error(`the daemon exited early: ${daemon.output()}`);
      return (await cli('health')).code === 0;
    },
    { timeoutMs: 30_000, intervalMs: 100 },
  );

  assert.equal(statSync(socket).mode & 0o777, 0o600, 'the socket is 0600');

  let pid = 0;
  await waitUntil(
    'the config process runs',
    async () => {
      const ls = await cli('--json', 'ls');
      const sleeper = (JSON.parse(ls.stdout || '[]') as { name: string; state: string; pid: number }[]).find((p) => p.name === 'sleeper');
      pid = sleeper?.state === 'RUNNING' ? sleeper.pid : 0;
      return pid > 0;
    },
    { timeoutMs: 30_000, intervalMs: 100 },
  );
  // Spawned by the daemon's spawner (runtime/exec/spawner.ts), the daemon's own child.
  assert.equal(procParent(procParent(pid)!), daemon.child.pid, "the config process is the daemon's spawner's child");

  const second = startDaemonBinary(['--socket', socket, '--state-dir', path.join(dir, 'state2')]);
  const refused = await second.exited;
  assert.notEqual(refused.code, 0, `a second daemon on a live socket must fail: ${second.output()}`);
  assert.match(second.output(), /already listening/);
  assert.equal((await cli('health')).stdout, 'SERVING\n', 'the refused daemon left the first one and its socket alone');

  daemon.child.kill('SIGTERM');
  const stopped = await daemon.exited;
  assert.deepEqual(stopped, { code: 0, signal: null }, daemon.output());
  assert.equal(procState(pid), undefined, 'the child was stopped and reaped');
  assert.deepEqual(living(marker), [], 'nothing the daemons started survives them');
  assert.deepEqual(spawnersFor(path.join(dir, 'state')), [], 'nor does its spawner');
  assert.equal(existsSync(socket), false, 'the socket file is removed');
});
