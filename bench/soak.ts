/**
 * The RSS soak: several processes crash-looping at once (each `sh -c` that exits 1 at once;
 * restart always, no delay, no start limit, no minimum uptime) for a long while on a fresh
 * daemon. TARGETS asks for its RSS to stay under the bar and flat over 10 minutes: RSS is read
 * from /proc at a fixed interval, the first sample before anything starts, and the trend is the
 * least-squares slope over the second half, after the heap has had time to reach its size.
 *
 * Nothing here depends on the daemon answering: each run appends one byte to its loop's count
 * file (so runs are counted by the children, not by DescribeProcess), RSS comes from /proc, and
 * every sample also times a GetStatus with a short deadline — a daemon too busy restarting to
 * answer is a finding, reported as such, not a hung benchmark.
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { ProcessSpecInput, StatevisorClient } from '../src/client/index.js';
import { delay } from './concurrency.js';
import { memoryOf } from './memory.js';
import { slopePerMinute } from './stats.js';

export interface SoakSample {
  /** Seconds since the loops were started. */
  readonly atS: number;
  readonly rssMb: number;
  /** GetStatus latency, or undefined when it failed (deadline or error). */
  readonly statusMs: number | undefined;
}

export interface SoakResult {
  readonly samples: SoakSample[];
  /** Runs of all the loops together, as counted by the children themselves. */
  readonly runs: number;
  readonly seconds: number;
  /** VmHWM at the end: the peak over the daemon's whole life, between samples too. */
  readonly vmHwmMb: number;
  /** StartProcess and StopProcess calls that failed (the first error of each kind is kept). */
  readonly startFailures: number;
  readonly stopFailures: number;
  readonly firstError: string | undefined;
}

export interface SoakFigures {
  readonly startMb: number;
  readonly endMb: number;
  readonly peakMb: number;
  /** MB per minute, least squares over the samples of the second half. */
  readonly slopeSecondHalfMbPerMin: number;
  readonly slopeAllMbPerMin: number;
}

/** About 40 samples over the soak, at most one every 5 s and at least one every second. */
export function sampleInterval(seconds: number): number {
  return Math.min(5_000, Math.max(1_000, Math.round((seconds * 1000) / 40)));
}

/** Exits 1 at once after appending one byte to its count file; sh's $0 carries the marker. */
export function soakSpec(name: string, markerArg: string, countFile: string): ProcessSpecInput {
  return {
    name,
    command: 'sh',
    args: ['-c', 'printf x >> "$1"; exit 1', markerArg, countFile],
    restart: { policy: 'always', delayMs: 0, startLimitBurst: 0, minUptimeMs: 0 },
    logs: { stdout: 'null', stderr: 'null' },
    stop: { gracePeriodMs: 1000 },
  };
}

function sizeOf(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

export async function crashLoopSoak(
  client: StatevisorClient,
  daemonPid: number,
  markerArg: string,
  dir: string,
  {
    seconds,
    processes,
    sampleEveryMs = sampleInterval(seconds),
    onSample = (_sample: SoakSample) => {},
  }: { seconds: number; processes: number; sampleEveryMs?: number; onSample?: (sample: SoakSample) => void },
): Promise<SoakResult> {
  const names = Array.from({ length: processes }, (_, i) => `soak-loop-${i}`);
  const countFiles = names.map((name) => path.join(dir, `${name}.runs`));
  // Created while the daemon is idle; started together, so that no create waits behind the loops.
  for (const [i, name] of names.entries()) await client.createProcess(soakSpec(name, markerArg, countFiles[i]!));
  const samples: SoakSample[] = [{ atS: 0, rssMb: memoryOf(daemonPid).rssMb, statusMs: undefined }];
  let firstError: string | undefined;
  const failed = (error: unknown): number => {
    firstError ??= (error as Error).message;
    return 1;
  };
  const callDeadlineMs = Math.min(sampleEveryMs, 2_000);
  const t0 = Date.now();
  const starts = await Promise.all(names.map((name) => client.startProcess(name, { deadlineMs: 10_000 }).then(() => 0, failed)));
  for (let next = sampleEveryMs; next <= seconds * 1000; next += sampleEveryMs) {
    await delay(Math.max(0, t0 + next - Date.now()));
    const atS = (Date.now() - t0) / 1000;
    const rssMb = memoryOf(daemonPid).rssMb;
    const c0 = performance.now();
    const statusMs = await client.getStatus({ deadlineMs: callDeadlineMs }).then(
      () => performance.now() - c0,
      () => undefined,
    );
    const sample = { atS, rssMb, statusMs };
    samples.push(sample);
    onSample(sample);
  }
  const stops = await Promise.all(
    names.map((name) => client.stopProcess(name, { gracePeriodMs: 1000, deadlineMs: 30_000 }).then(() => 0, failed)),
  );
  const elapsedS = (Date.now() - t0) / 1000;
  const vmHwmMb = memoryOf(daemonPid).peakMb;
  const stopFailures = stops.reduce((a, b) => a + b, 0);
  // A daemon that could not stop its loops cannot delete them either; its stage kills it.
  if (stopFailures === 0) for (const name of names) await client.deleteProcess(name);
  return {
    samples,
    runs: countFiles.reduce((sum, file) => sum + sizeOf(file), 0),
    seconds: elapsedS,
    vmHwmMb,
    startFailures: starts.reduce((a, b) => a + b, 0),
    stopFailures,
    firstError,
  };
}

export function soakFigures(samples: readonly SoakSample[]): SoakFigures {
  const last = samples.at(-1)!;
  const half = samples.filter((s) => s.atS >= last.atS / 2);
  const rss = samples.map((s) => s.rssMb);
  return {
    startMb: samples[0]!.rssMb,
    endMb: last.rssMb,
    peakMb: Math.max(...rss),
    slopeSecondHalfMbPerMin: slopePerMinute(
      half.map((s) => s.atS),
      half.map((s) => s.rssMb),
    ),
    slopeAllMbPerMin: slopePerMinute(
      samples.map((s) => s.atS),
      rss,
    ),
  };
}
