/**
 * What the daemon's thread and the log pump's thread say to each other (log-pump.ts and
 * log-pump-worker.ts). Every request carries an id and gets exactly one reply.
 */
import type { RotationPolicy } from './rotating-file.js';

/** Where one output stream's bytes go. */
export interface PumpTarget extends RotationPolicy {
  readonly file: string;
  /** 'state-dir': a captured log, always the daemon's own; 'ledger': a path target, ours only if we made it. */
  readonly ownership: 'state-dir' | 'ledger';
}

export type PumpRequest =
  /**
   * `fd`: the FIFO, opened by the daemon's thread (see log-pump.ts for why); the pump owns it from
   * here on, and closes it if it already reads that FIFO.
   */
  | { readonly op: 'attach'; readonly id: number; readonly key: string; readonly fifo: string; readonly fd: number; readonly target: PumpTarget }
  | { readonly op: 'detach'; readonly id: number; readonly key: string }
  | { readonly op: 'flush'; readonly id: number; readonly keys: readonly string[] }
  | { readonly op: 'close'; readonly id: number };

export type PumpMessage =
  | { readonly op: 'reply'; readonly id: number; readonly error?: string }
  /** Something is wrong with one stream that no request is waiting on (a write failed). */
  | { readonly op: 'warning'; readonly key: string; readonly message: string };

export interface PumpWorkerData {
  /** The counters below, shared: read at any time without a message. */
  readonly counters: SharedArrayBuffer;
  /** Where the ledger of files the daemon created outside its state dir is kept. */
  readonly ledger: string;
}

/** Indexes into the shared BigInt64Array of counters. */
export const counter = {
  bytesWritten: 0,
  rotations: 1,
  /** Bytes read from a pipe that could not be written (disk full, file refused): counted, not retried. */
  lostBytes: 2,
  /** Bytes of rotated copies deleted to keep max_files. */
  droppedBytes: 3,
  errors: 4,
} as const;

export const counterCount = 5;
