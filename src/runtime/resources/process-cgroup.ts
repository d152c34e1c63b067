/**
 * One managed process's cgroup: `<daemon's cgroup>/<subtree>/<name>` in every hierarchy that has
 * a usable controller (see cgroup-layout.ts). The daemon names it after the process id.
 *
 * The group is made in every available controller, not only those with a limit today: a live
 * update may add a limit to a running process, which is only possible if it is already a member,
 * and membership is also what usage accounting and kill_mode control-group rely on.
 *
 * The daemon removes it when a run ends (the terminated phase) and makes it again for the next.
 * Removing kills nothing: the caller stops the process first, and remove() only waits, briefly,
 * for the kernel to see the group empty.
 */
import { chown, rmdir, mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { StatevisorError } from '../../errors.js';
import type { ResourcesSpec } from '../../spec/types.js';
import { cgroupControllers, type CgroupController, type CgroupLayout, type LimitController } from './cgroup-layout.js';
import {
  errnoCode,
  exists,
  isVanished,
  parseKeyedValues,
  parsePidList,
  readControl,
  writeControl,
} from './control-files.js';

/** The CFS period every quota is expressed in: 100 ms, the kernel's default. */
export const cfsPeriodUs = 100_000;
/** The kernel refuses a CFS quota below 1 ms. */
const minQuotaUs = 1_000;

export interface GroupDir {
  readonly mechanism: 'v1' | 'v2';
  readonly path: string;
}

/** Each distinct cgroup.procs file of a group's dirs (a plain copy of them will do: usage-thread.ts). */
export function procsFilesOf(dirs: ReadonlyMap<CgroupController, GroupDir>): string[] {
  return [...new Set([...dirs.values()].map((dir) => join(dir.path, 'cgroup.procs')))];
}

export interface ProcessCgroupOptions {
  /** A stable, per-state-dir directory name below the daemon's cgroup ("statevisor-1a2b3c4d"). */
  readonly subtree: string;
  /** The process's name: one path component. */
  readonly name: string;
}

export interface RemoveOptions {
  /** How long to wait for the group to empty before trying anyway. */
  readonly timeoutMs?: number;
  readonly pollMs?: number;
}

export interface RemoveReport {
  readonly removed: string[];
  /** Directories that are still there, and why (EBUSY: a process is still in it). */
  readonly failed: { readonly path: string; readonly reason: string }[];
}

function assertComponent(what: string, value: string): void {
  if (value === '' || value === '.' || value === '..' || /[/\0]/.test(value)) {
    throw new StatevisorError('E_INVALID_ARGUMENT', `${what} '${value}' is not a single path component`);
  }
}

/**
 * Under v2 a child group has a controller only if its parent lists it in cgroup.subtree_control.
 * Each is enabled on its own: one write of "+cpu +memory" fails whole if either is refused.
 */
async function delegate(parent: string, controllers: readonly LimitController[]): Promise<void> {
  const enabled = ((await readControl(join(parent, 'cgroup.subtree_control'))) ?? '').split(/\s+/);
  for (const controller of controllers) {
    if (!enabled.includes(controller)) await writeControl(join(parent, 'cgroup.subtree_control'), `+${controller}`);
  }
}

export class ProcessCgroup {
  readonly name: string;
  /** Every directory was made just now: the group has the kernel's defaults, no limit of anyone's. */
  readonly fresh: boolean;
  readonly #dirs: ReadonlyMap<CgroupController, GroupDir>;

  private constructor(name: string, dirs: ReadonlyMap<CgroupController, GroupDir>, fresh: boolean) {
    this.name = name;
    this.#dirs = dirs;
    this.fresh = fresh;
  }

  /** Makes (or reopens, after a daemon restart) the process's group in every usable hierarchy. */
  static async create(layout: CgroupLayout, options: ProcessCgroupOptions): Promise<ProcessCgroup> {
    assertComponent('cgroup subtree', options.subtree);
    assertComponent('process name', options.name);
    const dirs = new Map<CgroupController, GroupDir>();
    const v2Controllers: LimitController[] = [];
    for (const controller of cgroupControllers) {
      const support = layout.controllers[controller];
      if (support.mechanism === 'none') continue;
      dirs.set(controller, {
        mechanism: support.mechanism,
        path: join(support.daemonCgroup, options.subtree, options.name),
      });
      if (support.mechanism === 'v2' && controller !== 'cpuacct') v2Controllers.push(controller);
    }
    const v2 = [...dirs.values()].find((dir) => dir.mechanism === 'v2');
    if (v2 !== undefined) {
      const subtree = join(v2.path, '..');
      await delegate(join(subtree, '..'), v2Controllers);
      await mkdir(subtree, { recursive: true });
      await delegate(subtree, v2Controllers);
    }
    let fresh = true;
    for (const path of new Set([...dirs.values()].map((dir) => dir.path))) {
      try {
        // mkdir -p answers undefined when the directory was already there (a group reopened).
        if ((await mkdir(path, { recursive: true })) === undefined) fresh = false;
      } catch (error) {
        throw new StatevisorError('E_INTERNAL', `cannot create cgroup ${path}: ${errnoCode(error) ?? String(error)}`, {
          cause: error,
        });
      }
    }
    return new ProcessCgroup(options.name, dirs, fresh);
  }

  /** The controllers this group has, and where. */
  get dirs(): ReadonlyMap<CgroupController, GroupDir> {
    return this.#dirs;
  }

  /** Each distinct cgroup.procs file: writing a pid to all of them places it in the group. */
  procsFiles(): string[] {
    return procsFilesOf(this.#dirs);
  }

  /**
   * Writes the limits, on a new or a live group alike; an absent field removes its limit. A
   * field whose controller this group lacks is left alone: planLimits() reports it as unenforced.
   */
  async apply(resources: ResourcesSpec): Promise<void> {
    const memory = this.#dirs.get('memory');
    if (memory !== undefined) await applyMemory(memory, resources.memoryBytes);
    const pids = this.#dirs.get('pids');
    if (pids !== undefined) await writeControl(join(pids.path, 'pids.max'), resources.pids ?? 'max');
    const cpu = this.#dirs.get('cpu');
    if (cpu !== undefined) await applyCpu(cpu, resources.cpuMillis);
  }

  /** Every process in the group (any hierarchy: one moved out of a single hierarchy still counts). */
  async procs(): Promise<number[]> {
    const pids = new Set<number>();
    for (const file of this.procsFiles()) {
      for (const pid of parsePidList((await readControl(file)) ?? '')) pids.add(pid);
    }
    return [...pids].sort((a, b) => a - b);
  }

  /**
   * Sends `signal` to every member (kill_mode control-group); returns the pids signalled. For
   * SIGKILL the scan repeats while it finds new members, so a member forking during the kill
   * cannot leave a child behind; other signals go once, since a repeat would be a second signal.
   */
  async signalAll(signal: NodeJS.Signals | number): Promise<number[]> {
    const signalled = new Set<number>();
    const repeat = signal === 'SIGKILL' || signal === 9;
    for (let pass = 0; pass < (repeat ? 10 : 1); pass += 1) {
      const fresh = (await this.procs()).filter((pid) => !signalled.has(pid) && pid !== process.pid);
      if (fresh.length === 0) break;
      for (const pid of fresh) {
        signalled.add(pid);
        try {
          process.kill(pid, signal);
        } catch (error) {
          if (errnoCode(error) !== 'ESRCH') throw error;
        }
      }
    }
    return [...signalled];
  }

  /** How many times the kernel OOM-killed a member; undefined without a memory controller. */
  async oomKills(): Promise<number | undefined> {
    const memory = this.#dirs.get('memory');
    if (memory === undefined) return undefined;
    const file = memory.mechanism === 'v1' ? 'memory.oom_control' : 'memory.events';
    const text = await readControl(join(memory.path, file));
    return text === undefined ? undefined : parseKeyedValues(text).get('oom_kill');
  }

  /**
   * Lets a process running as `uid` place itself in the group (the wrapper writes its own pid,
   * after spawn has switched user). Under v1 write access to the target cgroup.procs suffices;
   * v2 also demands it on the common ancestor, the daemon's own group, which stays root's — so a
   * non-root wrapper under v2 is refused and exits with wrapper's join-failure code.
   */
  async allowJoinBy(uid: number, gid: number): Promise<void> {
    for (const file of this.procsFiles()) await chown(file, uid, gid);
  }

  /**
   * Removes its directories, waiting (bounded) for the group to empty if the kernel says it is
   * not yet (rmdir of a populated cgroup fails with EBUSY, so trying first costs nothing in the
   * usual case: the stop already waited for it to empty). Never throws for EBUSY.
   */
  async remove(options: RemoveOptions = {}): Promise<RemoveReport> {
    const { timeoutMs = 1_000, pollMs = 20 } = options;
    const paths = [...new Set([...this.#dirs.values()].map((dir) => dir.path))];
    const first: RemoveReport = { removed: [], failed: [] };
    for (const path of paths) await removeDir(path, first);
    if (first.failed.length === 0) return first;
    const deadline = Date.now() + timeoutMs;
    while ((await this.procs()).length > 0 && Date.now() < deadline) await delay(pollMs);
    const report: RemoveReport = { removed: first.removed, failed: [] };
    for (const { path } of first.failed) await removeDir(path, report);
    return report;
  }
}

async function removeDir(path: string, report: RemoveReport): Promise<void> {
  try {
    await rmdir(path);
    report.removed.push(path);
  } catch (error) {
    if (isVanished(error)) return;
    const code = errnoCode(error);
    const reason = code === 'EBUSY' ? 'EBUSY: processes are still in it' : (code ?? String(error));
    report.failed.push({ path, reason });
  }
}

/**
 * v1 also caps memory+swap (memory.memsw.*, present when swap accounting is on), or the tree
 * would swap past its limit instead of being OOM-killed. The kernel keeps memsw >= limit at every
 * step, so raising goes memsw first and lowering limit first. v2 caps swap separately: 0 keeps
 * the total at the limit.
 */
async function applyMemory(dir: GroupDir, bytes: number | undefined): Promise<void> {
  if (dir.mechanism === 'v2') {
    await writeControl(join(dir.path, 'memory.max'), bytes ?? 'max');
    const swap = join(dir.path, 'memory.swap.max');
    if (await exists(swap)) await writeControl(swap, bytes === undefined ? 'max' : 0);
    return;
  }
  const limit = join(dir.path, 'memory.limit_in_bytes');
  const memsw = join(dir.path, 'memory.memsw.limit_in_bytes');
  const hasMemsw = await exists(memsw);
  // v1 takes -1 for "no limit" and refuses "max".
  const value = bytes ?? -1;
  if (!hasMemsw) return writeControl(limit, value);
  if (bytes === undefined) {
    await writeControl(memsw, value);
    return writeControl(limit, value);
  }
  try {
    await writeControl(limit, value);
  } catch (error) {
    if ((error as StatevisorError).code !== 'E_INVALID_ARGUMENT') throw error;
    // Raising above the current memsw cap: lift memsw first.
    await writeControl(memsw, value);
    await writeControl(limit, value);
  }
  await writeControl(memsw, value);
}

/** cpuMillis 1000 = one CPU: a quota of cpuMillis/1000 periods per period. */
export function cfsQuotaUs(cpuMillis: number): number {
  return Math.max(minQuotaUs, Math.round((cpuMillis * cfsPeriodUs) / 1000));
}

async function applyCpu(dir: GroupDir, cpuMillis: number | undefined): Promise<void> {
  if (dir.mechanism === 'v2') {
    const quota = cpuMillis === undefined ? 'max' : String(cfsQuotaUs(cpuMillis));
    return writeControl(join(dir.path, 'cpu.max'), `${quota} ${cfsPeriodUs}`);
  }
  if (cpuMillis === undefined) return writeControl(join(dir.path, 'cpu.cfs_quota_us'), -1);
  await writeControl(join(dir.path, 'cpu.cfs_period_us'), cfsPeriodUs);
  await writeControl(join(dir.path, 'cpu.cfs_quota_us'), cfsQuotaUs(cpuMillis));
}

/**
 * The members of every group below `<daemon's cgroup>/<subtree>`, by group name, in any
 * hierarchy: what a previous daemon's runs left (a daemon restart finds them here). Read only.
 */
export async function subtreeMembers(layout: CgroupLayout, subtree: string): Promise<Map<string, number[]>> {
  assertComponent('cgroup subtree', subtree);
  const members = new Map<string, Set<number>>();
  for (const top of subtreeTops(layout, subtree)) {
    let entries;
    try {
      entries = await readdir(top, { withFileTypes: true });
    } catch (error) {
      if (isVanished(error)) continue;
      throw error;
    }
    for (const entry of entries) {
      if (!entry.isDirectory()) continue;
      const pids = members.get(entry.name) ?? new Set<number>();
      for (const pid of parsePidList((await readControl(join(top, entry.name, 'cgroup.procs'))) ?? '')) pids.add(pid);
      members.set(entry.name, pids);
    }
  }
  return new Map([...members].map(([name, pids]) => [name, [...pids].sort((a, b) => a - b)]));
}

function subtreeTops(layout: CgroupLayout, subtree: string): Set<string> {
  const tops = new Set<string>();
  for (const support of Object.values(layout.controllers)) {
    if (support.mechanism !== 'none') tops.add(join(support.daemonCgroup, subtree));
  }
  return tops;
}

/**
 * Removes `<daemon's cgroup>/<subtree>` and every group below it, deepest first, in each
 * hierarchy (daemon shutdown with no processes left, test cleanup). Only directories are
 * removed: in cgroupfs the control files go with their directory.
 */
export async function removeCgroupSubtree(layout: CgroupLayout, subtree: string): Promise<RemoveReport> {
  assertComponent('cgroup subtree', subtree);
  const report: RemoveReport = { removed: [], failed: [] };
  const tops = subtreeTops(layout, subtree);
  const removeTree = async (path: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(path, { withFileTypes: true });
    } catch (error) {
      if (isVanished(error)) return;
      throw error;
    }
    for (const entry of entries) if (entry.isDirectory()) await removeTree(join(path, entry.name));
    await removeDir(path, report);
  };
  for (const top of tops) await removeTree(top);
  return report;
}
