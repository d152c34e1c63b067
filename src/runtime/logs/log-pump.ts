/**
 * The daemon's side of the log pump: one worker thread (log-pump-worker.ts) that moves every
 * child's output from its pipe into its log file. The daemon's event loop spends nothing per
 * byte; it only says which pipe goes to which file, and asks for a flush when a run ends.
 *
 * The pump is restarted if its thread dies, and told again about every channel: the pipes are
 * FIFOs that the children keep open, so nothing buffered in them is lost meanwhile.
 *
 * The FIFOs are opened here, on the daemon's thread, and handed to the pump by number. A worker
 * thread closes, when it ends, every descriptor it opened through `fs` and did not close through
 * `fs` — including one a net.Socket took over and already closed. That second close hit whatever
 * the daemon's thread had reused the number for (a spawn's error pipe: libuv aborted the process).
 */
import { closeSync, constants, fstatSync, openSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { StatevisorError } from '../../errors.js';
import {
  counter,
  counterCount,
  type PumpMessage,
  type PumpRequest,
  type PumpTarget,
  type PumpWorkerData,
} from './log-pump-protocol.js';

export interface LogPumpOptions {
  /** The ledger of files the daemon created outside its state dir (owned-files.ts). */
  readonly ledger: string;
  /** A stream's output cannot be written as asked (told once per stream and kind of problem). */
  readonly onWarning?: (key: string, message: string) => void;
}

export interface LogPumpStats {
  readonly bytesWritten: number;
  readonly rotations: number;
  /** Bytes read that could not be written (disk full, file refused): counted, never retried. */
  readonly lostBytes: number;
  /** Bytes of rotated copies deleted to keep max_files. */
  readonly droppedBytes: number;
  readonly errors: number;
  /** Times the pump's thread died and was started again. */
  readonly restarts: number;
}

/** O_RDWR: never blocks, and never reads an end of file when a writer goes (see log-targets.ts). */
function openFifo(fifo: string): number {
  const fd = openSync(fifo, constants.O_RDWR | constants.O_NONBLOCK | constants.O_NOFOLLOW);
  if (!fstatSync(fd).isFIFO()) {
    closeSync(fd);
    throw new StatevisorError('E_INVALID_ARGUMENT', `${fifo} is not a FIFO`);
  }
  return fd;
}

type Pending = { resolve: () => void; reject: (error: Error) => void };
type Request = PumpRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

export class LogPump {
  readonly #options: LogPumpOptions;
  readonly #counters = new SharedArrayBuffer(counterCount * 8);
  readonly #view = new BigInt64Array(this.#counters);
  readonly #channels = new Map<string, { fifo: string; target: PumpTarget }>();
  readonly #pending = new Map<number, Pending>();
  #worker: Worker | undefined;
  #nextId = 1;
  #restarts = 0;
  #closed = false;

  constructor(options: LogPumpOptions) {
    this.#options = options;
  }

  /** Starts the thread now rather than at the first attach (whose start would otherwise wait ~30 ms for it). */
  start(): void {
    if (!this.#closed && this.#worker === undefined) this.#start();
  }

  /** Reads `fifo` into `target` from now on (re-pointing the channel if it exists). */
  async attach(key: string, fifo: string, target: PumpTarget): Promise<void> {
    this.#channels.set(key, { fifo, target });
    await this.#request({ op: 'attach', key, fifo, fd: openFifo(fifo), target });
  }

  /** Drains and closes a channel. */
  async detach(key: string): Promise<void> {
    if (!this.#channels.delete(key)) return;
    await this.#request({ op: 'detach', key });
  }

  has(key: string): boolean {
    return this.#channels.has(key);
  }

  /** Resolves once what the pipes of `keys` hold now is in their files, or after `timeoutMs`. */
  async flush(keys: readonly string[], timeoutMs = 1_000): Promise<void> {
    const attached = keys.filter((key) => this.#channels.has(key));
    if (attached.length === 0 || this.#worker === undefined) return;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
    });
    try {
      await Promise.race([this.#request({ op: 'flush', keys: attached }).catch(() => undefined), late]);
    } finally {
      clearTimeout(timer);
    }
  }

  get stats(): LogPumpStats {
    const read = (index: number) => Number(Atomics.load(this.#view, index));
    return {
      bytesWritten: read(counter.bytesWritten),
      rotations: read(counter.rotations),
      lostBytes: read(counter.lostBytes),
      droppedBytes: read(counter.droppedBytes),
      errors: read(counter.errors),
      restarts: this.#restarts,
    };
  }

  /** Drains every channel, saves the ledger and ends the thread. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const worker = this.#worker;
    if (worker === undefined) return;
    try {
      await this.#send(worker, { op: 'close' });
    } finally {
      this.#worker = undefined;
      await worker.terminate();
    }
  }

  #request(request: Request): Promise<void> {
    if (this.#closed) return Promise.reject(new StatevisorError('E_INVALID_STATE', 'the log pump is closed'));
    return this.#send(this.#worker ?? this.#start(), request);
  }

  #send(worker: Worker, request: Request): Promise<void> {
    const id = this.#nextId++;
    return new Promise<void>((resolve, reject) => {
      if (this.#pending.size === 0) worker.ref();
      this.#pending.set(id, { resolve, reject });
      worker.postMessage({ ...request, id } as PumpRequest);
    });
  }

  #start(): Worker {
    const data: PumpWorkerData = { counters: this.#counters, ledger: this.#options.ledger };
    const worker = new Worker(new URL('./log-pump-worker.js', import.meta.url), { workerData: data });
    worker.on('message', (message: PumpMessage) => this.#receive(worker, message));
    worker.on('error', (error) => this.#died(worker, error));
    worker.on('exit', (code) => this.#died(worker, new Error(`the log pump's thread exited with code ${code}`)));
    // The thread never keeps the daemon alive by itself: only while a request waits on it.
    // (After the listeners: adding a 'message' listener refs the worker again.)
    worker.unref();
    this.#worker = worker;
    return worker;
  }

  #attachAgain(key: string, fifo: string, target: PumpTarget): Promise<void> {
    return this.#request({ op: 'attach', key, fifo, fd: openFifo(fifo), target });
  }

  #receive(worker: Worker, message: PumpMessage): void {
    if (message.op === 'warning') {
      this.#options.onWarning?.(message.key, message.message);
      return;
    }
    const pending = this.#pending.get(message.id);
    if (pending === undefined) return;
    this.#pending.delete(message.id);
    if (this.#pending.size === 0) worker.unref();
    if (message.error === undefined) pending.resolve();
    else pending.reject(new StatevisorError('E_INVALID_ARGUMENT', message.error));
  }

  /** A thread that died (a bug, not a bad file) is replaced and told every channel again. */
  #died(worker: Worker, error: Error): void {
    if (this.#worker !== worker) return;
    this.#worker = undefined;
    for (const pending of this.#pending.values()) pending.reject(error);
    this.#pending.clear();
    if (this.#closed) return;
    this.#restarts += 1;
    this.#options.onWarning?.('', `${error.message}; restarting it`);
    // After a pause: a thread that dies at once must not become a busy loop of restarts.
    setTimeout(() => {
      if (this.#closed || this.#worker !== undefined) return;
      for (const [key, { fifo, target }] of this.#channels) {
        this.#attachAgain(key, fifo, target).catch((reason: Error) =>
          this.#options.onWarning?.(key, reason.message),
        );
      }
    }, 100).unref();
  }
}
