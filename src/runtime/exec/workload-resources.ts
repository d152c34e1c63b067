/**
 * Resource limits for the exec runtime: which process gets a cgroup, how its program is started
 * inside it, its limits rewritten while it runs, an OOM kill told apart from any other SIGKILL,
 * and the group removed once the run is over (the terminated phase).
 *
 * Where a cgroup can be made, every process gets one, limits or not: it is what the default kill
 * mode (control-group, see kill-mode.ts) signals, so that a stop reaches a child that left its
 * process group and session, and what usage is read from. The price is one more exec per start:
 * the program starts through the join wrapper (resources/join-wrapper.ts). Where none can be
 * made, a process spawns as it is unless an rlimit needs the wrapper. Limits that no cgroup
 * controller can enforce fall back to rlimits where one fits (see resources/limit-plan.ts); the
 * plan says which, and Describe repeats it.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import type { ProcessSpec, ResourcesSpec } from '../../spec/types.js';
import {
  ProcessCgroup,
  detectCgroups,
  planLimits,
  removeCgroupSubtree,
  subtreeMembers,
  wrapCommand,
  wrapperRlimits,
  type CgroupLayout,
  type LimitReport,
  type RemoveReport,
} from '../resources/index.js';
import { resolveGroup, resolveUser } from '../os/identity.js';

export interface Launch {
  readonly command: string;
  readonly args: readonly string[];
}

interface Group {
  readonly cgroup: ProcessCgroup;
  /** OOM kills counted in the group before this run: only more than these are this run's. */
  readonly oomBefore: number;
}

/**
 * Resolves once the wrapper of `pid` has exec'd the program (its command line is no longer the
 * wrapper's) or has exited, or the start is aborted: only then is the program running in its
 * group, which is what a start means. Bounded: a wrapper that neither execs nor exits within
 * `limitMs` is left to the exit event.
 */
