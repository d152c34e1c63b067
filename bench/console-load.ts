/**
 * What open consoles cost the daemon: processes crash-looping (restarted with no delay, as fast as
 * the daemon's restart rate lets them), watched in turns by no console and by `consoles` open
 * consoles: `rounds` windows with consoles, each between two without. Each window gets the
 * daemon's event-loop lag (daemon-process.ts's own monitor, reset per window) and its CPU time
 * from /proc; a round's console share is its window's CPU less the mean of the two windows beside
 * it, so that a trend in the crash loops (or in what else the machine runs) weighs on neither
 * side. The figures are the rounds' medians.
 *
 * A console here is what a browser's page holds open: the table's feed (GET /api/feed) or a
 * process page's feed (GET /api/processes/NAME/feed, one crash-looping process each: detail, lit
 * chart, log tail), read as fast as it comes. The browser's own work (drawing) is not the
 * daemon's, and is not measured.
 */
import { performance } from 'node:perf_hooks';
import type { StatevisorClient } from '../src/client/index.js';
import { delay, forEachConcurrently } from './concurrency.js';
import { crashSpec } from './crash-load.js';
import type { EntryProcess } from './entry-process.js';
import { cpuMsOf, memoryOf } from './memory.js';

export interface ConsoleWindow {
  readonly seconds: number;
  readonly lagP50Ms: number;
  readonly lagP99Ms: number;
  readonly lagMaxMs: number;
  /** Daemon CPU, % of one core. */
  readonly cpuPercent: number;
  readonly restarts: number;
  readonly rssMb: number;
}

export interface ConsoleLoadResult {
  /** The windows without consoles (rounds + 1) and with (rounds), in turn. */
  readonly unwatched: readonly ConsoleWindow[];
  readonly watched: readonly ConsoleWindow[];
  /** Each round's share of a core: its window's CPU less the mean of the windows beside it. */
  readonly consoleCpuPercents: readonly number[];
  /** What the consoles received in the watched windows, all of them together, per second. */
  readonly consoleEventsPerS: number;
  readonly consoleBytesPerS: number;
  readonly consoleErrors: number;
}

export type ConsolePage = 'table' | 'process';

interface OpenConsole {
  events: number;
  bytes: number;
  error: string | undefined;
  readonly opened: Promise<void>;
  close(): void;
}

function openConsole(url: string): OpenConsole {
  const abort = new AbortController();
  let markOpened: () => void = () => {};
  const open: OpenConsole = {
    events: 0,
    bytes: 0,
    error: undefined,
    opened: new Promise<void>((resolve) => (markOpened = resolve)),
    close: () => abort.abort(),
  };
  void (async () => {
    try {
      const response = await fetch(url, { signal: abort.signal });
      if (!response.ok || response.body === null) throw new Error(`HTTP ${response.status}`);
      const decoder = new TextDecoder();
      for await (const chunk of response.body) {
        open.bytes += chunk.length;
        // Events end with a blank line; comments (heartbeats) are not events.
        const text = decoder.decode(chunk, { stream: true });
        const events = text.split('\n\n').length - 1 - (text.match(/(^|\n): ping\n\n/g)?.length ?? 0);
        open.events += Math.max(0, events);
        if (open.events > 0) markOpened();
      }
    } catch (error) {
      if (!abort.signal.aborted) open.error = (error as Error).message;
    } finally {
      markOpened();
    }
  })();
  return open;
}

async function restartsOf(client: StatevisorClient, prefix: string): Promise<number> {
  const list = await client.listProcesses({ deadlineMs: 30_000 });
  return list.filter((p) => p.name.startsWith(prefix)).reduce((sum, p) => sum + p.restartCount, 0);
}

async function measure(client: StatevisorClient, daemon: EntryProcess, seconds: number): Promise<ConsoleWindow> {
  const restarts0 = await restartsOf(client, 'crash-');
  await daemon.request({ cmd: 'lag-reset' });
  const cpu0 = cpuMsOf(daemon.pid);
  const t0 = performance.now();
  await delay(seconds * 1000);
  const cpuMs = cpuMsOf(daemon.pid) - cpu0;
  const elapsed = (performance.now() - t0) / 1000;
  const lag = await daemon.request({ cmd: 'lag' });
  return {
    seconds: elapsed,
    lagP50Ms: Number(lag['p50_ms']),
    lagP99Ms: Number(lag['p99_ms']),
    lagMaxMs: Number(lag['max_ms']),
    cpuPercent: cpuMs / 10 / elapsed,
    restarts: (await restartsOf(client, 'crash-')) - restarts0,
    rssMb: memoryOf(daemon.pid).rssMb,
  };
}

export async function consoleLoad(
  client: StatevisorClient,
  daemon: EntryProcess,
  httpBase: string,
  options: { processes: number; consoles: number; seconds: number; rounds: number; page: ConsolePage; arg: string },
): Promise<ConsoleLoadResult> {
  const crashers = Array.from({ length: options.processes }, (_, i) => `crash-${i}`);
  // Each run prints a line to its captured stdout: a process page's log tail has something to follow.
  const spec = (name: string) => ({ ...crashSpec(name, options.arg), args: ['-c', 'echo "run $$ crashing"; exit 3', options.arg], logs: undefined });
  await forEachConcurrently(crashers, 20, async (name) => void (await client.createProcess(spec(name), { start: true })));
  await delay(2_000);
  const urls = Array.from({ length: options.consoles }, (_, i) =>
    options.page === 'table' ? `${httpBase}/api/feed` : `${httpBase}/api/processes/${crashers[i % crashers.length]}/feed`,
  );
  const unwatched: ConsoleWindow[] = [];
  const watched: ConsoleWindow[] = [];
  let [events, bytes, errors] = [0, 0, 0];
  try {
    unwatched.push(await measure(client, daemon, options.seconds));
    for (let round = 0; round < options.rounds; round += 1) {
      const consoles = urls.map(openConsole);
      try {
        await Promise.all(consoles.map((c) => c.opened));
        const [events0, bytes0] = [sum(consoles, 'events'), sum(consoles, 'bytes')];
        watched.push(await measure(client, daemon, options.seconds));
        events += sum(consoles, 'events') - events0;
        bytes += sum(consoles, 'bytes') - bytes0;
      } finally {
        for (const c of consoles) c.close();
      }
      errors += consoles.filter((c) => c.error !== undefined).length;
      await delay(1_000);
      unwatched.push(await measure(client, daemon, options.seconds));
    }
  } finally {
    await forEachConcurrently(crashers, 20, async (name) => void (await client.deleteProcess(name, { force: true, deadlineMs: 60_000 })));
  }
  const watchedSeconds = watched.reduce((total, w) => total + w.seconds, 0);
  return {
    unwatched,
    watched,
    consoleCpuPercents: watched.map((w, i) => w.cpuPercent - (unwatched[i]!.cpuPercent + unwatched[i + 1]!.cpuPercent) / 2),
    consoleEventsPerS: events / watchedSeconds,
    consoleBytesPerS: bytes / watchedSeconds,
    consoleErrors: errors,
  };
}

function sum(consoles: readonly OpenConsole[], field: 'events' | 'bytes'): number {
  return consoles.reduce((total, c) => total + c[field], 0);
}
