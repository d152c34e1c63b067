/**
 * Asynchronous, allocation-light reads of /proc for usage sampling: the stat of every process in
 * one pass, and the descriptors and I/O counters of the few that belong to managed trees.
 *
 * The sampling path sees thousands of processes every few seconds, so it never blocks the event
 * loop with sync fs calls, and reads each small /proc file with one open/read/close (readText).
 *
 * Every read races its process: ENOENT or ESRCH (or an empty read) means it exited, and the
 * process is skipped — never an error.
 */
import { execFile } from 'node:child_process';
import { readdir } from 'node:fs';
import { promisify } from 'node:util';
import { mapBounded } from './bounded-map.js';
import { errnoCode, isVanished, parseKeyedValues, readText } from './control-files.js';

/** What usage needs from /proc/<pid>/stat. Times in clock ticks, rss in pages. */
export interface ProcTimes {
  readonly pid: number;
  readonly state: string;
  readonly sid: number;
  readonly utime: number;
  readonly stime: number;
  /** Time of reaped children: keeps a tree's total growing when a member exits and is waited for. */
  readonly cutime: number;
  readonly cstime: number;
  readonly rssPages: number;
}

export interface ProcIo {
  readonly readBytes: number;
  readonly writeBytes: number;
}

export interface SystemConstants {
  readonly clockTicksPerSecond: number;
  readonly pageSize: number;
}

const procRoot = '/proc';

/**
 * The text of a small /proc file, or undefined if its process is gone. An empty read means the
 * task was torn down while we read: the same race as ENOENT.
 */
export async function readProcText(path: string): Promise<string | undefined> {
  const text = await readText(path);
  return text === '' ? undefined : text;
}

/**
 * Fields of /proc/<pid>/stat (proc(5) numbering). comm, field 2, may hold spaces and ')', so
 * the fixed fields are counted from the LAST ')'. rss (24) is the resident count statm reports.
 */
export function parseTimes(text: string): ProcTimes | undefined {
  const close = text.lastIndexOf(')');
  if (close < 0) return undefined;
  const rest = text.slice(close + 2).split(' ');
  const field = (n: number) => Number(rest[n - 3]);
  const pid = Number(text.slice(0, text.indexOf(' ')));
  const times = {
    pid,
    state: rest[0] ?? '?',
    sid: field(6),
    utime: field(14),
    stime: field(15),
    cutime: field(16),
    cstime: field(17),
    rssPages: field(24),
  };
  return Number.isFinite(times.rssPages) && Number.isFinite(times.sid) ? times : undefined;
}

export async function readTimes(pid: number): Promise<ProcTimes | undefined> {
  const text = await readProcText(`${procRoot}/${pid}/stat`);
  return text === undefined ? undefined : parseTimes(text);
}

function listDir(path: string): Promise<string[] | undefined> {
  return new Promise((resolve, reject) => {
    readdir(path, (error, names) => {
      if (!error) return resolve(names);
      // A zombie's fd directory cannot be listed (EACCES even for root): it holds no descriptors.
      if (isVanished(error) || errnoCode(error) === 'EACCES') return resolve(undefined);
      reject(error);
    });
  });
}

/** Every process's stat, one read each, at most `concurrency` at a time. */
export async function scanTimes(concurrency: number): Promise<Map<number, ProcTimes>> {
  const names = (await listDir(procRoot)) ?? [];
  const pids = names.filter((name) => name.charCodeAt(0) >= 49 && name.charCodeAt(0) <= 57).map(Number);
  const all = await mapBounded(pids, concurrency, readTimes);
  const byPid = new Map<number, ProcTimes>();
  for (const times of all) if (times !== undefined) byPid.set(times.pid, times);
  return byPid;
}

/** Open descriptors of `pid`; 0 once it is gone. */
export async function countFds(pid: number): Promise<number> {
  return (await listDir(`${procRoot}/${pid}/fd`))?.length ?? 0;
}

/**
 * Bytes `pid` made the storage layer fetch and send (read_bytes/write_bytes): what a disk
 * sees. Kernels without storage accounting only have rchar/wchar, which also count pipes,
 * sockets and cache hits; those stand in then. Zeros once the process is gone.
 */
export async function readIo(pid: number): Promise<ProcIo> {
  let text: string | undefined;
  try {
    text = await readProcText(`${procRoot}/${pid}/io`);
  } catch (error) {
    // io needs ptrace-read access; a process that changed credentials may refuse it.
    if (errnoCode(error) === 'EACCES' || errnoCode(error) === 'EPERM') return { readBytes: 0, writeBytes: 0 };
    throw error;
  }
  if (text === undefined) return { readBytes: 0, writeBytes: 0 };
  const values = parseKeyedValues(text);
  return {
    readBytes: values.get('read_bytes') ?? values.get('rchar') ?? 0,
    writeBytes: values.get('write_bytes') ?? values.get('wchar') ?? 0,
  };
}

let constants: Promise<SystemConstants> | undefined;

async function getconf(name: string, fallback: number): Promise<number> {
  try {
    const { stdout } = await promisify(execFile)('getconf', [name]);
    const value = Number(stdout.trim());
    return Number.isSafeInteger(value) && value > 0 ? value : fallback;
  } catch {
    return fallback;
  }
}

/**
 * Clock ticks per second (USER_HZ, 100 on every mainstream Linux) and the page size (4096 on
 * x86, but 16 KiB or 64 KiB on some arm64 kernels): asked once, then cached for the process.
 */
export function systemConstants(): Promise<SystemConstants> {
  constants ??= (async () => ({
    clockTicksPerSecond: await getconf('CLK_TCK', 100),
    pageSize: await getconf('PAGESIZE', 4096),
  }))();
  return constants;
}
