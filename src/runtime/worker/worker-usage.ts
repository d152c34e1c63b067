/**
 * A worker thread's usage in the figures every process reports (ResourceUsage): CPU is the time
 * its event loop was busy, read from the daemon's side (a thread stuck in a loop still counts),
 * all as user time; memory is its V8 heap in use, against resources.memory_bytes as its cap. A
 * thread has no pid, descriptors or I/O of its own: those read 0.
 */
import { performance } from 'node:perf_hooks';
import type { ResourceUsage } from '../resources/usage.js';
import type { ProcessSpec } from '../../spec/types.js';
import type { WorkerUsage } from './worker-run.js';

export function workerResourceUsage(usage: WorkerUsage, spec: ProcessSpec): ResourceUsage {
  return {
    cpuUserUs: usage.activeMs * 1000,
    cpuSystemUs: 0,
    rssBytes: usage.heapUsedBytes,
    memoryBytes: usage.heapUsedBytes,
    memoryLimitBytes: spec.resources.memoryBytes ?? 0,
    pids: 0,
    fds: 0,
    ioReadBytes: 0,
    ioWriteBytes: 0,
    source: 'worker',
    at: performance.now(),
  };
}
