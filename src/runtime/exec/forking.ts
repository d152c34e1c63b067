/**
 * `type: forking`, as systemd's Type=forking: the command daemonises and exits 0; the process it
 * leaves behind, named by the pidfile, is the run's main process. The daemon waits for the
 * command's exit (within start_timeout), reads the pidfile (which may appear just after the
 * exit: it is read again for up to `pidfileGraceMs`), checks that the pid runs and is this run's
 * (in its cgroup, carrying its marker, or in the group or session of the command), and then
 * watches it by pid and start time as it watches an adopted survivor (adopted-handle.ts): it is
 * not our child, so its exit is seen by polling and its exit status is unknown.
 *
 * Anything else is a failed start, with the pidfile and what it held in the message, and what
 * the run left (the command's group, its cgroup, whatever carries its marker) is killed, so a
 * failed start leaves nothing running. A stale pidfile is removed before the command runs, so a
 * file a previous run left is never read as this run's.
 *
 * Without `type: forking`, a `pidfile` is written by the daemon: the main pid, atomically, once
 * the program runs (pidfile.ts); the terminated phase removes it.
 */
import { describeExit } from '../../machines/exit-status.js';
import type { ProcessSpec } from '../../spec/types.js';
import type { ProcessCgroup } from '../resources/index.js';
import { hasExited, processStartTime, readProcStat } from '../os/proc-stat.js';
import { signalGroup } from '../os/process-group.js';
import { AdoptedHandle } from './adopted-handle.js';
import type { ChildExit, WorkloadHandle } from './child-handle.js';
import { readPidfile, removePidfile, writePidfile } from './pidfile.js';
import { findMarked, markOf } from './survivors.js';

/** After the command's exit, how long its pidfile may take to name a running process. */
export const pidfileGraceMs = 2_000;
const pidfilePollMs = 20;

export interface MainProcessContext {
  readonly id: string;
  readonly spec: ProcessSpec;
  readonly signal: AbortSignal;
  readonly stateDir: string;
  readonly cgroup: ProcessCgroup | undefined;
  readonly now: () => number;
  /** A failed start, as the runtime reports it (E_START_FAILED naming the process). */
  readonly fail: (reason: string) => Error;
  readonly warn: (message: string) => void;
}

/** Before the spawn of a forking run: a pidfile left by an earlier run must not be read as this one's. */
export function clearStalePidfile(spec: ProcessSpec): void {
  if (spec.type === 'forking' && spec.pidfile !== undefined) removePidfile(spec.pidfile);
}

/**
 * The run's main process once `spawned` runs: the daemon a forking command left, or the spawned
 * child itself, its pid written to the spec's pidfile when it names one.
 */
export async function mainProcess(spawned: WorkloadHandle, context: MainProcessContext): Promise<WorkloadHandle> {
  const { spec } = context;
  if (spec.pidfile === undefined) return spawned;
  if (spec.type !== 'forking') {
    try {
      writePidfile(spec.pidfile, spawned.pid);
    } catch (error) {
      await killRun(spawned, context);
      throw context.fail(`pidfile ${spec.pidfile}: the main pid cannot be written (${(error as Error).message})`);
    }
    return spawned;
  }
  try {
    return await daemonOf(spawned, spec.pidfile, context);
  } catch (error) {
    await killRun(spawned, context);
    removePidfile(spec.pidfile);
    throw error;
  }
}

