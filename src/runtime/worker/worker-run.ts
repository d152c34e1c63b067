/**
 * One run of a worker-thread workload: the thread, how it ended, and what it uses. The run has
 * started once the module is loaded and its export called; it has ended once the task's promise
 * settled (resolve: exit 0, reject: exit 1 with the message as cause), the thread called
 * process.exit(n) (exit n), threw outside the task (exit 1) or ran out of heap (exit 1, out of
 * memory). A settled task's thread is terminated at once: whatever it left running is not the run.
 */
import { Worker } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import type { Writable } from 'node:stream';
import type { ProcessSpec } from '../../spec/types.js';
import type { ChildExit } from '../exec/child-handle.js';
import type { FromWorker, ToWorker, WorkerBoot } from './worker-messages.js';
import { workerResourceLimits } from './worker-limits.js';

const hostUrl = new URL('./worker-host.js', import.meta.url);

/** A module given as an absolute path or a file: URL, as a URL import() takes. */
export function moduleUrlOf(module: string): string {
  return module.startsWith('file:') ? module : pathToFileURL(module).href;
}

export interface WorkerUsage {
  /** Time the thread's event loop was busy (ms): its CPU time, as near as a thread can tell. */
  readonly activeMs: number;
  readonly heapUsedBytes: number;
  readonly heapTotalBytes: number;
}

export interface WorkerRunOptions {
  readonly env: Record<string, string | undefined>;
  /** Where the thread's stdout and stderr go (closed when the run ends); undefined discards. */
  readonly stdout: Writable | undefined;
  readonly stderr: Writable | undefined;
  readonly now: () => number;
}

export class WorkerRun {
  readonly worker: Worker;
  readonly startedAt: number;
  /** Resolves once the module is loaded and its export called; rejects when it cannot be. */
  readonly started: Promise<void>;
  readonly exited: Promise<ChildExit>;
  #exit: ChildExit | undefined;
  /** How the task settled, once it has: decides the exit over the thread's own code. */
  #settled: { exitCode: number; cause?: string } | undefined;
  #heap = { heapUsedBytes: 0, heapTotalBytes: 0 };

  constructor(spec: ProcessSpec, options: WorkerRunOptions) {
    const boot: WorkerBoot = { moduleUrl: moduleUrlOf(spec.runtime.module ?? spec.command), exportName: spec.runtime.export ?? 'default', config: spec };
    const resourceLimits = workerResourceLimits(spec.resources);
    this.startedAt = options.now();
    this.worker = new Worker(hostUrl, {
      workerData: boot,
      argv: spec.args,
      env: options.env,
      stdout: true,
      stderr: true,
      name: spec.name,
      ...(resourceLimits !== undefined && { resourceLimits }),
    });
    const piped = [pipe(this.worker.stdout, options.stdout), pipe(this.worker.stderr, options.stderr)];
    let error: Error | undefined;
    this.worker.on('error', (e) => (error = e));
    this.started = new Promise((resolve, reject) => {
      this.worker.on('message', (message: FromWorker) => {
        if (message.type === 'started') resolve();
        else if (message.type === 'load-failed') {
          reject(new Error(message.message));
          void this.worker.terminate();
        } else if (message.type === 'settled') {
          this.#settled = message.ok ? { exitCode: 0 } : { exitCode: 1, cause: message.message ?? 'the task rejected' };
          void this.worker.terminate();
        } else if (message.type === 'usage') this.#heap = { heapUsedBytes: message.heapUsedBytes, heapTotalBytes: message.heapTotalBytes };
      });
      this.worker.once('exit', (code) => reject(new Error(error?.message ?? `the worker thread exited with code ${code} before its module was loaded`)));
    });
    // Observed here so that a run stopped before it started leaves no unhandled rejection.
    this.started.catch(() => undefined);
    this.exited = new Promise((resolve) => {
      this.worker.once('exit', (code) => {
        const at = options.now();
        // Everything the thread wrote is in the pipes before anyone is told it ended.
        void Promise.all(piped).then(() => {
          const { exitCode, cause } = this.#settled ?? exitOf(code, error, spec);
          this.#exit = { exitCode, signal: null, at, ...(cause !== undefined && { cause }) };
          resolve(this.#exit);
        });
      });
    });
  }

  get exit(): ChildExit | undefined {
    return this.#exit;
  }

  get alive(): boolean {
    return this.#exit === undefined;
  }

  send(message: ToWorker): void {
    if (this.alive) this.worker.postMessage(message);
  }

  /** CPU (event-loop busy time, read from outside: a thread stuck in a loop still counts) and heap. */
  usage(): WorkerUsage {
    // Asked for the next read: a thread busy in a loop does not answer, and keeps its last figure.
    this.send({ type: 'usage' });
    const activeMs = this.alive ? this.worker.performance.eventLoopUtilization().active : 0;
    return { activeMs, ...this.#heap };
  }
}

/** The thread ended without its task settling: process.exit(n), an uncaught error, or its heap. */
function exitOf(code: number, error: Error | undefined, spec: ProcessSpec): { exitCode: number; cause?: string } {
  if ((error as NodeJS.ErrnoException | undefined)?.code === 'ERR_WORKER_OUT_OF_MEMORY') {
    return { exitCode: code === 0 ? 1 : code, cause: `out of memory: the worker's heap passed resources.memory_bytes ${spec.resources.memoryBytes ?? '(no limit)'}` };
  }
  if (error !== undefined) return { exitCode: code === 0 ? 1 : code, cause: `uncaught: ${error.message}` };
  return { exitCode: code };
}

/** Copies a thread's stream into its target; resolves when the thread's side has ended. */
function pipe(from: NodeJS.ReadableStream, to: Writable | undefined): Promise<void> {
  return new Promise((resolve) => {
    from.on('end', resolve);
    from.on('close', resolve);
    if (to === undefined) from.resume();
    else from.on('data', (chunk: Buffer) => to.write(chunk));
  });
}
