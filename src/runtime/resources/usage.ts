/**
 * Resource usage of a managed process's WHOLE tree, for the fleet in one pass.
 *
 * With a cgroup, the kernel's own accounting is the truth: CPU and memory of the group include
 * members that already exited, and membership cannot be escaped by double-forking. Without one,
 * the tree is the process's session: children are started with setsid(), so every process whose
 * session id is the main pid descends from it (a member that calls setsid() itself escapes; only
 * a cgroup prevents that). Either way, descriptors and I/O come from /proc of each member.
 *
 * Scale: the daemon samples ~1,000 processes every few seconds. A pass lists /proc once and
 * reads each /proc/<pid>/stat once (only when some target has no cgroup — a session can only be
 * found by looking at every process), then reads the members' fd dirs and io files, all async
 * with bounded concurrency. Cost grows with processes on the machine, not with targets × processes.
 */
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { mapBounded } from './bounded-map.js';
import { parseKeyedValues, parsePidList, readControl } from './control-files.js';
import type { CgroupController } from './cgroup-layout.js';
import { procsFilesOf, type GroupDir } from './process-cgroup.js';
import {
  countFds,
  readIo,
  readTimes,
  scanTimes,
  systemConstants,
  type ProcTimes,
  type SystemConstants,
} from './proc-reader.js';

/**
 * What sampling needs of a process's cgroup: where each controller's directory is. A
 * ProcessCgroup is one; so is a plain copy of its dirs, which can cross to the sampling thread.
 */
export interface UsageGroup {
  readonly dirs: ReadonlyMap<CgroupController, GroupDir>;
}

export interface UsageTarget {
  /** The main pid; without a cgroup also the session id of its tree. */
  readonly pid: number;
  readonly cgroup?: UsageGroup;
  /**
   * A workload that measures itself instead of being read from /proc: a worker thread, whose
   * pid is the daemon's (runtime/worker/worker-usage.ts).
   */
  readonly measure?: () => ResourceUsage;
}

export interface ResourceUsage {
  /** CPU time of the tree, user and kernel, in µs (with a cgroup: members that exited included). */
  readonly cpuUserUs: number;
  readonly cpuSystemUs: number;
  /** Sum of members' resident sets (shared pages counted once per member). */
  readonly rssBytes: number;
  /** The cgroup's charge (includes page cache and kernel memory): what its limit is held against. */
  readonly memoryBytes?: number;
  /** The cgroup memory limit; 0 for none. */
  readonly memoryLimitBytes: number;
  /** Members, zombies not yet reaped included (they still hold a pid). */
  readonly pids: number;
  readonly fds: number;
  readonly ioReadBytes: number;
  readonly ioWriteBytes: number;
  readonly source: 'cgroup' | 'proc' | 'worker';
  /** When the CPU counters were read, on performance.now()'s monotonic clock (ms). */
  readonly at: number;
}

export interface SampleOptions {
  /** Reads in flight at once. */
  readonly concurrency?: number;
}

const defaultConcurrency = 32;
/** v1 writes "no limit" as the largest page-aligned signed 64-bit value; anything this big is none. */
const unlimitedFloor = 2 ** 62;

interface CgroupCounters {
  readonly cpuUserUs?: number;
  readonly cpuSystemUs?: number;
  readonly memoryBytes?: number;
  readonly memoryLimitBytes: number;
  readonly at: number;
}

async function readNumber(path: string): Promise<number | undefined> {
  const text = (await readControl(path))?.trim();
  if (text === undefined || text === '' || text === 'max') return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}

