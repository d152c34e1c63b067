/**
 * What the store keeps: the processes the daemon was asked to manage (desired state) and, for
 * each one that has a live workload, the identity of that workload (so a restarted daemon can
 * adopt or stop it instead of running it twice).
 *
 * Records are frozen once stored and replaced, never mutated, so a view handed out by
 * `Store.state()` cannot change under a caller's feet except by whole-record replacement.
 */

export type DesiredState = 'running' | 'stopped';
export type RecordSource = 'api' | 'config';

export interface ProcessRecord {
  id: string;
  /** A JSON value; the daemon validates it (src/spec), the store only keeps it. */
  spec: unknown;
  createdAt: number;
  desired: DesiredState;
  source: RecordSource;
}

export interface RunRecord {
  pid: number;
  pgid: number;
  /** Clock ticks since boot, field 22 of /proc/<pid>/stat: with pid, survives pid reuse. */
  startTime: number;
  runCount: number;
  startedAt: number;
}

export interface StoredState {
  processes: Record<string, ProcessRecord>;
  runs: Record<string, RunRecord>;
}

/** The read-only face of the state that `Store.state()` returns. */
export interface StoredStateView {
  readonly processes: Readonly<Record<string, Readonly<ProcessRecord>>>;
  readonly runs: Readonly<Record<string, Readonly<RunRecord>>>;
}

/**
 * Maps without a prototype: an id such as `__proto__` or `constructor` is then an ordinary key
 * instead of a way to reach Object.prototype.
 */
export function emptyState(): StoredState {
  return {
    processes: Object.create(null) as Record<string, ProcessRecord>,
    runs: Object.create(null) as Record<string, RunRecord>,
  };
}

/** Freezes a JSON value all the way down (records come from JSON.parse, so no cycles). */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
