/**
 * Health as procmgr reports it: totals over every process actor, and one status per process,
 * read from the actors' snapshots (the charts are the only source of truth).
 */
import type { ProcessContext, Phase } from '../machines/process-types.js';
import { phaseOf } from '../machines/process-state.js';
import { phaseLabel } from './metrics.js';
import type { ProcessStatus } from './syncer.js';

export interface ProcessSnapshotLike {
  readonly context: ProcessContext;
  matches(phase: Phase): boolean;
  hasTag(tag: 'queued'): boolean;
}

export interface HealthReport {
  readonly total: number;
  /** Processes in the syncing phase. */
  readonly running: number;
  /** Processes terminating or cleaning up. */
  readonly terminating: number;
  /** Processes whose last hook failed and is being retried, or whose last run failed. */
  readonly failed: number;
  readonly workQueueDepth: number;
  readonly processes: Readonly<Record<string, ProcessStatus>>;
}

export function statusOf(snapshot: ProcessSnapshotLike, now: number): ProcessStatus {
  const c = snapshot.context;
  const phase = phaseOf(snapshot);
  const end = phase === 'finished' ? (c.endedAt ?? now) : now;
  return {
    id: c.id,
    phase,
    state: phaseLabel(phase),
    healthy: phase === 'syncing' && c.consecutiveErrors === 0 && c.health !== 'unhealthy',
    health: c.health,
    healthFailures: c.healthFailures,
    runCount: c.runCount,
    restartCount: c.restartCount,
    errorCount: c.errorCount,
    lastError: c.lastError,
    lastSyncAt: c.lastSyncAt,
    startedAt: c.startedAt,
    endedAt: c.endedAt,
    uptimeMs: c.startedAt === undefined ? 0 : Math.max(0, end - c.startedAt),
    outcome: c.outcome,
    queued: snapshot.hasTag('queued'),
    gracePeriodSecs: c.gracePeriodSecs,
  };
}

export function healthOf(snapshots: Iterable<ProcessSnapshotLike>, now: number): HealthReport {
  let total = 0;
  let running = 0;
  let terminating = 0;
  let failed = 0;
  let workQueueDepth = 0;
  const processes: Record<string, ProcessStatus> = {};
  for (const snapshot of snapshots) {
    const status = statusOf(snapshot, now);
    processes[status.id] = status;
    total += 1;
    if (status.phase === 'syncing') running += 1;
    if (status.phase === 'terminating' || status.phase === 'terminated') terminating += 1;
    if (snapshot.context.consecutiveErrors > 0 || status.outcome === 'failed') failed += 1;
    if (status.queued) workQueueDepth += 1;
  }
  return { total, running, terminating, failed, workQueueDepth, processes };
}
