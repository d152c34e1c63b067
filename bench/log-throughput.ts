/**
 * Captured output, many writers at once: N processes each write a fixed number of bytes of
 * 64-byte lines as fast as they can (`yes <line> | head -c <bytes>`, which ends by itself), with
 * stdout captured and rotation on. Timed from the first StartProcess until WatchEvents has
 * reported every writer EXITED; the bytes are known in advance (head -c), so the rate is
 * bytes / time. During the run the daemon's responsiveness is measured two ways: its event-loop
 * lag (GetStatus, cumulative since the daemon started — hence a fresh daemon — and a window of
 * exactly the run from daemon-process.ts) and the latency of DescribeProcess calls made at a
 * steady pace throughout.
 *
 * Rotation keeps enough copies that nothing is dropped by the policy: whatever the writers wrote
 * and the files do not hold was lost, and is reported as such (the log pump loses nothing to
 * rotation; only a failed write would).
 *
 * The baseline is the same writers spawned by a bare Node process writing straight into files
 * (no pipe, no rotation): the kernel's own speed, which the pump's pipe-and-copy is measured against.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync, statSync, statfsSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { DaemonStatus, ProcessEvent, ProcessSpecInput, StatevisorClient } from '../src/client/index.js';
import { delay, pollUntil } from './concurrency.js';
import type { EntryProcess } from './entry-process.js';
import { cpuMsOf } from './memory.js';

const lineBytes = 64;
/** maxBytes is a writer's share divided by this: that many rotations per file if the checks keep up. */
const rotationsPerWriter = 8;

export interface WriterPlan {
  readonly writers: number;
  readonly bytesPerWriter: number;
  readonly totalBytes: number;
  readonly maxBytes: number;
  /** Enough copies to keep every rotation of a file: rotation only copies files of maxBytes or more. */
  readonly maxFiles: number;
  readonly command: string;
  readonly args: string[];
}

export function writerPlan(writers: number, totalBytes: number, markerArg: string): WriterPlan {
  // A negative count would turn `head -c` into "all but the last N bytes": a writer that never ends.
  if (!(Number.isSafeInteger(writers) && writers > 0 && Number.isSafeInteger(totalBytes) && totalBytes > 0)) {
    throw new Error(`writers and bytes must be positive whole numbers, got ${writers} and ${totalBytes}`);
  }
  const bytesPerWriter = Math.floor(totalBytes / writers / lineBytes) * lineBytes;
  if (bytesPerWriter === 0) throw new Error(`${totalBytes} bytes cannot be shared by ${writers} writers in ${lineBytes}-byte lines`);
  // `yes` repeats its argument with a newline: the marker is in yes's command line too.
  const line = `statevisor bench ${markerArg} captured output `.padEnd(lineBytes - 1, '.');
  return {
    writers,
    bytesPerWriter,
    totalBytes: bytesPerWriter * writers,
    maxBytes: Math.max(lineBytes, Math.floor(bytesPerWriter / rotationsPerWriter)),
    maxFiles: rotationsPerWriter,
    command: 'sh',
    // sh's $0 carries the marker.
    args: ['-c', 'yes "$1" | head -c "$2"', markerArg, line, String(bytesPerWriter)],
  };
}

export function writerSpec(name: string, plan: WriterPlan): ProcessSpecInput {
  return {
    name,
    command: plan.command,
    args: plan.args,
    logs: { stdout: 'capture', stderr: 'null', maxBytes: plan.maxBytes, maxFiles: plan.maxFiles },
    // min_uptime 0: a writer that is done in a fraction of a second has succeeded (EXITED),
    // whereas the default 1 s would call its clean exit a failed start (FAILED).
    restart: { policy: 'no', minUptimeMs: 0 },
  };
}

/**
 * Refuses to start unless the disk holding `dir` has room for the output twice over (the daemon's
 * files are removed before the baseline writes, but a rotation copy briefly doubles a file).
 */
