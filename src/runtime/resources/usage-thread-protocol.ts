/**
 * What the daemon's thread and the usage-sampling thread say to each other (usage-thread.ts and
 * usage-worker.ts). One request per cycle, one reply each.
 */
import type { ResourceUsage, UsageGroup } from './usage.js';

/** A target as it crosses threads: a plain copy (a ProcessCgroup's private fields would not). */
export interface PlainTarget {
  readonly pid: number;
  readonly cgroup?: UsageGroup;
}

export interface UsageRequest {
  readonly id: number;
  readonly targets: readonly PlainTarget[];
}

export type UsageReply =
  | { readonly id: number; readonly usages: readonly ResourceUsage[] }
  | { readonly id: number; readonly error: string; readonly code?: string };