async function cgroupCpu(cgroup: UsageGroup, ticks: number): Promise<{ user?: number; system?: number }> {
  const acct = cgroup.dirs.get('cpuacct');
  if (acct?.mechanism !== 'v1') {
    // v2 accounts CPU in every group, whatever controllers it has.
    const v2 = [...cgroup.dirs.values()].find((dir) => dir.mechanism === 'v2');
    if (v2 === undefined) return {};
    const stat = parseKeyedValues((await readControl(join(v2.path, 'cpu.stat'))) ?? '');
    return { user: stat.get('user_usec'), system: stat.get('system_usec') };
  }
  // usage_user/usage_sys are ns and exact; older kernels only have cpuacct.stat, in clock ticks.
  const [user, system] = await Promise.all([
    readNumber(join(acct.path, 'cpuacct.usage_user')),
    readNumber(join(acct.path, 'cpuacct.usage_sys')),
  ]);
  if (user !== undefined && system !== undefined) return { user: user / 1000, system: system / 1000 };
  const stat = parseKeyedValues((await readControl(join(acct.path, 'cpuacct.stat'))) ?? '');
  const toUs = (value: number | undefined) => (value === undefined ? undefined : (value * 1e6) / ticks);
  return { user: toUs(stat.get('user')), system: toUs(stat.get('system')) };
}

async function cgroupMemory(cgroup: UsageGroup): Promise<{ current?: number; limit?: number }> {
  const memory = cgroup.dirs.get('memory');
  if (memory === undefined) return {};
  const [currentFile, limitFile] =
    memory.mechanism === 'v1' ? ['memory.usage_in_bytes', 'memory.limit_in_bytes'] : ['memory.current', 'memory.max'];
  const [current, limit] = await Promise.all([
    readNumber(join(memory.path, currentFile)),
    readNumber(join(memory.path, limitFile)),
  ]);
  return { ...(current !== undefined && { current }), ...(limit !== undefined && { limit }) };
}

async function cgroupCounters(cgroup: UsageGroup, ticks: number): Promise<CgroupCounters> {
  const cpuRead = cgroupCpu(cgroup, ticks).then((read) => ({ ...read, at: performance.now() }));
  const [cpu, memory] = await Promise.all([cpuRead, cgroupMemory(cgroup)]);
  const limit = memory.limit;
  return {
    ...(cpu.user !== undefined && { cpuUserUs: cpu.user }),
    ...(cpu.system !== undefined && { cpuSystemUs: cpu.system }),
    ...(memory.current !== undefined && { memoryBytes: memory.current }),
    memoryLimitBytes: limit === undefined || limit >= unlimitedFloor ? 0 : limit,
    at: cpu.at,
  };
}

/**
 * One hierarchy's member list: the wrapper joins every hierarchy at once, so they agree, and
 * reading each would multiply a fleet's reads (ProcessCgroup.procs() reads all, for kills).
 */
async function cgroupMembers(cgroup: UsageGroup): Promise<number[]> {
  const [file] = procsFilesOf(cgroup.dirs);
  return file === undefined ? [] : parsePidList((await readControl(file)) ?? '');
}

interface Member {
  readonly target: number;
  readonly pid: number;
  times?: ProcTimes;
  fds: number;
  readBytes: number;
  writeBytes: number;
}

/** Usage of every target, in the order given, from one pass over /proc (none for self-measured ones). */
export function sampleAll(targets: readonly UsageTarget[], options: SampleOptions = {}): Promise<ResourceUsage[]> {
  return besideMeasured(targets, (read) => sampleTrees(read, options));
}

/**
 * Usage of every target, in the order given: self-measured ones (worker threads) measured here,
 * on the thread that holds them, and the rest read by `read` (on this thread or the sampling one).
 */
export async function besideMeasured(
  targets: readonly UsageTarget[],
  read: (targets: readonly UsageTarget[]) => Promise<ResourceUsage[]>,
): Promise<ResourceUsage[]> {
  const fromProc = targets.filter((target) => target.measure === undefined);
  const usages = fromProc.length === 0 ? [] : await read(fromProc);
  let next = 0;
  return targets.map((target) => target.measure?.() ?? (usages[next++] as ResourceUsage));
}

