/**
 * What each requested limit will really be enforced by, said plainly before the process starts:
 * `describe` shows it, so a limit that cannot hold on this machine is never silently dropped.
 *
 * Fallbacks where no cgroup controller is usable are rlimits, and only where one means the same
 * thing or an honest, weaker thing:
 * - memoryBytes → RLIMIT_AS (`ulimit -v`): caps each process's virtual address space, not the
 *   tree's resident memory. Weaker, and runtimes that reserve address space up front (Node, the
 *   JVM, Go) may fail to start under it, so it is enforced-with-a-caveat.
 * - pids → none. RLIMIT_NPROC (`ulimit -u`) counts every process of the USER, not of the tree,
 *   and root ignores it: it would refuse forks for reasons unrelated to this process, or not at all.
 * - cpuMillis → none. RLIMIT_CPU caps total CPU seconds and then kills; nothing throttles a rate.
 */
import type { ResourcesSpec } from '../../spec/types.js';
import type { CgroupLayout, ControllerSupport } from './cgroup-layout.js';

export type LimitField = keyof ResourcesSpec;

export type LimitMechanism = 'cgroup-v1' | 'cgroup-v2' | 'rlimit-as' | 'none';

export interface LimitReport {
  readonly field: LimitField;
  readonly enforced: boolean;
  readonly mechanism: LimitMechanism;
  /** How it is enforced ("cgroup v1 memory.limit_in_bytes"), or exactly why it is not. */
  readonly detail: string;
}

/** The rlimits the spawn wrapper applies (see join-wrapper.ts). */
export interface WrapperRlimits {
  /** RLIMIT_AS in KiB, as `ulimit -v` takes it. */
  readonly addressSpaceKb?: number;
  /** RLIMIT_NPROC; planLimits never asks for it (see this file's header). */
  readonly processes?: number;
}

const controllerOf = { cpuMillis: 'cpu', memoryBytes: 'memory', pids: 'pids' } as const;
const fields: readonly LimitField[] = ['cpuMillis', 'memoryBytes', 'pids'];

const cgroupFile: Record<LimitField, Record<'v1' | 'v2', string>> = {
  cpuMillis: { v1: 'cpu.cfs_quota_us/cpu.cfs_period_us', v2: 'cpu.max' },
  memoryBytes: { v1: 'memory.limit_in_bytes', v2: 'memory.max' },
  pids: { v1: 'pids.max', v2: 'pids.max' },
};

function unsupported(field: LimitField, support: ControllerSupport & { mechanism: 'none' }, root: string): string {
  const controller = controllerOf[field];
  return `no ${controller} controller under ${root} (${support.reason})`;
}

/** One report per limit the spec asks for, in a fixed order; unrequested fields are left out. */
export function planLimits(resources: ResourcesSpec, layout: CgroupLayout): LimitReport[] {
  const reports: LimitReport[] = [];
  for (const field of fields) {
    if (resources[field] === undefined) continue;
    const support = layout.controllers[controllerOf[field]];
    if (support.mechanism !== 'none') {
      const mechanism = support.mechanism;
      reports.push({
        field,
        enforced: true,
        mechanism: mechanism === 'v1' ? 'cgroup-v1' : 'cgroup-v2',
        detail: `cgroup ${mechanism} ${cgroupFile[field][mechanism]} in ${support.daemonCgroup}`,
      });
      continue;
    }
    const missing = unsupported(field, support, layout.root);
    if (field === 'memoryBytes') {
      reports.push({
        field,
        enforced: true,
        mechanism: 'rlimit-as',
        detail:
          `${missing}: falling back to RLIMIT_AS (ulimit -v), which caps each process's virtual ` +
          `address space, not the tree's memory — weaker, and runtimes that reserve address space ` +
          `up front (Node, JVM, Go) may fail to start under it`,
      });
    } else if (field === 'pids') {
      reports.push({
        field,
        enforced: false,
        mechanism: 'none',
        detail:
          `${missing}: cannot enforce; RLIMIT_NPROC (ulimit -u) counts every process of the user, ` +
          `not this tree, and root ignores it, so it is not used`,
      });
    } else {
      reports.push({
        field,
        enforced: false,
        mechanism: 'none',
        detail:
          `${missing}: cannot enforce; no rlimit throttles a CPU rate ` +
          `(RLIMIT_CPU caps total seconds, then kills)`,
      });
    }
  }
  return reports;
}

/** The rlimits a plan calls for, ready for wrapCommand(). */
export function wrapperRlimits(resources: ResourcesSpec, plan: readonly LimitReport[]): WrapperRlimits {
  const memory = plan.find((report) => report.field === 'memoryBytes');
  if (memory?.mechanism !== 'rlimit-as' || resources.memoryBytes === undefined) return {};
  return { addressSpaceKb: Math.max(1, Math.ceil(resources.memoryBytes / 1024)) };
}
