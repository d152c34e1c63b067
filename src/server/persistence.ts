/**
 * What supervision needs from durable storage (src/store implements it): the desired state of
 * every process, acknowledged only once durable, and the identity of each live run, so that a
 * restarted daemon can tell its survivors from strangers.
 */
export type Desired = 'running' | 'stopped';
export type Source = 'api' | 'config';

export interface ProcessRecord {
  readonly id: string;
  /** The spec in its snake_case file form: re-validated on load, so old records meet new rules. */
  readonly spec: unknown;
  readonly createdAt: number;
  readonly desired: Desired;
  readonly source: Source;
}

export interface RunRecord {
  readonly pid: number;
  readonly pgid: number;
  /** Clock ticks since boot, from /proc/<pid>/stat: with the pid, a run's identity. */
  readonly startTime: number;
  readonly runCount: number;
  readonly startedAt: number;
}

export interface StoredState {
  readonly processes: Readonly<Record<string, ProcessRecord>>;
  readonly runs: Readonly<Record<string, RunRecord>>;
}

export interface DesiredStateStore {
  putProcess(record: ProcessRecord): Promise<void>;
  deleteProcess(id: string): Promise<void>;
  setDesired(id: string, desired: Desired): Promise<void>;
  recordRun(id: string, run: RunRecord): Promise<void>;
  clearRun(id: string): Promise<void>;
}
