/**
 * Daemons whose children live in real cgroup v1 groups: where a daemon keeps its subtree
 * (`statevisor-<hash of the state dir>` below the test process's own group in each hierarchy),
 * which group a pid is in, and a per-test daemon whose cleanup kills whatever still carries the
 * marker and removes the subtree, even when an assertion failed half-way.
 */
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, rmdirSync } from 'node:fs';
import path from 'node:path';
import type { ProcessEvent, StatevisorClient } from '../../src/client/index.js';
import { startTestDaemon, type DaemonHarness } from './daemon-harness.js';
import { killMarked, pidsWithMarker, procState, waitUntil } from './leaks.js';
import { collect } from './events.js';
export const cgroupMount = '/sys/fs/cgroup';
/** The v1 hierarchies a process with a limit gets a group in (cpuacct for usage accounting). */
export const hierarchies = ['memory', 'pids', 'cpu', 'cpuacct'] as const;
export type Hierarchy = (typeof hierarchies)[number];

export const living = (marker: string) => pidsWithMarker(marker).filter((pid) => procState(pid) !== 'Z');

/** `hierarchy → path` of a /proc/<pid>/cgroup (v1 lines only). */
export function cgroupPaths(pid: number | 'self'): Map<string, { field: string; path: string }> {
  const paths = new Map<string, { field: string; path: string }>();
  for (const line of readFileSync(`/proc/${pid}/cgroup`, 'utf8').split('\n')) {
    const match = /^\d+:([^:]+):(.*)$/.exec(line);
    if (match === null) continue;
    for (const name of match[1]!.split(',')) paths.set(name, { field: match[1]!, path: match[2]! });
  }
  return paths;
}

/** The directory of `pid`'s group in one hierarchy, e.g. /sys/fs/cgroup/memory/…/<id>. */
export function groupDirOf(pid: number, hierarchy: Hierarchy): string {
  const entry = cgroupPaths(pid).get(hierarchy);
  assert.ok(entry, `pid ${pid} has a ${hierarchy} line in /proc/${pid}/cgroup`);
  return path.join(cgroupMount, entry.field, entry.path);
}

/** `statevisor-<8 hex of sha256(stateDir)>`: the daemon's subtree name. */
export function subtreeName(stateDir: string): string {
  return `statevisor-${createHash('sha256').update(stateDir).digest('hex').slice(0, 8)}`;
}

/** Where the daemon (this test process) keeps its subtree in one hierarchy. */
export function subtreeDir(stateDir: string, hierarchy: Hierarchy): string {
  const own = cgroupPaths('self').get(hierarchy);
  assert.ok(own, `this process has a ${hierarchy} line in /proc/self/cgroup`);
  return path.join(cgroupMount, own.field, own.path, subtreeName(stateDir));
}

export function readControl(file: string): string {
  return readFileSync(file, 'utf8').trim();
}

/** Process group and session of a pid, from /proc/<pid>/stat. */
export function procIds(pid: number): { pgrp: number; session: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const [, , pgrp, session] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { pgrp: Number(pgrp), session: Number(session) };
  } catch {
    return undefined;
  }
}

/** Removes what is left of a daemon's subtree in every hierarchy, deepest first; retries EBUSY. */
export async function removeSubtrees(stateDir: string): Promise<void> {
  const tops = hierarchies.map((hierarchy) => subtreeDir(stateDir, hierarchy));
  const removeTree = (dir: string): void => {
    if (!existsSync(dir)) return;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) removeTree(path.join(dir, entry.name));
    }
    rmdirSync(dir);
  };
  let lastError: unknown;
  await waitUntil(
    'the cgroup subtree of the test is removed',
    () => {
      try {
        for (const top of tops) removeTree(top);
        return true;
      } catch (error) {
        lastError = error;
        return false;
      }
    },
    { timeoutMs: 5_000, intervalMs: 50 },
  ).catch((error: unknown) => {
    throw new Error(`${(error as Error).message}: ${String(lastError)}`);
  });
}

export interface Fixture {
  readonly h: DaemonHarness;
  readonly client: StatevisorClient;
  /** Stops the daemon (once) with the harness's leak checks. */
  close(): Promise<void>;
}

/**
 * A daemon for one test. Cleanup runs even after a failure: the harness's close (its leak
 * assertions), then a kill of anything still marked and removal of the cgroup subtree.
 */
export async function daemonFor(
  t: TestContext,
  options: Parameters<typeof startTestDaemon>[0] = {},
  beforeClose: () => void = () => {},
): Promise<Fixture> {
  const h = await startTestDaemon(options);
  let closing: Promise<void> | undefined;
  const close = () => (closing ??= h.close());
  t.after(async () => {
    try {
      beforeClose();
      await close();
    } finally {
      killMarked(h.marker);
      await waitUntil('no marked process is left', () => living(h.marker).length === 0, { timeoutMs: 5_000 });
      if (options.cgroupRoot === undefined) await removeSubtrees(h.stateDir);
    }
  });
  return { h, client: h.client, close };
}

/** Starts a watch of every process and resolves once the daemon has registered it. */
export async function watchAll(
  h: DaemonHarness,
  until: (events: ProcessEvent[]) => boolean,
): Promise<{ seen: Promise<ProcessEvent[]> }> {
  const before = h.daemon.supervision.events.watcherCount;
  const seen = collect((signal) => h.client.watchEvents(undefined, { signal }), until, { timeoutMs: 45_000 });
  // If the test fails before awaiting it, the stream's end must not become an unhandled rejection.
  seen.catch(() => undefined);
  await waitUntil('the watcher is subscribed', () => h.daemon.supervision.events.watcherCount === before + 1);
  // Wrapped: an async function returning the promise itself would wait for the whole watch.
  return { seen };
}

/** The wrapper that joins the cgroups before it execs the program (src/runtime/resources/join-wrapper.ts). */
export const isWrapper = (pid: number) => {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('echo $$ > ');
  } catch {
    return false;
  }
};

/**
 * The pid of a running process, once its program runs: RUNNING is reported when the spawn
 * succeeded, which for a limited process is the join wrapper, a moment before it has joined
 * its groups and exec'd the program (same pid).
 */
export async function runningPid(client: StatevisorClient, name: string): Promise<number> {
  let pid = 0;
  await waitUntil(`${name} runs`, async () => {
    const { process } = await client.describeProcess(name);
    pid = process.pid;
    return process.state === 'RUNNING' && pid > 0 && procState(pid) !== undefined && !isWrapper(pid);
  });
  return pid;
}
