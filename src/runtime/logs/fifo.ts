/**
 * Named pipes for children's output. Node has no mkfifo(), so `mkfifo` (coreutils) makes them;
 * the requests of one event-loop turn share one invocation, so that starting 1,000 processes
 * costs a few forks, not 1,000. A FIFO is made once per process and stream and reused by every
 * run, and across daemon restarts.
 */
import { execFile } from 'node:child_process';
import { lstat, unlink } from 'node:fs/promises';
import { StatevisorError } from '../../errors.js';

/** Paths per mkfifo invocation: far below the kernel's argument limit. */
const batchSize = 512;

interface Waiting {
  readonly path: string;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

let queue: Waiting[] = [];
let scheduled = false;

async function isFifo(path: string): Promise<boolean | undefined> {
  try {
    return (await lstat(path)).isFIFO();
  } catch {
    return undefined;
  }
}

/** Makes `path` a FIFO (mode 0600) unless it is one already; anything else at the name is replaced. */
export async function ensureFifo(path: string): Promise<void> {
  const found = await isFifo(path);
  if (found === true) return;
  if (found === false) await unlink(path);
  await new Promise<void>((resolve, reject) => {
    queue.push({ path, resolve, reject });
    if (!scheduled) {
      scheduled = true;
      setImmediate(flushQueue);
    }
  });
}

function flushQueue(): void {
  scheduled = false;
  const waiting = queue;
  queue = [];
  for (let start = 0; start < waiting.length; start += batchSize) void make(waiting.slice(start, start + batchSize));
}

async function make(batch: readonly Waiting[]): Promise<void> {
  const paths = [...new Set(batch.map((w) => w.path))];
  const stderr = await new Promise<string>((resolve) => {
    execFile('mkfifo', ['-m', '0600', '--', ...paths], (error, _stdout, err) => resolve(error ? String(err || error.message) : ''));
  });
  // mkfifo goes on past a path it cannot make: each path is judged by what is there now.
  await Promise.all(
    batch.map(async (w) => {
      if ((await isFifo(w.path)) === true) w.resolve();
      else w.reject(new StatevisorError('E_START_FAILED', `cannot make the pipe ${w.path}: ${stderr.trim() || 'mkfifo failed'}`));
    }),
  );
}
