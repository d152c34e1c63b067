/**
 * `statevisor daemon --detach`: the daemon in the background, as `pm2` users expect one. It runs
 * in its own session (setsid, through spawn's `detached`: no terminal, so closing the terminal
 * sends it no SIGHUP), with stdin from /dev/null and its output appended to
 * `<state-dir>/daemon.log`. This process returns only once the daemon answers Health on its
 * socket, so a command typed next finds it; if it exits first, or has not answered within
 * detachWaitMs, the new part of its log is printed and the exit code is 1.
 *
 * A daemon already answering on the socket is not an error: it is what was asked for (exit 0, with
 * its pid). That includes losing a race with another --detach: the loser's daemon is refused
 * ("already listening") and exits, and the one that answers is reported.
 */
import { spawn } from 'node:child_process';
import { closeSync, constants, fstatSync, mkdirSync, openSync, readSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient, type StatevisorClient } from '../client/index.js';
import { defaultSocketPath } from '../paths.js';
import { StatevisorError } from '../errors.js';
import { daemonLogOf, runningDaemon, type DaemonPlace } from './daemon-place.js';
import { printLine } from './output.js';
import { daemonNodeFlags } from '../node-flags.js';

/** How long a detached daemon may take to answer: a large journal is replayed before it listens. */
export const detachWaitMs = 30_000;
/** Lines of the daemon's log printed when it did not come up. */
const tailLines = 20;

/** dist/src/cli/detach.js → dist/src/bin/statevisor.js: the same installed executable. */
const binary = fileURLToPath(new URL('../bin/statevisor.js', import.meta.url));

function reportRunning(socket: string, running: { pid: number; stateDir: string }, started: boolean): void {
  printLine(started ? `statevisor: daemon started in the background (pid ${running.pid})` : `statevisor: a daemon is already running (pid ${running.pid})`);
  printLine(`  socket: ${socket}`);
  printLine(`  log:    ${daemonLogOf(running.stateDir)}`);
  if (started) printLine(`  stop it with 'statevisor daemon --stop${socket === path.resolve(defaultSocketPath()) ? '' : ` --socket ${socket}`}'`);
}

/** The log file, appended to, never through a link (the daemon's own rule for its state dir). */
function openLog(file: string): number {
  try {
    return openSync(file, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW, 0o600);
  } catch (error) {
    throw new StatevisorError('E_INVALID_ARGUMENT', `cannot open the daemon's log ${file}: ${(error as Error).message}`);
  }
}

/** The last lines written to the log after `from` (its size before this daemon started). */
function logTail(file: string, from: number): string {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch {
    return '';
  }
  try {
    const length = Math.max(0, fstatSync(fd).size - from);
    const buffer = Buffer.alloc(Math.min(length, 64 * 1024));
    const read = readSync(fd, buffer, 0, buffer.length, from + length - buffer.length);
    return buffer.subarray(0, read).toString('utf8').split('\n').filter((line) => line !== '').slice(-tailLines).join('\n');
  } finally {
    closeSync(fd);
  }
}

type Outcome = { kind: 'answering' } | { kind: 'exited'; code: number | null; signal: NodeJS.Signals | null } | { kind: 'timeout' };

export async function detachDaemon(control: DaemonPlace & { readonly daemonArgs: readonly string[] }): Promise<number> {
  const client = createClient({ socket: control.socket });
  try {
    const running = await runningDaemon(client);
    if (running !== undefined) {
      reportRunning(control.socket, running, false);
      return 0;
    }
    mkdirSync(control.stateDir, { recursive: true, mode: 0o700 });
    const logFile = daemonLogOf(control.stateDir);
    const fd = openLog(logFile);
    const from = fstatSync(fd).size;
    const child = spawn(process.execPath, [...daemonNodeFlags, binary, 'daemon', ...control.daemonArgs], { detached: true, stdio: ['ignore', fd, fd] });
    closeSync(fd);
    child.unref();
    const exited = new Promise<Outcome>((resolve) => child.once('exit', (code, signal) => resolve({ kind: 'exited', code, signal })));
    const outcome = await Promise.race([exited, untilAnswering(client, exited)]);
    if (outcome.kind === 'answering') {
      reportRunning(control.socket, { pid: child.pid!, stateDir: control.stateDir }, true);
      return 0;
    }
    // Refused because another daemon took the socket meanwhile (two --detach at once): that one is running.
    const other = outcome.kind === 'exited' ? await runningDaemon(client) : undefined;
    if (other !== undefined) {
      reportRunning(control.socket, other, false);
      return 0;
    }
    const why =
      outcome.kind === 'exited'
        ? `the daemon exited (${outcome.signal ?? `code ${outcome.code}`}) before answering on ${control.socket}`
        : `the daemon (pid ${child.pid}) did not answer on ${control.socket} within ${detachWaitMs / 1000} s; it is left running`;
    const tail = logTail(logFile, from);
    process.stderr.write(`statevisor: ${why}; the end of ${logFile}:\n${tail === '' ? '(empty)' : tail}\n`);
    return 1;
  } finally {
    client.close();
  }
}

/** Polls Health until SERVING; stops polling when `ended` settles first or at detachWaitMs. */
async function untilAnswering(client: StatevisorClient, ended: Promise<unknown>): Promise<Outcome> {
  let over = false;
  void ended.then(() => (over = true));
  const deadline = Date.now() + detachWaitMs;
  while (!over && Date.now() < deadline) {
    const health = await client.health('', { deadlineMs: 2_000 }).catch(() => undefined);
    if (health === 'SERVING') return { kind: 'answering' };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { kind: 'timeout' };
}