export function checkDiskRoom(dir: string, bytes: number): void {
  const { bavail, bsize } = statfsSync(dir);
  const free = bavail * bsize;
  if (free < 2 * bytes + 1024 ** 3) {
    throw new Error(`${dir} has ${(free / 1024 ** 3).toFixed(1)} GiB free: too little for ${(bytes / 1024 ** 3).toFixed(1)} GiB of output twice plus 1 GiB`);
  }
}

/** Forgets dirty pages of earlier work, so that one run's writeback does not slow the next. */
export function syncDisks(): void {
  execFileSync('sync');
}

/** A file and its rotated copies `<file>.1` … `<file>.<maxFiles>`. */
export function keptFiles(file: string, maxFiles: number): string[] {
  return [file, ...Array.from({ length: maxFiles }, (_, i) => `${file}.${i + 1}`)].filter((f) => existsSync(f));
}

function sizeOf(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

export function bytesIn(files: readonly string[]): number {
  return files.reduce((sum, file) => sum + sizeOf(file), 0);
}

export interface LagWindow {
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly samples: number;
  /** Share of the window the daemon's event loop was busy, % (its worker threads not included). */
  readonly loopBusyPercent: number;
}

/** daemon-process.ts's answer to {"cmd":"lag"}. */
export function lagWindowOf(lag: Record<string, unknown>): LagWindow {
  return {
    p50Ms: Number(lag['p50_ms']),
    p99Ms: Number(lag['p99_ms']),
    maxMs: Number(lag['max_ms']),
    samples: Number(lag['samples']),
    loopBusyPercent: Number(lag['utilization']) * 100,
  };
}

export interface DaemonWriters {
  /** First StartProcess until WatchEvents reported the last writer ended. */
  readonly ms: number;
  /** Final state of each writer as WatchEvents reported it. */
  readonly states: Record<string, string>;
  /** DescribeProcess latencies before the run (idle daemon) and during it. */
  readonly describeIdleMs: number[];
  readonly describeDuringMs: number[];
  readonly statusBefore: DaemonStatus;
  /** Right after the last writer ended. */
  readonly statusAfter: DaemonStatus;
  /** Once rotation caught up with what the writers left (every live file under maxBytes). */
  readonly statusSettled: DaemonStatus;
  /** CPU time the daemon spent during the run, ms (10 ms ticks). */
  readonly cpuMs: number;
  /** Event-loop lag over exactly the run, from daemon-process's own monitor. */
  readonly lagWindow: LagWindow;
  /** Bytes in the log files and their rotated copies once rotation caught up. */
  readonly bytesKept: number;
  /** The largest rotated copy: how far past maxBytes a file grew between two checks. */
  readonly largestCopyBytes: number;
  readonly copies: number;
}

function stateOf(event: ProcessEvent): string | undefined {
  return event.type === 'transition' ? event.to : event.process?.state;
}

const terminal = new Set(['EXITED', 'FAILED', 'STOPPED']);

export async function daemonWriters(
  client: StatevisorClient,
  daemon: EntryProcess,
  logsDir: string,
  plan: WriterPlan,
  { describeIntervalMs = 5, idleDescribes = 200 } = {},
): Promise<DaemonWriters> {
  const names = Array.from({ length: plan.writers }, (_, i) => `writer-${i}`);
  for (const name of names) await client.createProcess(writerSpec(name, plan));
  const describeIdleMs: number[] = [];
  for (let i = 0; i < idleDescribes; i++) {
    const t = performance.now();
    await client.describeProcess(names[i % names.length]!);
    describeIdleMs.push(performance.now() - t);
  }

  // Watching before anything starts: the snapshot (every writer CREATED) proves the watch is live.
  // The watch is also the run's deadline: a writer that never ends aborts it rather than hang.
  const watch = new AbortController();
  const deadlineMs = Math.max(120_000, plan.totalBytes / 1000);
  const deadline = setTimeout(() => watch.abort(new Error(`writers still running after ${deadlineMs} ms`)), deadlineMs);
  const events = client.watchEvents('', { signal: watch.signal })[Symbol.asyncIterator]();
  const snapshotted = new Set<string>();
  const wanted = new Set(names);
  const states: Record<string, string> = {};
  let ended = 0;
  let running = true;
  let samplerError: unknown;
  const describeDuringMs: number[] = [];
  let t0 = 0;
  let t1: number;
  let cpuMs: number;
  let lag: Record<string, unknown>;
  let statusBefore: DaemonStatus;
  let statusAfter: DaemonStatus;
  try {
    while (snapshotted.size < names.length) {
      const next = await events.next();
      if (next.done) throw new Error('WatchEvents ended before its snapshot');
      if (next.value.process) snapshotted.add(next.value.process.name);
    }
    const allEnded = (async () => {
      while (ended < names.length) {
        const next = await events.next();
        if (next.done) throw new Error(`WatchEvents ended with ${ended} of ${names.length} writers ended`);
        const name = next.value.process?.name;
        const state = stateOf(next.value);
        if (name === undefined || !wanted.has(name) || state === undefined || !terminal.has(state) || states[name] !== undefined) continue;
        states[name] = state;
        ended++;
      }
      return performance.now();
    })();
    // Awaited below; this only keeps an early failure elsewhere from leaving it unhandled.
    allEnded.catch(() => {});

    statusBefore = await client.getStatus();
    await daemon.request({ cmd: 'lag-reset' });
    const cpu0 = cpuMsOf(daemon.pid);
    t0 = performance.now();
    const sampler = (async () => {
      for (let i = 0; running; i++) {
        const t = performance.now();
        await client.describeProcess(names[i % names.length]!);
        describeDuringMs.push(performance.now() - t);
        await delay(describeIntervalMs);
      }
    })().catch((error: unknown) => {
      samplerError = error;
    });
    try {
      await Promise.all(names.map((name) => client.startProcess(name)));
      t1 = await allEnded;
    } finally {
      running = false;
    }
    cpuMs = cpuMsOf(daemon.pid) - cpu0;
    lag = await daemon.request({ cmd: 'lag' });
    statusAfter = await client.getStatus();
    await sampler;
  } finally {
    clearTimeout(deadline);
    watch.abort();
  }
  if (samplerError !== undefined) throw new Error(`DescribeProcess failed during the run: ${(samplerError as Error).message}`);

  // A writer's exit is reported once its pipe was drained into its file, so the files are whole
  // by now; "settled" still checks it: every live file within maxBytes, and the daemon's rotation
  // count unchanged between two looks.
  const files = names.map((name) => path.join(logsDir, `${name}.stdout.log`));
  const copiesNow = (): string[] => files.flatMap((file) => keptFiles(file, plan.maxFiles)).filter((f) => !f.endsWith('.log'));
  let statusSettled = statusAfter;
  let lastRotations = -1;
  await pollUntil(
    "rotation caught up with every writer's file",
    async () => {
      if (!files.every((f) => sizeOf(f) <= plan.maxBytes)) return false;
      statusSettled = await client.getStatus();
      const settled = statusSettled.logRotations === lastRotations;
      lastRotations = statusSettled.logRotations;
      return settled;
    },
    { timeoutMs: 60_000, intervalMs: 100 },
  );
  const kept = files.flatMap((file) => keptFiles(file, plan.maxFiles));
  const copies = copiesNow();
  const result: DaemonWriters = {
    ms: t1 - t0,
    states,
    describeIdleMs,
    describeDuringMs,
    statusBefore,
    statusAfter,
    statusSettled,
    cpuMs,
    lagWindow: lagWindowOf(lag),
    bytesKept: bytesIn(kept),
    largestCopyBytes: Math.max(0, ...copies.map(sizeOf)),
    copies: copies.length,
  };
  for (const name of names) await client.deleteProcess(name);
  for (const file of kept) rmSync(file, { force: true });
  return result;
}
