/**
 * The machine's limits a fleet of n meets, as a user would check them before starting 10,000
 * processes: open files (RLIMIT_NOFILE) of the daemon, processes of the user (RLIMIT_NPROC), the
 * kernel's pid_max and threads-max, and the pids controller's limit on this cgroup. The daemon
 * and the baseline are started with their soft RLIMIT_NOFILE raised to the hard one (entry-process.ts:
 * `ulimit -n` in a tiny shell wrapper; Node raises its own soft limit at start too, so this is
 * what a user's unit file's LimitNOFILE would do, made explicit).
 *
 * An error of the fleet that names a limit (EMFILE, ENFILE, EAGAIN, ENOMEM) is reported as that
 * limit's, with these figures beside it (limitHit), instead of an anonymous failure.
 */
import { readdirSync, readFileSync } from 'node:fs';

export interface Limits {
  readonly nofile_soft: number | undefined;
  readonly nofile_hard: number | undefined;
  readonly nproc_soft: number | undefined;
  readonly pid_max: number | undefined;
  readonly threads_max: number | undefined;
  /** The pids controller's pids.max of this process's cgroup (v1 or v2); undefined: none, or "max". */
  readonly cgroup_pids_max: number | undefined;
  /** Processes on the machine now (all users): what already takes pids. */
  readonly pids_in_use: number;
}

function readNumber(file: string): number | undefined {
  try {
    const value = Number(readFileSync(file, 'utf8').trim());
    return Number.isFinite(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Soft and hard values of one row of /proc/<pid>/limits ("Max open files  1024  4096  files"). */
function limitRow(pid: number | 'self', row: string): [number | undefined, number | undefined] {
  const line = readFileSync(`/proc/${pid}/limits`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith(row));
  const [soft, hard] = (line?.slice(row.length).trim().split(/\s+/) ?? []).map((v) => (v === 'unlimited' ? Infinity : Number(v)));
  return [soft, hard];
}

function cgroupPidsMax(): number | undefined {
  for (const line of readFileSync('/proc/self/cgroup', 'utf8').split('\n')) {
    const [, controllers, where] = line.split(':');
    if (where === undefined) continue;
    const dir = controllers === 'pids' ? `/sys/fs/cgroup/pids${where}` : controllers === '' ? `/sys/fs/cgroup${where}` : undefined;
    const max = dir === undefined ? undefined : readNumber(`${dir}/pids.max`);
    if (max !== undefined) return max;
  }
  return undefined;
}

/** The limits that `pid` (the daemon) runs under, and the machine's. */
export function limitsOf(pid: number | 'self'): Limits {
  const [nofileSoft, nofileHard] = limitRow(pid, 'Max open files');
  const [nprocSoft] = limitRow(pid, 'Max processes');
  return {
    nofile_soft: nofileSoft,
    nofile_hard: nofileHard,
    nproc_soft: nprocSoft,
    pid_max: readNumber('/proc/sys/kernel/pid_max'),
    threads_max: readNumber('/proc/sys/kernel/threads-max'),
    cgroup_pids_max: cgroupPidsMax(),
    pids_in_use: readdirSync('/proc').filter((name) => /^\d+$/.test(name)).length,
  };
}

/** What stands in the way of n more processes, in words; empty when nothing does. */
export function shortfalls(limits: Limits, n: number): string[] {
  const room = (max: number | undefined) => (max === undefined ? Infinity : max - limits.pids_in_use);
  const found: string[] = [];
  if (room(limits.pid_max) < n) found.push(`kernel.pid_max ${limits.pid_max} leaves room for ${room(limits.pid_max)} processes`);
  if (room(limits.threads_max) < n) found.push(`kernel.threads-max ${limits.threads_max} leaves room for ${room(limits.threads_max)}`);
  if (room(limits.cgroup_pids_max) < n) found.push(`the cgroup's pids.max ${limits.cgroup_pids_max} leaves room for ${room(limits.cgroup_pids_max)}`);
  if ((limits.nproc_soft ?? Infinity) < n + limits.pids_in_use) found.push(`RLIMIT_NPROC ${limits.nproc_soft} may stop the fork of the n-th process`);
  // A child costs the daemon no file descriptor once spawned (stdio to files or /dev/null), but each spawn opens a few for a moment.
  if ((limits.nofile_soft ?? Infinity) < 1_024) found.push(`RLIMIT_NOFILE ${limits.nofile_soft} is low`);
  return found;
}

const limitErrors = /\b(EMFILE|ENFILE|EAGAIN|ENOMEM|ENOSPC)\b/;

/** The limit an error names (EMFILE, EAGAIN, …), if it names one. */
export function limitHit(error: unknown): string | undefined {
  const message = error instanceof Error ? error.message : String(error);
  return limitErrors.exec(message)?.[1];
}

/** The command line that starts `argv` with its soft RLIMIT_NOFILE raised to the hard limit. */
export function withNofileRaised(argv: readonly string[]): [string, string[]] {
  return ['/bin/sh', ['-c', 'ulimit -n "$(ulimit -Hn)" && exec "$@"', 'raise-nofile', ...argv]];
}
