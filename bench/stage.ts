/**
 * The run's lifecycle: its marker and temp dir, the helper processes it started, and the stages.
 * A stage is a fresh daemon (daemon-process.ts), a client of it and a fresh bare-loop baseline
 * (baseline-process.ts); when it ends, whatever still carries the marker is the daemon's
 * leftover. At the end — or on SIGINT/SIGTERM — every helper is stopped, whatever carries the
 * marker is killed and the temp dir removed.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createClient, type StatevisorClient } from '../src/client/index.js';
import { daemonNodeFlags } from '../src/node-flags.js';
import { baselineOf, type Baseline } from './baseline.js';
import { startEntry, type EntryProcess } from './entry-process.js';
import { killMarked, markerArg, newMarker, pidsWithMarker } from './marker.js';
import type { BenchOptions } from './options.js';
import { progress } from './report.js';

export interface Run {
  readonly options: BenchOptions;
  readonly marker: string;
  readonly arg: string;
  readonly root: string;
  readonly entries: Set<EntryProcess>;
  /** Marked processes found alive right after a daemon stopped: the daemon's leftovers. */
  readonly survivors: number[];
  /** Set on SIGINT/SIGTERM: nothing new starts, every stage unwinds. */
  interrupted: boolean;
}

export function newRun(options: BenchOptions): Run {
  const marker = newMarker();
  return {
    options,
    marker,
    arg: markerArg(marker),
    root: mkdtempSync(path.join(os.tmpdir(), 'statevisor-bench-')),
    entries: new Set(),
    survivors: [],
    interrupted: false,
  };
}

export interface Stage {
  readonly dir: string;
  readonly daemon: EntryProcess;
  readonly client: StatevisorClient;
  readonly baseline: Baseline;
}

export class Interrupted extends Error {}

export async function started(run: Run, name: string, args: readonly string[], nodeFlags: readonly string[] = []): Promise<EntryProcess> {
  if (run.interrupted) throw new Interrupted('interrupted');
  const entry = await startEntry(name, args, { nodeFlags });
  if (run.interrupted) {
    entry.child.kill('SIGKILL');
    throw new Interrupted('interrupted');
  }
  run.entries.add(entry);
  return entry;
}

async function stopped(run: Run, entry: EntryProcess, what: string): Promise<void> {
  const how = await entry.stop(60_000);
  run.entries.delete(entry);
  if (how !== 'exit code 0' && !run.interrupted) progress(`${what} ended with ${how}`);
}

/**
 * A fresh daemon, a client of it and a fresh baseline for `fn`; the daemon's leftovers checked
 * after. `daemonArgs` follow daemon-process.js's socket and state dir.
 */
export async function withStage<T>(
  run: Run,
  label: string,
  fn: (stage: Stage) => Promise<T>,
  daemonArgs: readonly string[] = [],
): Promise<T> {
  if (run.interrupted) throw new Interrupted('interrupted');
  const dir = path.join(run.root, label);
  mkdirSync(dir);
  const socket = path.join(dir, 'daemon.sock');
  const profDir = run.options.daemonCpuProfDir;
  const profile = profDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${profDir}`, `--cpu-prof-name=daemon-${label}.cpuprofile`];
  // With the flags `statevisor daemon` runs with (its executable's first line).
  const daemon = await started(run, 'daemon-process.js', [socket, path.join(dir, 'state'), ...daemonArgs], [...daemonNodeFlags, ...profile]);
  const client = createClient({ socket });
  let baseline: EntryProcess | undefined;
  try {
    baseline = await started(run, 'baseline-process.js', []);
    return await fn({ dir, daemon, client, baseline: baselineOf(baseline) });
  } finally {
    client.close();
    if (baseline) await stopped(run, baseline, `baseline (${label})`);
    await stopped(run, daemon, `daemon (${label})`);
    // After an interrupt the daemon was killed, not stopped: what it leaves is not its fault.
    const left = run.interrupted ? [] : pidsWithMarker(run.marker);
    if (left.length > 0) progress(`daemon (${label}) stopped but left ${left.length} marked processes: ${left.slice(0, 10).join(' ')}`);
    run.survivors.push(...left);
  }
}

/** Stops the helper processes, kills whatever still carries the marker, removes the temp dirs. */
export async function cleanUp(run: Run): Promise<number[]> {
  await Promise.all([...run.entries].map((entry) => entry.stop(10_000)));
  run.entries.clear();
  const killed = killMarked(run.marker);
  rmSync(run.root, { recursive: true, force: true });
  return killed;
}

/** On SIGINT/SIGTERM: kill the helpers (quick), sweep the marked, remove the temp dir, exit 130. */
export async function interrupt(run: Run, signal: NodeJS.Signals): Promise<never> {
  progress(`${signal}: cleaning up`);
  run.interrupted = true;
  // Killed first, so that no daemon restarts what is about to be killed. A child forked just
  // before its daemon died may exec a moment later: hence the second sweep.
  await Promise.all([...run.entries].map((entry) => entry.kill()));
  killMarked(run.marker);
  await new Promise((resolve) => setTimeout(resolve, 100));
  killMarked(run.marker);
  rmSync(run.root, { recursive: true, force: true });
  process.exit(130);
}
