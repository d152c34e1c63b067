/**
 * What the charts alone cost at fleet size: `node dist/bench/chart-fleet.js [--n 1000]`. The
 * embedding API with a syncer that does nothing (no fork, no gRPC, no cgroup): N creates until
 * all are running, a terminate of every one until all completed, then shutdown with N finished
 * actors. This is XState's share of the daemon's start, stop and shutdown — where the quadratic
 * paths were (docs/upstream/README.md): run it against a build before and after a change to the
 * charts or to XState's patch, alternating, on the same machine. One JSON line on stdout.
 */
import { performance } from 'node:perf_hooks';
import { setImmediate as turn } from 'node:timers/promises';
import { createProcessManager, type ProcessSyncer } from '../src/index.js';

const args = process.argv.slice(2);
const at = args.indexOf('--n');
const n = at === -1 ? 1000 : Number(args[at + 1]);
if (!Number.isSafeInteger(n) || n <= 0) throw new Error(`--n: expected a positive integer, got ${args[at + 1]}`);

const syncer: ProcessSyncer<undefined> = {
  async syncProcess() {
    return { terminal: false };
  },
  async syncTerminatingProcess() {},
  async syncTerminatedProcess() {},
};
// The embedding default: a resync timer per process, so every stop has the others' timers beside it.
const manager = createProcessManager({ syncer, resyncIntervalMs: 10_000 });
const ids = Array.from({ length: n }, (_, i) => `p${i}`);

let t0 = performance.now();
for (const id of ids) manager.updateProcess({ id, type: 'create' });
while (manager.health().running < n) await turn();
const startMs = performance.now() - t0;

t0 = performance.now();
await Promise.all(
  ids.map((id) => new Promise<unknown>((resolve) => manager.updateProcess({ id, type: 'terminate', terminate: { onCompleted: resolve } }))),
);
const stopMs = performance.now() - t0;

t0 = performance.now();
await manager.shutdown();
const shutdownMs = performance.now() - t0;

const round = (ms: number) => Math.round(ms);
console.log(JSON.stringify({ bench: 'chart_fleet', n, start_ms: round(startMs), stop_ms: round(stopMs), shutdown_ms: round(shutdownMs) }));
