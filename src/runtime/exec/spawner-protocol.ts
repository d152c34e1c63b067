/**
 * The messages between the daemon and its spawner (spawner.ts, spawner-process.ts), over the
 * IPC channel of `child_process.fork` (JSON, one message per line). Types only: the spawner
 * process must load nothing but Node's own modules and the few small files it imports.
 */
import type { LogTarget } from '../../spec/types.js';
import type { RunPipes } from './log-targets.js';

/** Everything a spawn needs that crosses a pipe: no descriptor (socket activation spawns inline). */
export interface SpawnRequest {
  readonly op: 'spawn';
  /** Names the reply. */
  readonly seq: number;
  readonly command: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  readonly uid?: number;
  readonly gid?: number;
  readonly umask?: number;
  readonly logs: { readonly stdout: LogTarget; readonly stderr: LogTarget };
  /** The FIFOs the spawner opens by path for the streams written to files (log-targets.ts). */
  readonly pipes: RunPipes;
}

export type SpawnerReply =
  /** Exec'd: the pid, and its start time (clock ticks since boot) read while it surely runs. */
  | { readonly op: 'spawned'; readonly seq: number; readonly pid: number; readonly startTime: number }
  /** spawn() failed (or a log pipe could not be opened): Node's error message and code. */
  | { readonly op: 'failed'; readonly seq: number; readonly message: string; readonly code?: string }
  /** A child of the spawner ended and was reaped. */
  | { readonly op: 'exit'; readonly pid: number; readonly code: number | null; readonly signal: string | null };
