/**
 * What the daemon and a worker-thread workload say to each other (worker-host.ts runs inside the
 * thread). Structured-clone messages only: the task never gets a handle on the daemon.
 */
import type { ProcessSpec } from '../../spec/types.js';

/** Given to the thread at its start (workerData). */
export interface WorkerBoot {
  /** file: URL of the module to import. */
  readonly moduleUrl: string;
  readonly exportName: string;
  readonly config: ProcessSpec;
}

/** Daemon → thread. */
export type ToWorker = { readonly type: 'abort' } | { readonly type: 'config'; readonly config: ProcessSpec } | { readonly type: 'usage' };

/** Thread → daemon. */
export type FromWorker =
  /** The module is loaded and its export was called: the run has started. */
  | { readonly type: 'started' }
  /** The task's promise settled: resolved (ok) or rejected with this message. */
  | { readonly type: 'settled'; readonly ok: boolean; readonly message?: string }
  /** The module could not be loaded, or its export is not a function. */
  | { readonly type: 'load-failed'; readonly message: string }
  | { readonly type: 'usage'; readonly heapUsedBytes: number; readonly heapTotalBytes: number };
