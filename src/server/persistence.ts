/**
 * What supervision needs from durable storage (src/store implements it): the desired state of
 * every process, acknowledged only once durable, and the identity of each live run, so that a
 * restarted daemon can tell its survivors from strangers. The records are the store's own
 * (src/store/records.ts); a record's spec is the file form (proto/spec-wire.ts's specToSnakeCase),
 * re-validated on load, so old records meet new rules.
 */
import type { DesiredState, ProcessRecord, RunRecord } from '../store/records.js';

// Under the names supervision and recovery use; StoredState is the read-only view recovery reads.
export type {
  DesiredState as Desired,
  ProcessRecord,
  RecordSource as Source,
  RunRecord,
  StoredStateView as StoredState,
} from '../store/records.js';

export interface DesiredStateStore {
  putProcess(record: ProcessRecord): Promise<void>;
  deleteProcess(id: string): Promise<void>;
  setDesired(id: string, desired: DesiredState): Promise<void>;
  recordRun(id: string, run: RunRecord): Promise<void>;
  clearRun(id: string): Promise<void>;
}
