/**
 * Where a child's stdout and stderr go. A stream written to a file goes through a pipe (a FIFO
 * that the log pump reads, see runtime/logs/log-pump.ts): the child gets the pipe's descriptor,
 * the daemon's event loop never sees a byte, and the pump writes and rotates the file, so disk
 * use is bounded whatever the child's rate. The FIFO is opened O_RDWR, so the child always holds
 * a reader too: if the daemon dies, the child's writes wait once the pipe is full (64 KiB)
 * instead of killing it with SIGPIPE, and the next daemon drains them.
 */
import { closeSync, constants, openSync } from 'node:fs';
import type { StdioOptions } from 'node:child_process';
import type { LogTarget } from '../../spec/types.js';

/** The FIFO of each stream written to a file; absent for `null` and `inherit`. */
export interface RunPipes {
  readonly stdout?: string;
  readonly stderr?: string;
}

export interface OpenedStdio {
  readonly stdio: StdioOptions;
  /** Descriptors the daemon opened; close them once the child has its own copies. */
  readonly opened: number[];
}

function target(value: LogTarget, pipe: string | undefined, opened: number[]): 'ignore' | 'inherit' | number {
  if (value === 'null') return 'ignore';
  if (value === 'inherit') return 'inherit';
  if (pipe === undefined) throw new Error(`no pipe was prepared for a stream written to ${value}`);
  const fd = openSync(pipe, constants.O_RDWR | constants.O_NOFOLLOW);
  opened.push(fd);
  return fd;
}

export function openStdio(logs: { stdout: LogTarget; stderr: LogTarget }, pipes: RunPipes): OpenedStdio {
  const opened: number[] = [];
  try {
    const out = target(logs.stdout, pipes.stdout, opened);
    const err = target(logs.stderr, pipes.stderr, opened);
    return { stdio: ['ignore', out, err], opened };
  } catch (error) {
    closeAll(opened);
    throw error;
  }
}

export function closeAll(fds: readonly number[]): void {
  for (const fd of fds) {
    try {
      closeSync(fd);
    } catch {
      // Already closed: nothing to release.
    }
  }
}
