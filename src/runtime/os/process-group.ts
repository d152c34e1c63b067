/**
 * Signals to processes and process groups, and waiting for a group to be gone.
 *
 * Each child runs in its own process group (pgid = its pid), so a stop reaches everything it
 * forked. "Gone" here means no member still runs: the kernel keeps a zombie in its group until
 * its parent reaps it; an orphaned grandchild is reaped only when its new parent (init, or a
 * subreaper) gets round to it — a container's pid 1 may poll for that, or never do it. kill(-pgid,
 * 0) still succeeds for a group of zombies, so it cannot tell "gone" on its own; /proc states can.
 */
import { StatevisorError } from '../../errors.js';
import { hasExited, readProcStat, scanProcesses } from './proc-stat.js';
import { describeSignal, signalNumber } from './signals.js';

/** A signal by name ('SIGTERM') or number (0 probes for existence without delivering). */
export type Signal = NodeJS.Signals | number;

/**
 * Sends `signal` to every process of group `pgid`. True if delivered, false if the group does
 * not exist (ESRCH). Refuses pgid 0 and 1 and the supervisor's own group: kill(2) reads -1 as
 * "every process" and 0 as "my group", so a slip there would take down the machine or the daemon.
 */
export function signalGroup(pgid: number, signal: Signal): boolean {
  assertForeignGroup(pgid);
  return deliver(-pgid, signal, `process group ${pgid}`);
}

/** Sends `signal` to process `pid`. True if delivered, false if there is no such process. */
export function signalProcess(pid: number, signal: Signal): boolean {
  if (!Number.isSafeInteger(pid) || pid < 1) {
    throw new StatevisorError('E_INVALID_ARGUMENT', `'${pid}' is not a process id`);
  }
  return deliver(pid, signal, `process ${pid}`);
}

/**
 * True while the kernel knows group `pgid`, zombie members included (see the file's header:
 * use waitForGroupExit() or liveGroupMembers() to ask whether anything still runs).
 */
export function groupExists(pgid: number): boolean {
  assertGroupId(pgid);
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (error) {
    const code = errnoCode(error);
    if (code === 'ESRCH') return false;
    // EPERM: the group exists, it is just not ours to signal.
    if (code === 'EPERM') return true;
    throw new StatevisorError('E_INTERNAL', `cannot probe process group ${pgid}: ${code ?? String(error)}`, {
      cause: error,
    });
  }
}

/**
 * The members of group `pgid` that have not exited (zombies left out). `hint` is a previous
 * answer: while one of those pids still runs in the group, the full /proc scan is skipped.
 */
export function liveGroupMembers(pgid: number, hint: readonly number[] = []): number[] {
  if (!groupExists(pgid)) return [];
  const running = hint.filter((pid) => {
    const stat = readProcStat(pid);
    // The pgid check also rejects a pid that was reaped and reused by an unrelated process.
    return stat !== undefined && stat.pgid === pgid && !hasExited(stat);
  });
  if (running.length > 0) return running;
  // A known member may have forked and exited, leaving a member we have not seen: only a full
  // scan can say the group is empty.
  return scanProcesses()
    .filter((stat) => stat.pgid === pgid && !hasExited(stat))
    .map((stat) => stat.pid);
}

export interface WaitForGroupExitOptions {
  /** Aborting rejects the wait with the signal's reason. */
  readonly signal: AbortSignal;
  /** Interval between checks; there is no event for "a group emptied", so this polls. */
  readonly pollMs?: number;
}

/**
 * Resolves once no member of group `pgid` is still running (zombies count as gone). Checks at
 * once, then every `pollMs`; rejects with `signal.reason` when aborted, leaving no timer behind.
 */
export function waitForGroupExit(pgid: number, options: WaitForGroupExitOptions): Promise<void> {
  const { signal, pollMs = 20 } = options;
  // Thrown inside the executor, so that bad arguments reject like every other failure.
  return new Promise<void>((resolve, reject) => {
    assertGroupId(pgid);
    if (!Number.isFinite(pollMs) || pollMs <= 0) {
      throw new StatevisorError('E_INVALID_ARGUMENT', `pollMs must be a positive number, not '${pollMs}'`);
    }
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    let timer: NodeJS.Timeout | undefined;
    let members: number[] = [];
    const settle = (outcome: () => void): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      outcome();
    };
    const onAbort = (): void => settle(() => reject(signal.reason));
    const check = (): void => {
      timer = undefined;
      try {
        members = liveGroupMembers(pgid, members);
      } catch (error) {
        settle(() => reject(error));
        return;
      }
      if (members.length === 0) settle(resolve);
      else timer = setTimeout(check, pollMs);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    check();
  });
}

function deliver(target: number, signal: Signal, what: string): boolean {
  // Validated here so that an unknown name is the caller's mistake, not a kernel error.
  const number = typeof signal === 'number' ? signal : signalNumber(signal);
  if (!Number.isSafeInteger(number) || number < 0) {
    throw new StatevisorError('E_INVALID_ARGUMENT', `'${signal}' is not a signal`);
  }
  try {
    process.kill(target, number);
    return true;
  } catch (error) {
    const code = errnoCode(error);
    if (code === 'ESRCH') return false;
    const name = number === 0 ? 'signal 0' : safeDescribe(number);
    if (code === 'EINVAL') {
      throw new StatevisorError('E_INVALID_ARGUMENT', `cannot send ${name} to ${what}: no such signal`, {
        cause: error,
      });
    }
    const reason = code === 'EPERM' ? 'not permitted (EPERM)' : (code ?? String(error));
    throw new StatevisorError('E_INTERNAL', `cannot send ${name} to ${what}: ${reason}`, { cause: error });
  }
}

function safeDescribe(number: number): string {
  try {
    return describeSignal(number);
  } catch {
    return `signal ${number}`;
  }
}

function assertGroupId(pgid: number): void {
  if (!Number.isSafeInteger(pgid) || pgid < 2) {
    throw new StatevisorError('E_INVALID_ARGUMENT', `'${pgid}' is not a process group a child can own`);
  }
}

/** The supervisor's own group: it never calls setsid after start, so one read is enough. */
let ownGroup: number | undefined;

function assertForeignGroup(pgid: number): void {
  assertGroupId(pgid);
  ownGroup ??= readProcStat(process.pid)?.pgid;
  if (pgid === ownGroup) {
    throw new StatevisorError(
      'E_INVALID_ARGUMENT',
      `process group ${pgid} is the supervisor's own group; a child spawned without its own group cannot be signalled as one`,
    );
  }
}

function errnoCode(error: unknown): string | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}
