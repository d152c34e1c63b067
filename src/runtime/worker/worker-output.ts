/**
 * A worker thread's stdout and stderr into the same files as an OS process's: the daemon writes
 * what the thread prints into the run's pipes (the FIFOs the log pump reads, log-targets.ts), so
 * rotation, `logs` and flushing before the exit is reported are the exec runtime's, unchanged.
 * The FIFO is written through a non-blocking pipe handle: a full pipe queues in the daemon's
 * memory rather than blocking a libuv thread.
 */
import { constants, openSync } from 'node:fs';
import { Socket } from 'node:net';
import type { Writable } from 'node:stream';
import type { LogTarget } from '../../spec/types.js';
import type { RunPipes } from '../exec/log-targets.js';

export interface WorkerStdio {
  readonly stdout: Writable | undefined;
  readonly stderr: Writable | undefined;
  /** Ends the pipes (not the daemon's own streams for `inherit`); resolves once written. */
  close(): Promise<void>;
}

function open(value: LogTarget, pipe: string | undefined, daemonStream: Writable): Writable | undefined {
  if (value === 'null') return undefined;
  if (value === 'inherit') return daemonStream;
  if (pipe === undefined) throw new Error(`no pipe was prepared for a stream written to ${value}`);
  const fd = openSync(pipe, constants.O_RDWR | constants.O_NONBLOCK | constants.O_NOFOLLOW);
  return new Socket({ fd, readable: false, writable: true });
}

function end(stream: Writable | undefined): Promise<void> {
  if (stream === undefined || stream === process.stdout || stream === process.stderr) return Promise.resolve();
  return new Promise((resolve) => {
    stream.once('error', () => resolve());
    stream.end(resolve);
  });
}

export function openWorkerStdio(logs: { stdout: LogTarget; stderr: LogTarget }, pipes: RunPipes): WorkerStdio {
  const stdout = open(logs.stdout, pipes.stdout, process.stdout);
  let stderr: Writable | undefined;
  try {
    stderr = open(logs.stderr, pipes.stderr, process.stderr);
  } catch (error) {
    stdout?.destroy();
    throw error;
  }
  return { stdout, stderr, close: async () => void (await Promise.all([end(stdout), end(stderr)])) };
}