export async function untilExeced(
  pid: number,
  launch: Launch,
  exited: Promise<unknown>,
  abort?: AbortSignal,
  limitMs = 5_000,
): Promise<void> {
  const wrapper = [launch.command, ...launch.args.slice(0, 2)].join('\0');
  let done = false;
  void exited.then(() => (done = true));
  const deadline = performance.now() + limitMs;
  while (!done && abort?.aborted !== true && performance.now() < deadline) {
    let cmdline: string;
    try {
      cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8');
    } catch {
      return; // gone: the exit event tells the rest
    }
    if (!cmdline.startsWith(wrapper)) return;
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

function hasLimits(resources: ResourcesSpec): boolean {
  return resources.cpuMillis !== undefined || resources.memoryBytes !== undefined || resources.pids !== undefined;
}

export class WorkloadResources {
  readonly #groups = new Map<string, Group>();

  constructor(
    readonly layout: CgroupLayout,
    /** One directory per daemon state dir below the daemon's own cgroup. */
    readonly subtree: string,
  ) {}

  /** Detects the machine's cgroups (or those under `root`, for tests) for the daemon of `stateDir`. */
  static async detect(stateDir: string, root?: string): Promise<WorkloadResources> {
    const layout = await detectCgroups(root === undefined ? {} : { root });
    const hash = createHash('sha256').update(stateDir).digest('hex').slice(0, 8);
    return new WorkloadResources(layout, `statevisor-${hash}`);
  }

  /** For each limit the spec asks for: enforced or not, how, or why not. */
  plan(resources: ResourcesSpec): LimitReport[] {
    return planLimits(resources, this.layout);
  }

  /** Whether any hierarchy can hold a group: what kill_mode control-group needs. */
  get canGroup(): boolean {
    return Object.values(this.layout.controllers).some((support) => support.mechanism !== 'none');
  }

  /** Why no hierarchy can hold a group, controller by controller; '' where one can. */
  get whyNoGroup(): string {
    if (this.canGroup) return '';
    return Object.entries(this.layout.controllers)
      .map(([controller, support]) => (support.mechanism === 'none' ? `${controller}: ${support.reason}` : ''))
      .join('; ');
  }

  cgroupOf(id: string): ProcessCgroup | undefined {
    return this.#groups.get(id)?.cgroup;
  }

  /**
   * Makes the group of a run about to start and says how to start its program in it. Undefined:
   * no group can be made and no rlimit applies, so the program is spawned as it is.
   */
  async prepare(id: string, spec: ProcessSpec): Promise<Launch | undefined> {
    let cgroup: ProcessCgroup | undefined;
    if (this.canGroup) {
      cgroup = await this.open(id);
      try {
        // A new group has no limits: writing "none" to each control file would only cost time.
        if (!cgroup.fresh || hasLimits(spec.resources)) await cgroup.apply(spec.resources);
        if (spec.user !== undefined || spec.group !== undefined) {
          const user = spec.user === undefined ? undefined : resolveUser(String(spec.user));
          const gid = spec.group === undefined ? (user?.gid ?? process.getgid!()) : resolveGroup(String(spec.group)).gid;
          await cgroup.allowJoinBy(user?.uid ?? process.getuid!(), gid);
        }
        // A new group has had no OOM kill: its counter starts at 0.
        this.#groups.set(id, { cgroup, oomBefore: cgroup.fresh ? 0 : ((await cgroup.oomKills()) ?? 0) });
      } catch (error) {
        // A limit the kernel refuses fails the start; the empty group must not outlive it.
        await cgroup.remove({ timeoutMs: 0 }).catch(() => undefined);
        throw error;
      }
    }
    const rlimits = wrapperRlimits(spec.resources, this.plan(spec.resources));
    const procs = cgroup?.procsFiles() ?? [];
    if (procs.length === 0 && Object.keys(rlimits).length === 0) return undefined;
    return wrapCommand(spec.command, spec.args, { cgroupProcsFiles: procs, rlimits, listenPid: spec.sockets.length > 0 });
  }

  /** What a previous daemon's runs left in their groups: members by process id. */
  async leftovers(): Promise<Map<string, number[]>> {
    return this.canGroup ? subtreeMembers(this.layout, this.subtree) : new Map();
  }

  /** Takes back the group of an adopted survivor (it is still a member). */
  async adopt(id: string): Promise<void> {
    if (!this.canGroup) return;
    const cgroup = await this.open(id);
    if ((await cgroup.procs()).length === 0) {
      await cgroup.remove({ timeoutMs: 0 });
      return;
    }
    this.#groups.set(id, { cgroup, oomBefore: (await cgroup.oomKills()) ?? 0 });
  }

  /** Rewrites the limits of a live group; false when the process has none (a restart applies them). */
  async update(id: string, resources: ResourcesSpec): Promise<boolean> {
    const group = this.#groups.get(id);
    if (group === undefined) return false;
    await group.cgroup.apply(resources);
    return true;
  }

  /** Why a run ended, when the group knows better than the exit status: an OOM kill. */
  async exitCause(id: string, spec: ProcessSpec): Promise<string | undefined> {
    const group = this.#groups.get(id);
    if (group === undefined) return undefined;
    const kills = (await group.cgroup.oomKills()) ?? 0;
    if (kills <= group.oomBefore) return undefined;
    return `out of memory: killed by the kernel at resources.memory_bytes ${spec.resources.memoryBytes ?? '(no limit)'}`;
  }

  /** The terminated phase: the run is over and its processes are gone, so the group goes too. */
  async release(id: string): Promise<RemoveReport | undefined> {
    const group = this.#groups.get(id);
    if (group === undefined) return undefined;
    this.#groups.delete(id);
    return group.cgroup.remove();
  }

  /** Daemon stop: every group of this daemon, and the subtree that held them. */
  async releaseAll(): Promise<void> {
    this.#groups.clear();
    if (this.canGroup) await removeCgroupSubtree(this.layout, this.subtree);
  }

  private open(id: string): Promise<ProcessCgroup> {
    return ProcessCgroup.create(this.layout, { subtree: this.subtree, name: id });
  }
}