async function sampleTrees(targets: readonly UsageTarget[], options: SampleOptions): Promise<ResourceUsage[]> {
  // A group with no hierarchy at all (a machine without controllers) knows no members: use /proc.
  const trees = targets.map((target) =>
    target.cgroup === undefined || target.cgroup.dirs.size > 0 ? target : { pid: target.pid },
  );
  const concurrency = options.concurrency ?? defaultConcurrency;
  const constants: SystemConstants = await systemConstants();
  const tickUs = 1e6 / constants.clockTicksPerSecond;

  let scan: Map<number, ProcTimes> | undefined;
  let scannedAt = 0;
  const bySession = new Map<number, number[]>();
  if (trees.some((target) => target.cgroup === undefined)) {
    scan = await scanTimes(concurrency);
    scannedAt = performance.now();
    for (const times of scan.values()) {
      const session = bySession.get(times.sid);
      if (session === undefined) bySession.set(times.sid, [times.pid]);
      else session.push(times.pid);
    }
  }

  // Phase 1: who belongs to each tree, and the cgroup's own counters.
  const groups = await mapBounded(trees, concurrency, async (target) => {
    if (target.cgroup === undefined) {
      const pids = new Set(bySession.get(target.pid) ?? []);
      // A main pid that is not a session leader (adopted, or started without setsid) still counts.
      if (scan?.has(target.pid)) pids.add(target.pid);
      return { pids: [...pids], counters: undefined };
    }
    const [pids, counters] = await Promise.all([
      cgroupMembers(target.cgroup),
      cgroupCounters(target.cgroup, constants.clockTicksPerSecond),
    ]);
    return { pids, counters };
  });

  // Phase 2: every member of every tree, flattened so that one bound covers the whole fleet.
  const members: Member[] = [];
  groups.forEach((group, target) => {
    for (const pid of group.pids) {
      const times = scan?.get(pid);
      members.push({ target, pid, ...(times !== undefined && { times }), fds: 0, readBytes: 0, writeBytes: 0 });
    }
  });
  await mapBounded(members, concurrency, async (member) => {
    member.times ??= await readTimes(member.pid);
    if (member.times === undefined || member.times.state === 'Z') return;
    const [fds, io] = await Promise.all([countFds(member.pid), readIo(member.pid)]);
    member.fds = fds;
    member.readBytes = io.readBytes;
    member.writeBytes = io.writeBytes;
  });

  const totals = groups.map(() => ({ user: 0, system: 0, rssPages: 0, pids: 0, fds: 0, read: 0, write: 0 }));
  for (const member of members) {
    const total = totals[member.target];
    if (total === undefined || member.times === undefined) continue;
    const { utime, stime, cutime, cstime, rssPages } = member.times;
    total.user += utime + cutime;
    total.system += stime + cstime;
    total.rssPages += rssPages;
    total.pids += 1;
    total.fds += member.fds;
    total.read += member.readBytes;
    total.write += member.writeBytes;
  }

  return groups.map((group, index): ResourceUsage => {
    const counters = group.counters;
    const tree = totals[index] ?? { user: 0, system: 0, rssPages: 0, pids: 0, fds: 0, read: 0, write: 0 };
    return {
      cpuUserUs: counters?.cpuUserUs ?? tree.user * tickUs,
      cpuSystemUs: counters?.cpuSystemUs ?? tree.system * tickUs,
      rssBytes: tree.rssPages * constants.pageSize,
      ...(counters?.memoryBytes !== undefined && { memoryBytes: counters.memoryBytes }),
      memoryLimitBytes: counters?.memoryLimitBytes ?? 0,
      // The cgroup's list is the membership; /proc may have lost a member between the two reads.
      pids: counters === undefined ? tree.pids : group.pids.length,
      fds: tree.fds,
      ioReadBytes: tree.read,
      ioWriteBytes: tree.write,
      source: counters === undefined ? 'proc' : 'cgroup',
      at: counters?.at ?? scannedAt,
    };
  });
}

/** Usage of one tree. Sampling many? sampleAll() scans /proc once for all of them. */
export async function sampleUsage(target: UsageTarget, options: SampleOptions = {}): Promise<ResourceUsage> {
  const [usage] = await sampleAll([target], options);
  return usage as ResourceUsage;
}
