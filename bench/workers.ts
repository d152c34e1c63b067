/**
 * runtime: worker against OS processes, each through the daemon's API on a fresh daemon: start
 * and stop N worker-thread services vs N sleeps (time, daemon RSS), and the restart gap of a
 * crash-looping worker vs a crash-looping `sh` — both measured by the workload itself (stamps on
 * the same monotonic clock: a worker's process.hrtime is the daemon's, `date +%s%N` is wall time).
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ProcessSpecInput, StatevisorClient } from '../src/client/index.js';
import { deleteAll, startApiFleet, stopApiFleet } from './api-fleet.js';
import { pollUntil } from './concurrency.js';
import { memoryOf } from './memory.js';
import { completeLines, daemonRestartGaps, gapsFrom } from './restart-gap.js';
import { progress } from './report.js';
import { withStage, type Run } from './stage.js';
import { median, percentile, ratio } from './stats.js';

const serviceTask = `export default async function ({ signal }) { await new Promise((resolve) => signal.addEventListener('abort', resolve)); }`;
/** Stamps its start and its end (wall-clock ns, as the OS loop's `date +%s%N`), then rejects. */
const crashTask = (stampFile: string) => `import { appendFileSync } from 'node:fs';
const wallNs = () => BigInt(Math.round((performance.timeOrigin + performance.now()) * 1e3)) * 1000n;
export default async function () {
  appendFileSync(${JSON.stringify(stampFile)}, wallNs() + '\\n');
  appendFileSync(${JSON.stringify(stampFile)}, wallNs() + '\\n');
  throw new Error('crash');
}`;

export interface FleetFigures {
  readonly startMs: number;
  readonly stopMs: number;
  readonly idleMb: number;
  readonly withFleetMb: number;
  readonly peakMb: number;
}

async function fleet(client: StatevisorClient, daemonPid: number, n: number, markerArg: string, concurrency: number, specOf?: (name: string) => ProcessSpecInput): Promise<FleetFigures> {
  const idle = memoryOf(daemonPid);
  const names = Array.from({ length: n }, (_, i) => `w-${i}`);
  const start = await startApiFleet(client, names, markerArg, concurrency, specOf);
  const withFleet = memoryOf(daemonPid);
  const stop = await stopApiFleet(client, names, concurrency);
  const peak = memoryOf(daemonPid).peakMb;
  await deleteAll(client, names, concurrency);
  return { startMs: start.ms, stopMs: stop.ms, idleMb: idle.rssMb, withFleetMb: withFleet.rssMb, peakMb: peak };
}

export async function workerFleets(run: Run, n: number): Promise<{ os: FleetFigures; threads: FleetFigures }> {
  const { concurrency } = run.options;
  progress(`workers: ${n} OS processes (sleep) through the API`);
  const os = await withStage(run, 'workers-os', ({ daemon, client }) => fleet(client, daemon.pid, n, run.arg, concurrency));
  progress(`workers: ${n} worker-thread services through the API`);
  const threads = await withStage(run, 'workers-threads', ({ dir, daemon, client }) => {
    const module = path.join(dir, 'service.mjs');
    writeFileSync(module, serviceTask);
    const specOf = (name: string): ProcessSpecInput => ({
      name,
      runtime: { kind: 'worker', module },
      restart: { policy: 'always', delayMs: 0, startLimitBurst: 0, minUptimeMs: 0 },
      logs: { stdout: 'null', stderr: 'null' },
      stop: { gracePeriodMs: 5000 },
    });
    return fleet(client, daemon.pid, n, run.arg, concurrency, specOf);
  });
  return { os, threads };
}

export interface WorkerGaps {
  readonly worker: number[];
  readonly exec: number[];
}

export async function workerRestartGaps(run: Run): Promise<WorkerGaps> {
  const { restarts } = run.options;
  return withStage(run, 'workers-restart-gap', async ({ dir, client }) => {
    progress(`workers: restart gap, ${restarts} restarts of a crashing worker, then of a crashing sh`);
    const stampFile = path.join(dir, 'worker.stamps');
    const module = path.join(dir, 'crash.mjs');
    writeFileSync(module, crashTask(stampFile));
    const name = 'worker-crash-loop';
    await client.createProcess(
      { name, runtime: { kind: 'worker', module }, restart: { policy: 'always', delayMs: 0, startLimitBurst: 0, minUptimeMs: 0 }, logs: { stdout: 'null', stderr: 'null' } },
      { start: true },
    );
    try {
      await pollUntil(`${restarts} restarts of ${name}`, () => completeLines(stampFile).length >= 2 * (restarts + 1), { timeoutMs: 120_000, intervalMs: 20 });
    } finally {
      await client.stopProcess(name, { gracePeriodMs: 1000 });
    }
    await client.deleteProcess(name);
    const worker = gapsFrom(stampFile, restarts).gapsMs;
    const exec = (await daemonRestartGaps(client, dir, run.arg, restarts)).gapsMs;
    return { worker, exec };
  }, ['-', '0']);
}

export function workerFigures(n: number, fleets: { os: FleetFigures; threads: FleetFigures }, gaps: WorkerGaps) {
  const { os, threads } = fleets;
  return [
    {
      bench: 'workers_fleet',
      n,
      worker_start_ms: threads.startMs,
      os_start_ms: os.startMs,
      start_ratio: ratio(threads.startMs, os.startMs),
      worker_stop_ms: threads.stopMs,
      os_stop_ms: os.stopMs,
      stop_ratio: ratio(threads.stopMs, os.stopMs),
      worker_daemon_idle_mb: threads.idleMb,
      worker_daemon_mb: threads.withFleetMb,
      worker_daemon_growth_mb: threads.withFleetMb - threads.idleMb,
      worker_mb_each: (threads.withFleetMb - threads.idleMb) / n,
      os_daemon_idle_mb: os.idleMb,
      os_daemon_mb: os.withFleetMb,
      os_daemon_growth_mb: os.withFleetMb - os.idleMb,
      worker_daemon_peak_mb: threads.peakMb,
    },
    {
      bench: 'workers_restart_gap',
      restarts: gaps.worker.length,
      worker_median_ms: median(gaps.worker),
      worker_p90_ms: percentile(gaps.worker, 90),
      exec_median_ms: median(gaps.exec),
      exec_p90_ms: percentile(gaps.exec, 90),
      ratio: ratio(median(gaps.worker), median(gaps.exec)),
    },
  ];
}
