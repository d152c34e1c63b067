/**
 * Crash loops against the API: many processes crash-looping with restart always and no delay,
 * while many clients call List, Describe, GetStatus and Start/Stop as fast as they get answers.
 * A supervisor must keep answering: restart work may never starve the API (TARGETS.md: 0 failed
 * calls, p99 ≤ 50 ms, and RSS back within 10 % of its pre-load value within a minute of the
 * storm's end).
 *
 * Every call has a deadline (10 s); one that misses it is a failure, as is any error. RSS is read
 * from /proc before the loops start, at the storm's end, and then every second until it is back
 * within 10 % or a minute has passed. The runs are counted by the daemon's own restart counters.
 */
import { performance } from 'node:perf_hooks';
import type { ProcessSpecInput, StatevisorClient } from '../src/client/index.js';
import { delay, forEachConcurrently } from './concurrency.js';
import type { EntryProcess } from './entry-process.js';
import { cpuMsOf, memoryOf } from './memory.js';
import { percentile } from './stats.js';

export interface CrashLoadOptions {
  readonly processes: number;
  readonly clients: number;
  readonly seconds: number;
  /** The marker argument every child carries. */
  readonly arg: string;
  /** How long to wait for RSS to come back after the storm (default 60 s; npm run stress --short waits less). */
  readonly rssWaitS?: number;
}

export interface CrashLoadResult {
  readonly calls: number;
  readonly failures: number;
  readonly firstError: string | undefined;
  readonly latencyP50Ms: number;
  readonly latencyP99Ms: number;
  readonly latencyMaxMs: number;
  /** p99 of each RPC alone: a stop waits for its process to be gone, the others answer at once. */
  readonly p99ByRpcMs: Record<string, number>;
  /** Restarts of the crash loops during the storm (the daemon's restart counters). */
  readonly restarts: number;
  readonly lagP50Ms: number;
  readonly lagP99Ms: number;
  readonly daemonCpuPercent: number;
  /** This process's CPU meanwhile: the 50 clients are in it, and can be what limits the figures. */
  readonly clientCpuPercent: number;
  readonly rssBeforeMb: number;
  readonly rssEndMb: number;
  readonly rssAfterMb: number;
  /** Seconds after the storm until RSS was within 10 % of before; undefined if it never was. */
  readonly rssRecoveredS: number | undefined;
  readonly restartRateLimit: number;
  readonly restartsDelayed: number;
}

const callDeadlineMs = 10_000;

/** A process that exits 3 at once and is restarted with no delay (the daemon's restart rate paces it). */
export function crashSpec(name: string, arg: string): ProcessSpecInput {
  return {
    name,
    command: 'sh',
    args: ['-c', 'exit 3', arg],
    logs: { stdout: 'null', stderr: 'null' },
    restart: { policy: 'always', delayMs: 0, maxDelayMs: 0, minUptimeMs: 0, startLimitBurst: 1_000_000 },
  };
}

function sleepSpec(name: string, arg: string): ProcessSpecInput {
  return { name, command: 'sleep', args: [arg], logs: { stdout: 'null', stderr: 'null' }, stop: { gracePeriodMs: 2_000 } };
}

async function restartsOf(client: StatevisorClient, prefix: string): Promise<number> {
  const list = await client.listProcesses({ deadlineMs: 30_000 });
  return list.filter((p) => p.name.startsWith(prefix)).reduce((sum, p) => sum + p.restartCount, 0);
}

