/**
 * What a thread can be held to. A worker shares the daemon's process: no cgroup, no rlimit, no
 * pid of its own. V8 can cap its heap (resourceLimits), and exceeding that cap ends the thread
 * with ERR_WORKER_OUT_OF_MEMORY — the daemon and other workers go on.
 */
import type { ResourceLimits } from 'node:worker_threads';
import type { ResourcesSpec } from '../../spec/types.js';

const mib = 1024 * 1024;

/** resources.memory_bytes as the thread's old-generation heap cap, in whole MiB (at least 1). */
export function workerResourceLimits(resources: ResourcesSpec): ResourceLimits | undefined {
  if (resources.memoryBytes === undefined) return undefined;
  return { maxOldGenerationSizeMb: Math.max(1, Math.floor(resources.memoryBytes / mib)) };
}

export interface WorkerLimitReport {
  readonly field: keyof ResourcesSpec;
  readonly enforced: boolean;
  readonly detail: string;
}

/** For Describe's enforcement list: each limit the spec sets, and what a thread makes of it. */
export function workerLimitPlan(resources: ResourcesSpec): WorkerLimitReport[] {
  const reports: WorkerLimitReport[] = [];
  const limits = workerResourceLimits(resources);
  if (limits !== undefined) {
    reports.push({
      field: 'memoryBytes',
      enforced: true,
      detail: `the worker thread's V8 old-generation heap is capped at ${limits.maxOldGenerationSizeMb} MiB (resourceLimits.maxOldGenerationSizeMb); passing it ends the run as out of memory (exit 1), the daemon and other workloads go on; memory outside the JS heap (Buffers, native code) is not counted`,
    });
  }
  if (resources.cpuMillis !== undefined) {
    reports.push({
      field: 'cpuMillis',
      enforced: false,
      detail: 'a worker thread runs in the daemon\'s process and cgroup: the kernel cannot throttle one thread of a process (CPU time is reported, not limited)',
    });
  }
  if (resources.pids !== undefined) {
    reports.push({ field: 'pids', enforced: false, detail: 'a worker thread has no process or cgroup of its own: what it spawns are children of the daemon, and no pids limit can be applied to one thread' });
  }
  return reports;
}
