/**
 * The daemon as PID 1 of its own PID namespace, as in a container started without an init
 * (docs/deploy.md, "Inside a container"): SIGTERM still stops it cleanly, since it handles the
 * signal (the kernel drops signals PID 1 has no handler for); but an orphaned grandchild is
 * reparented to it, and once that one exits it stays a zombie, because the daemon reaps only its
 * own children. What is pinned here is the limit the docs state, so that a change to it (a
 * subreaper, an init of our own) is seen. Everything carries the marker; `after` kills leftovers.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { accessSync, constants, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { killMarked, newMarker, pidsWithMarker, procParent, procState, waitUntil } from '../helpers/leaks.js';
import { binary, testEnv } from '../helpers/daemon-binary.js';
import { needsRoot } from '../helpers/requirements.js';
import { cliOn } from '../cli/run.js';

const unshare = '/usr/bin/unshare';
function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
const skip = needsRoot ? `${needsRoot}, to make a PID namespace` : executable(unshare) ? false : `needs ${unshare} (util-linux): apt-get install -y util-linux`;

function childrenOf(parent: number): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .filter((pid) => procParent(pid) === parent);
}

function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return '';
  }
}

test('as PID 1 of its own PID namespace the daemon stops cleanly on SIGTERM, but an orphan reparented to it stays a zombie once it exits', { timeout: 120_000, skip }, async (t) => {
  const marker = newMarker();
  const dir = mkdtempSync(path.join(os.tmpdir(), `statevisor-pid1-${marker}-`));
  const socket = path.join(dir, 'statevisor.sock');
  const config = path.join(dir, 'config');
  mkdirSync(config);
  // The subshell starts the orphan and exits at once; the main process keeps running.
  writeFileSync(
    path.join(config, 'forker.yaml'),
    `command: sh\nargs: ["-c", "(sleep 3600.${marker}1 &); exec sleep 3600.${marker}2"]\nauto_start: true\nstop: { grace_period: 2s }\n`,
  );
  t.after(() => {
    killMarked(marker);
    rmSync(dir, { recursive: true, force: true });
  });

  // --mount-proc: the daemon reads /proc, which must show its own namespace's pids.
  const namespace = spawn(unshare, ['--pid', '--fork', '--mount-proc', process.execPath, binary, 'daemon', '--socket', socket, '--state-dir', path.join(dir, 'state'), '--config', config, '--log-level', 'warn'], {
    env: testEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  namespace.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  namespace.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    namespace.on('close', (code, signal) => resolve({ code, signal })),
  );

  const cli = cliOn(socket);
  await waitUntil(
    'the daemon answers',
    async () => {
      if (namespace.exitCode !== null) throw new Error(`unshare exited: ${output}`);
      return (await cli('health')).code === 0;
    },
    { timeoutMs: 30_000, intervalMs: 100 },
  );
  // unshare --fork waits for the namespace's first process: the daemon, PID 1 inside.
  const [daemon] = childrenOf(namespace.pid!);
  assert.ok(daemon !== undefined && cmdline(daemon).includes(' daemon '), `the daemon is unshare's child: ${output}`);
  assert.match(readFileSync(`/proc/${daemon}/status`, 'utf8'), /^NSpid:\s+\d+\s+1$/m, 'the daemon is PID 1 of its namespace');

  let orphan = 0;
  await waitUntil(
    'the orphan runs, reparented to the daemon',
    () => {
      orphan = pidsWithMarker(`3600.${marker}1`).find((pid) => procState(pid) !== 'Z' && procParent(pid) === daemon) ?? 0;
      return orphan > 0;
    },
    { timeoutMs: 30_000, intervalMs: 50 },
  );
  process.kill(orphan, 'SIGKILL');
  // Reaped, it would be gone (undefined); unreaped, a zombie.
  await waitUntil('the orphan has exited', () => procState(orphan) !== 'S' && procState(orphan) !== 'R', { timeoutMs: 10_000 });
  // The daemon has had its SIGCHLD and answered a call since: still a zombie, parented to it.
  assert.equal((await cli('health')).stdout, 'SERVING\n');
  assert.equal(procState(orphan), 'Z', 'PID 1 without an init does not reap what is not its own child');
  assert.equal(procParent(orphan), daemon);

  process.kill(daemon, 'SIGTERM');
  assert.deepEqual(await exited, { code: 0, signal: null }, `SIGTERM to PID 1 stops the daemon, exit 0: ${output}`);
  const running = pidsWithMarker(`3600.${marker}`).filter((pid) => procState(pid) !== undefined && procState(pid) !== 'Z');
  assert.deepEqual(running, [], 'the namespace ends with its PID 1');
});
