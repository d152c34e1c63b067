/**
 * Reading processes from /proc/<pid>/stat: who a process is (pid + start time survives pid
 * reuse), which group and session it belongs to, and whether it is a zombie.
 *
 * Every reader here races the processes it reads: a pid listed by readdir may be gone before its
 * stat file is opened (ENOENT), or between open and read (ESRCH). Both are normal and answer
 * "no such process"; anything else is a real failure and throws.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { StatevisorError } from '../../errors.js';

/** The run states the kernel reports in field 3 (see proc(5)). */
export type ProcessState = 'R' | 'S' | 'D' | 'Z' | 'T' | 't' | 'X' | 'x' | 'I' | 'K' | 'W' | 'P';

export interface ProcStat {
  readonly pid: number;
  /** The executable's name as the kernel keeps it: at most 15 bytes, any bytes but NUL. */
  readonly comm: string;
  readonly state: ProcessState;
  readonly ppid: number;
  readonly pgid: number;
  readonly sid: number;
  /** Field 22: start time in clock ticks since boot. With pid, an identity that survives reuse. */
  readonly startTimeTicks: number;
}

const procRoot = '/proc';

/**
 * Parses the text of a /proc/<pid>/stat file. `source` names the file in errors.
 *
 * comm is the only field that may hold spaces and parentheses (a program named `a b) c` is
 * legal), and it is the only one in parentheses, so the fields after it start at the LAST ')'.
 */
export function parseProcStat(text: string, source = 'stat'): ProcStat {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 1 || close < open) {
    throw new StatevisorError('E_INTERNAL', `cannot parse ${source}: no '(comm)' field in '${text.slice(0, 80)}'`);
  }
  const pid = Number(text.slice(0, open).trim());
  // Fields from 3 (state) on; field n sits at index n - 3.
  const rest = text.slice(close + 1).trim().split(' ');
  const field = (n: number): number => {
    const value = Number(rest[n - 3]);
    if (!Number.isSafeInteger(value)) {
      throw new StatevisorError('E_INTERNAL', `cannot parse ${source}: field ${n} is '${rest[n - 3] ?? ''}'`);
    }
    return value;
  };
  const state = rest[0];
  if (!Number.isSafeInteger(pid) || state === undefined || !/^[A-Za-z]$/.test(state)) {
    throw new StatevisorError('E_INTERNAL', `cannot parse ${source}: '${text.slice(0, 80)}'`);
  }
  return {
    pid,
    comm: text.slice(open + 1, close),
    state: state as ProcessState,
    ppid: field(4),
    pgid: field(5),
    sid: field(6),
    startTimeTicks: field(22),
  };
}

/** The stat of `pid`, or undefined when there is no such process (or it vanished mid-read). */
export function readProcStat(pid: number): ProcStat | undefined {
  assertPid(pid);
  const path = `${procRoot}/${pid}/stat`;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if (isVanished(error)) return undefined;
    throw new StatevisorError('E_INTERNAL', `cannot read ${path}: ${describe(error)}`, { cause: error });
  }
  // Proc files are generated at read time; an empty one means the task was torn down while we
  // read, which is the same race as ESRCH, not a corrupt file.
  if (text === '') return undefined;
  return parseProcStat(text, path);
}

/** Start time of `pid` in clock ticks since boot; undefined when the process is gone. */
export function processStartTime(pid: number): number | undefined {
  return readProcStat(pid)?.startTimeTicks;
}

/** True while `pid` has exited but its parent has not reaped it yet. */
export function isZombie(pid: number): boolean {
  return readProcStat(pid)?.state === 'Z';
}

/** True for states of a process that has finished running: zombie or being torn down. */
export function hasExited(stat: ProcStat): boolean {
  return stat.state === 'Z' || stat.state === 'X' || stat.state === 'x';
}

/**
 * The pids of every process visible in /proc. Threads other than a group leader have no entry
 * in the listing (only under /proc/<pid>/task), so this is processes, not tasks.
 */
export function listProcesses(): number[] {
  let names: string[];
  try {
    names = readdirSync(procRoot);
  } catch (error) {
    throw new StatevisorError('E_INTERNAL', `cannot list ${procRoot}: ${describe(error)}`, { cause: error });
  }
  const pids: number[] = [];
  for (const name of names) {
    if (/^[1-9][0-9]*$/.test(name)) pids.push(Number(name));
  }
  return pids;
}

/** The stat of every process, read in one pass; processes that vanish meanwhile are skipped. */
export function scanProcesses(): ProcStat[] {
  const stats: ProcStat[] = [];
  for (const pid of listProcesses()) {
    const stat = readProcStat(pid);
    if (stat !== undefined) stats.push(stat);
  }
  return stats;
}

/** Every process whose process group is `pgid`, zombies included. */
export function groupMembers(pgid: number): number[] {
  assertPid(pgid);
  return scanProcesses()
    .filter((stat) => stat.pgid === pgid)
    .map((stat) => stat.pid);
}

/**
 * Every process below `pid` in the process tree, breadth first, `pid` itself excluded.
 *
 * The tree is the kernel's ppid links at the moment of the scan: a grandchild whose parent has
 * exited is re-parented (to init or a subreaper) and is no longer a descendant, although it may
 * still be in the process group — use groupMembers() to reach those.
 */
export function descendants(pid: number): number[] {
  assertPid(pid);
  const children = new Map<number, number[]>();
  for (const stat of scanProcesses()) {
    const siblings = children.get(stat.ppid);
    if (siblings === undefined) children.set(stat.ppid, [stat.pid]);
    else siblings.push(stat.pid);
  }
  const found: number[] = [];
  const seen = new Set<number>([pid]);
  const queue = [pid];
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    for (const child of children.get(next) ?? []) {
      // A scan is not atomic: a pid reused mid-scan could otherwise close a cycle.
      if (seen.has(child)) continue;
      seen.add(child);
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}

function assertPid(pid: number): void {
  if (!Number.isSafeInteger(pid) || pid < 1) {
    throw new StatevisorError('E_INVALID_ARGUMENT', `'${pid}' is not a process id`);
  }
}

function isVanished(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'ESRCH';
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
