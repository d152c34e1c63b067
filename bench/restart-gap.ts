/**
 * Crash-to-restart gap with zero restart delay, measured by the child itself rather than by
 * polling: each run of `sh -c '…; exit 1'` appends a nanosecond timestamp as it starts and
 * another just before it exits. The gap is the next run's start stamp minus this run's end
 * stamp — the supervisor's reap, decision and respawn, plus the same shell and `date` overhead
 * that the baseline pays too. The baseline is a bare respawn-on-'exit' loop in baseline-process.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ProcessSpecInput, StatevisorClient } from '../src/client/index.js';
import type { Baseline } from './baseline.js';
import { pollUntil } from './concurrency.js';

const stampScript = 'date +%s%N >> "$1"; date +%s%N >> "$1"; exit 1';

/** sh's $0 carries the marker, $1 is the stamp file. */
function crashArgs(markerArg: string, stampFile: string): string[] {
  return ['-c', stampScript, markerArg, stampFile];
}

export interface RestartGaps {
  /** Exit of run i to start of run i+1, ms. */
  readonly gapsMs: number[];
  /** Start to end stamp within one run, ms: the child's own runtime, left out of the gaps. */
  readonly runtimesMs: number[];
}

export function completeLines(file: string): string[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  // The last element is '' or a line still being written.
  return text.split('\n').slice(0, -1);
}

export function gapsFrom(file: string, restarts: number): RestartGaps {
  const stamps = completeLines(file).map((line) => BigInt(line.trim()));
  const ms = (from: bigint, to: bigint): number => Number(to - from) / 1e6;
  const gapsMs: number[] = [];
  const runtimesMs: number[] = [];
  for (let run = 0; run < restarts; run++) {
    const [start, end, nextStart] = [stamps[2 * run], stamps[2 * run + 1], stamps[2 * run + 2]];
    if (start === undefined || end === undefined || nextStart === undefined) break;
    runtimesMs.push(ms(start, end));
    gapsMs.push(ms(end, nextStart));
  }
  if (gapsMs.length < restarts) throw new Error(`${file}: only ${gapsMs.length} of ${restarts} restarts recorded`);
  return { gapsMs, runtimesMs };
}

/** `sh` exiting 1 at once, restarted with no delay and no start limit; stamped when stampFile is given. */
export function crashLoopSpec(name: string, markerArg: string, stampFile: string | undefined): ProcessSpecInput {
  return {
    name,
    command: 'sh',
    args: stampFile === undefined ? ['-c', 'exit 1', markerArg] : crashArgs(markerArg, stampFile),
    restart: { policy: 'always', delayMs: 0, startLimitBurst: 0, minUptimeMs: 0 },
    logs: { stdout: 'null', stderr: 'null' },
    stop: { gracePeriodMs: 5000 },
  };
}

export async function daemonRestartGaps(
  client: StatevisorClient,
  dir: string,
  markerArg: string,
  restarts: number,
): Promise<RestartGaps & { restartCount: number }> {
  const stampFile = path.join(dir, 'statevisor.stamps');
  const name = 'crash-loop';
  await client.createProcess(crashLoopSpec(name, markerArg, stampFile), { start: true });
  try {
    await pollUntil(`${restarts} restarts of ${name}`, () => completeLines(stampFile).length >= 2 * (restarts + 1), {
      timeoutMs: 120_000,
      intervalMs: 20,
    });
  } finally {
    await client.stopProcess(name, { gracePeriodMs: 1000 });
  }
  const { process: described } = await client.describeProcess(name);
  await client.deleteProcess(name);
  return { ...gapsFrom(stampFile, restarts), restartCount: described.restartCount };
}

export async function bareRestartGaps(baseline: Baseline, dir: string, markerArg: string, restarts: number): Promise<RestartGaps> {
  const stampFile = path.join(dir, 'baseline.stamps');
  await baseline.respawnLoop('sh', crashArgs(markerArg, stampFile), restarts + 1);
  return gapsFrom(stampFile, restarts);
}
