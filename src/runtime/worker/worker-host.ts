/**
 * The entry point of every worker-thread workload (runtime: worker). It imports the process's
 * module, calls its export with a context — an AbortSignal that fires at a stop, the config, and
 * onConfig for the config a resync sends — and tells the daemon when the task has started and
 * how its promise settled. The daemon decides what that means for the run (worker-run.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { getHeapStatistics } from 'node:v8';
import type { FromWorker, ToWorker, WorkerBoot } from './worker-messages.js';

/** What the export is called with. */
export interface WorkerTaskContext<Config = unknown> {
  /** Fires when the daemon stops the workload; the grace period then runs, and the thread is terminated. */
  readonly signal: AbortSignal;
  /** The process's spec at the start; updated in place of nothing: read the latest through onConfig. */
  readonly config: Config;
  /** Called with the new spec when the process is updated without a restart. */
  onConfig(listener: (config: Config) => void): void;
}

const port = parentPort;
if (port === null) throw new Error('worker-host.js runs only as a worker thread of the statevisor daemon');
const boot = workerData as WorkerBoot;
const send = (message: FromWorker) => port.postMessage(message);
const controller = new AbortController();
const listeners: ((config: unknown) => void)[] = [];

port.on('message', (message: ToWorker) => {
  if (message.type === 'abort') controller.abort(new Error('the workload is being stopped'));
  else if (message.type === 'config') for (const listener of listeners) listener(message.config);
  else {
    const heap = getHeapStatistics();
    send({ type: 'usage', heapUsedBytes: heap.used_heap_size, heapTotalBytes: heap.total_heap_size });
  }
});
// The port stays referenced: a task that only awaits its AbortSignal keeps running until the
// daemon ends the thread, instead of exiting for want of anything to do.

async function run(): Promise<void> {
  let task: unknown;
  try {
    const loaded = (await import(boot.moduleUrl)) as Record<string, unknown>;
    task = loaded[boot.exportName];
    if (typeof task !== 'function') {
      throw new Error(`runtime.export: ${boot.moduleUrl} has no function export named ${boot.exportName} (got ${typeof task})`);
    }
  } catch (error) {
    send({ type: 'load-failed', message: error instanceof Error ? error.message : String(error) });
    return;
  }
  const context: WorkerTaskContext = {
    signal: controller.signal,
    config: boot.config,
    onConfig: (listener) => void listeners.push(listener),
  };
  send({ type: 'started' });
  try {
    await (task as (context: WorkerTaskContext) => unknown)(context);
    send({ type: 'settled', ok: true });
  } catch (error) {
    send({ type: 'settled', ok: false, message: error instanceof Error ? error.message : String(error) });
  }
}

void run();