export async function crashLoad(client: StatevisorClient, daemon: EntryProcess, options: CrashLoadOptions): Promise<CrashLoadResult> {
  const crashers = Array.from({ length: options.processes }, (_, i) => `crash-${i}`);
  const services = Array.from({ length: options.clients }, (_, i) => `svc-${i}`);
  await forEachConcurrently(crashers, 20, async (name) => void (await client.createProcess(crashSpec(name, options.arg))));
  await forEachConcurrently(services, 20, async (name) => void (await client.createProcess(sleepSpec(name, options.arg), { start: true })));
  await delay(2_000);
  const rssBefore = memoryOf(daemon.pid).rssMb;

  await forEachConcurrently(crashers, 20, async (name) => void (await client.startProcess(name)));
  const restarts0 = await restartsOf(client, 'crash-');
  await daemon.request({ cmd: 'lag-reset' });
  const cpu0 = cpuMsOf(daemon.pid);
  const clientCpu0 = process.cpuUsage();
  const t0 = performance.now();
  const end = t0 + options.seconds * 1000;
  const latencies: number[] = [];
  const byRpc = new Map<string, number[]>();
  let failures = 0;
  let firstError: string | undefined;

  const call = async (what: string, fn: () => Promise<unknown>): Promise<void> => {
    const started = performance.now();
    try {
      await fn();
      const ms = performance.now() - started;
      latencies.push(ms);
      byRpc.set(what, [...(byRpc.get(what) ?? []), ms]);
    } catch (error) {
      failures += 1;
      firstError ??= `${what}: ${(error as Error).message}`;
    }
  };
  const deadline = { deadlineMs: callDeadlineMs };
  await Promise.all(
    services.map(async (service, index) => {
      let running = true;
      for (let i = 0; performance.now() < end; i += 1) {
        switch ((index + i) % 4) {
          case 0:
            await call('ListProcesses', () => client.listProcesses(deadline));
            break;
          case 1:
            await call('DescribeProcess', () => client.describeProcess(crashers[(index * 7 + i) % crashers.length]!, deadline));
            break;
          case 2:
            await call('GetStatus', () => client.getStatus(deadline));
            break;
          default:
            await call(running ? 'StopProcess' : 'StartProcess', () =>
              running ? client.stopProcess(service, deadline) : client.startProcess(service, deadline),
            );
            running = !running;
        }
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  const cpuMs = cpuMsOf(daemon.pid) - cpu0;
  const clientCpu = process.cpuUsage(clientCpu0);
  const lag = await daemon.request({ cmd: 'lag' });
  const status = await client.getStatus({ deadlineMs: 30_000 });
  const restarts = (await restartsOf(client, 'crash-')) - restarts0;

  await forEachConcurrently(crashers, 20, async (name) => void (await client.stopProcess(name, { deadlineMs: 60_000 })));
  const rssEnd = memoryOf(daemon.pid).rssMb;
  let rssAfter = rssEnd;
  let rssRecoveredS: number | undefined;
  const stormEnd = performance.now();
  while (performance.now() - stormEnd < (options.rssWaitS ?? 60) * 1000) {
    rssAfter = memoryOf(daemon.pid).rssMb;
    if (rssAfter <= rssBefore * 1.1) {
      rssRecoveredS = (performance.now() - stormEnd) / 1000;
      break;
    }
    await delay(1_000);
  }
  await forEachConcurrently([...crashers, ...services], 20, async (name) => void (await client.deleteProcess(name, { force: true })));

  return {
    calls: latencies.length + failures,
    failures,
    firstError,
    latencyP50Ms: percentile(latencies, 50),
    latencyP99Ms: percentile(latencies, 99),
    latencyMaxMs: Math.max(0, ...latencies),
    p99ByRpcMs: Object.fromEntries([...byRpc].map(([rpc, samples]) => [rpc, percentile(samples, 99)])),
    restarts,
    lagP50Ms: Number(lag['p50_ms']),
    lagP99Ms: Number(lag['p99_ms']),
    daemonCpuPercent: cpuMs / 10 / seconds,
    clientCpuPercent: (clientCpu.user + clientCpu.system) / 1e4 / seconds,
    rssBeforeMb: rssBefore,
    rssEndMb: rssEnd,
    rssAfterMb: rssAfter,
    rssRecoveredS,
    restartRateLimit: status.restartRateLimit,
    restartsDelayed: status.restartsDelayed,
  };
}
