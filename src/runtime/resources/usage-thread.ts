/**
 * Usage sampling off the daemon's event loop: one dedicated worker thread (usage-worker.ts) runs
 * each fleet-wide pass and answers the figures in one message.
 *
 * Why: a pass over 1,000 processes is ~8,000 reads of /proc and cgroup files. On the daemon's
 * thread each read's callbacks and parsing took 250–320 ms of its CPU per cycle, in slices between
 * RPCs, and the first pass spawned `getconf` twice (a fork of the whole daemon). On a thread of its
 * own that costs the daemon one message each way.
 *
 * One thread, not a pool: there is one job, on a timer, never two at once (the monitor skips a
 * tick while a cycle runs). The thread never keeps the daemon alive by itself, only while a
 * request waits on it. If it dies (a bug, out of memory), the request in flight fails — the
 * monitor counts a failed cycle and keeps its last figures — and the next request starts a new one.
 */
import { Worker } from 'node:worker_threads';
import type { PlainTarget, UsageReply } from './usage-thread-protocol.js';
import { besideMeasured, type ResourceUsage, type UsageTarget } from './usage.js';

export interface UsageThreadOptions {
  /** The thread's module (tests swap in one that dies); default usage-worker.js beside this file. */
  readonly workerUrl?: URL;
}

type Pending = { resolve: (usages: ResourceUsage[]) => void; reject: (error: Error) => void };

function plain(target: UsageTarget): PlainTarget {
  // A ProcessCgroup keeps its dirs in a private field, which structured clone leaves behind.
  return target.cgroup === undefined ? { pid: target.pid } : { pid: target.pid, cgroup: { dirs: new Map(target.cgroup.dirs) } };
}

export class UsageThread {
  readonly #workerUrl: URL;
  readonly #pending = new Map<number, Pending>();
  #worker: Worker | undefined;
  #nextId = 1;
  #restarts = 0;

  constructor(options: UsageThreadOptions = {}) {
    this.#workerUrl = options.workerUrl ?? new URL('./usage-worker.js', import.meta.url);
  }

  /** Times the thread died (not stopped); the next request starts another. */
  get restarts(): number {
    return this.#restarts;
  }

  /** sampleAll (usage.ts) of `targets`, run on the thread; each `at` on this thread's clock. */
  sampleAll(targets: readonly UsageTarget[]): Promise<ResourceUsage[]> {
    // A worker thread's figures are read from its Worker, which lives on this thread: no clone reaches it.
    return besideMeasured(targets, (read) => this.#post(read));
  }

  #post(targets: readonly UsageTarget[]): Promise<ResourceUsage[]> {
    const worker = this.#worker ?? this.#start();
    const id = this.#nextId++;
    return new Promise<ResourceUsage[]>((resolve, reject) => {
      if (this.#pending.size === 0) worker.ref();
      this.#pending.set(id, { resolve, reject });
      worker.postMessage({ id, targets: targets.map(plain) });
    });
  }

  /** Ends the thread (a request in flight fails); the next request starts a new one. */
  async stop(): Promise<void> {
    const worker = this.#worker;
    if (worker === undefined) return;
    this.#worker = undefined;
    this.#failAll(new Error('usage sampling stopped'));
    await worker.terminate();
  }

  #start(): Worker {
    const worker = new Worker(this.#workerUrl);
    worker.on('message', (message: UsageReply) => this.#receive(worker, message));
    worker.on('error', (error) => this.#died(worker, error));
    worker.on('exit', (code) => this.#died(worker, new Error(`the usage-sampling thread exited with code ${code}`)));
    // After the listeners: adding a 'message' listener refs the worker again.
    worker.unref();
    this.#worker = worker;
    return worker;
  }

  #receive(worker: Worker, message: UsageReply): void {
    const pending = this.#pending.get(message.id);
    if (pending === undefined) return;
    this.#pending.delete(message.id);
    if (this.#pending.size === 0) worker.unref();
    if ('usages' in message) pending.resolve([...message.usages]);
    else pending.reject(Object.assign(new Error(message.error), message.code === undefined ? {} : { code: message.code }));
  }

  #died(worker: Worker, error: Error): void {
    // A thread we stopped, or one already replaced: nothing to do.
    if (this.#worker !== worker) return;
    this.#worker = undefined;
    this.#restarts += 1;
    this.#failAll(error);
  }

  #failAll(error: Error): void {
    for (const pending of this.#pending.values()) pending.reject(error);
    this.#pending.clear();
  }
}