async function daemonOf(command: WorkloadHandle, pidfile: string, context: MainProcessContext): Promise<WorkloadHandle> {
  const { spec, signal } = context;
  const timeoutMs = spec.startTimeoutMs;
  const exit = await exitWithin(command, timeoutMs > 0 ? command.startedAt + timeoutMs - context.now() : undefined, signal);
  if (exit === undefined) throw context.fail(`the forking command did not exit within start_timeout (${timeoutMs} ms); a forking command must exit once its daemon runs`);
  if (exit.signal !== null || exit.exitCode !== 0) {
    throw context.fail(`the forking command ${describeExit(exit)} before its pidfile ${pidfile} named a running daemon`);
  }
  const graceEnd = Math.min(context.now() + pidfileGraceMs, timeoutMs > 0 ? command.startedAt + timeoutMs : Infinity);
  for (;;) {
    const reading = readPidfile(pidfile);
    if ('pid' in reading) {
      const stat = readProcStat(reading.pid);
      // Written during this run (a stale one was removed before it), so a dead pid will not come back.
      if (stat === undefined || hasExited(stat)) throw context.fail(`pidfile ${pidfile} names pid ${reading.pid}, which is not running`);
      const why = await notOurs(reading.pid, stat, command, context);
      if (why !== undefined) throw context.fail(`pidfile ${pidfile} names pid ${reading.pid}, ${why}`);
      return new AdoptedHandle(reading.pid, stat.pgid, stat.startTimeTicks, command.startedAt, context.now);
    }
    if (context.now() >= graceEnd) {
      throw context.fail(`pidfile ${pidfile} names no running daemon ${pidfileGraceMs} ms after the forking command exited 0: ${reading.problem}`);
    }
    await pause(pidfilePollMs, signal);
  }
}

/**
 * Why `pid` is not this run's process, or undefined when it is. Never supervise (and one day
 * kill) what this run did not start: a pidfile is written by the workload, perhaps as another
 * user, and may name anything. Proofs, any one enough: it is in the run's cgroup; it carries the
 * run's marker in its environment; it is in the process group or session of the command (the
 * kernel does not reuse an id while a group or session of that id has members).
 */
async function notOurs(pid: number, stat: { pgid: number; sid: number }, command: WorkloadHandle, context: MainProcessContext): Promise<string | undefined> {
  if (pid === process.pid || pid === 1) return 'which is not a process this run started';
  const inCgroup = context.cgroup === undefined ? undefined : (await context.cgroup.procs()).includes(pid);
  if (inCgroup === true) return undefined;
  const marked = markOf(pid, context.stateDir) === context.id;
  if (!marked && stat.pgid !== command.pgid && stat.sid !== command.pgid) {
    return `which is not a process this run started (${inCgroup === false ? 'not in its cgroup, ' : ''}without its marker, outside its session)`;
  }
  if (inCgroup === false) context.warn(`pid ${pid} named by pidfile ${context.spec.pidfile} is not in the process's cgroup: a control-group stop will not reach it`);
  return undefined;
}

/** The exit of `handle`, or undefined when `timeoutMs` passes first; an abort rejects. */
async function exitWithin(handle: WorkloadHandle, timeoutMs: number | undefined, signal: AbortSignal): Promise<ChildExit | undefined> {
  if (signal.aborted) throw signal.reason;
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  try {
    return await Promise.race([
      handle.exited,
      new Promise<undefined>((resolve, reject) => {
        if (timeoutMs !== undefined) timer = setTimeout(() => resolve(undefined), Math.max(0, timeoutMs));
        onAbort = () => reject(signal.reason);
        signal.addEventListener('abort', onAbort, { once: true });
      }),
    ]);
  } finally {
    clearTimeout(timer);
    if (onAbort) signal.removeEventListener('abort', onAbort);
  }
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * A start that failed: nothing of it may keep running. Its command's group, its cgroup, and what
 * carries its marker (a daemon that left both, without a cgroup here) get SIGKILL; the command
 * itself is our child and is reaped.
 */
async function killRun(command: WorkloadHandle, context: MainProcessContext): Promise<void> {
  signalGroup(command.pgid, 'SIGKILL');
  await context.cgroup?.signalAll('SIGKILL').catch(() => undefined);
  for (const marked of findMarked(context.stateDir)) {
    if (marked.processId !== context.id || processStartTime(marked.pid) !== marked.startTime) continue;
    try {
      process.kill(marked.pid, 'SIGKILL');
    } catch {
      // Gone meanwhile.
    }
  }
  await command.exited;
}
