/**
 * Starting and stopping N sleeps through the daemon's API, the way a user would: CreateProcess
 * with start, a bounded number of calls in flight (the client is safe for concurrent use), then
 * ListProcesses until every one is RUNNING; StopProcess for each (it resolves once the process
 * is stopped), then one ListProcesses to confirm every one is STOPPED.
 */
import { performance } from 'node:perf_hooks';
import type { ProcessSpecInput, StatevisorClient } from '../src/client/index.js';
import { forEachConcurrently, pollUntil } from './concurrency.js';
import { fleetTimeoutMs } from './baseline.js';

export function sleepSpec(name: string, markerArg: string): ProcessSpecInput {
  return {
    name,
    command: 'sleep',
    args: [markerArg],
    restart: { policy: 'always', delayMs: 0, startLimitBurst: 0, minUptimeMs: 0 },
    logs: { stdout: 'null', stderr: 'null' },
    stop: { gracePeriodMs: 5000 },
  };
}

function countByState(processes: readonly { state: string }[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const p of processes) counts[p.state] = (counts[p.state] ?? 0) + 1;
  return counts;
}

export interface FleetStart {
  /** From the first CreateProcess until a ListProcesses saw all RUNNING. */
  readonly ms: number;
  /** From the first CreateProcess until the last one answered. */
  readonly createsMs: number;
  /** ListProcesses calls made while waiting. */
  readonly polls: number;
}

export async function startApiFleet(
  client: StatevisorClient,
  names: readonly string[],
  markerArg: string,
  concurrency: number,
  /** What each process runs: a marked sleep by default (the workers stage gives worker threads). */
  specOf: (name: string) => ProcessSpecInput = (name) => sleepSpec(name, markerArg),
): Promise<FleetStart> {
  const wanted = new Set(names);
  const t0 = performance.now();
  await forEachConcurrently(names, concurrency, async (name) => {
    await client.createProcess(specOf(name), { start: true });
  });
  const createsMs = performance.now() - t0;
  let last: Record<string, number> = {};
  const polls = await pollUntil(
    `all ${names.length} processes are RUNNING`,
    async () => {
      // A poll may wait for a daemon busy spawning thousands: the fleet's deadline, not the client's 10 s.
      const mine = (await client.listProcesses({ deadlineMs: fleetTimeoutMs(names.length) })).filter((p) => wanted.has(p.name));
      last = countByState(mine);
      return mine.length === names.length && mine.every((p) => p.state === 'RUNNING');
    },
    { timeoutMs: fleetTimeoutMs(names.length), intervalMs: 5 },
  ).catch((error: unknown) => {
    throw new Error(`${(error as Error).message}; last counts ${JSON.stringify(last)}`);
  });
  return { ms: performance.now() - t0, createsMs, polls };
}

export interface FleetStop {
  /** From the first StopProcess until a ListProcesses confirmed all STOPPED. */
  readonly ms: number;
  /** From the first StopProcess until the last one answered. */
  readonly callsMs: number;
  /** The slowest single StopProcess call. */
  readonly slowestCallMs: number;
}

export async function stopApiFleet(client: StatevisorClient, names: readonly string[], concurrency: number): Promise<FleetStop> {
  const wanted = new Set(names);
  let slowestCallMs = 0;
  const t0 = performance.now();
  await forEachConcurrently(names, concurrency, async (name) => {
    const c0 = performance.now();
    await client.stopProcess(name, { deadlineMs: fleetTimeoutMs(names.length) });
    slowestCallMs = Math.max(slowestCallMs, performance.now() - c0);
  });
  const callsMs = performance.now() - t0;
  const mine = (await client.listProcesses({ deadlineMs: fleetTimeoutMs(names.length) })).filter((p) => wanted.has(p.name));
  const ms = performance.now() - t0;
  if (!mine.every((p) => p.state === 'STOPPED')) {
    throw new Error(`StopProcess answered for all, but the states are ${JSON.stringify(countByState(mine))}`);
  }
  return { ms, callsMs, slowestCallMs };
}

export async function deleteAll(client: StatevisorClient, names: readonly string[], concurrency: number): Promise<void> {
  await forEachConcurrently(names, concurrency, async (name) => void (await client.deleteProcess(name, { force: true })));
}
