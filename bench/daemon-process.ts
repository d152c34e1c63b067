/**
 * The daemon under test, in its own process: `node dist/bench/daemon-process.js <socket>
 * <stateDir> [usageIntervalMs|-] [restartRate|-] [http]` (startDaemon's usage-sampling interval,
 * which the daemon's CLI does not take, '-' or absent for its default; its restart rate; and the
 * --http address, for the console). Silent logger; one ready line on stdout once
 * listening; stops every process and exits on SIGTERM, SIGINT, or when stdin closes (the
 * benchmark is gone).
 *
 * It also answers commands, one JSON line each on stdin, about a window of event-loop lag of
 * its own (the daemon's GetStatus figures are cumulative since it started, so they cannot tell a
 * few seconds of load from an idle minute). The monitor has the daemon's resolution (10 ms):
 *   {"cmd":"lag-reset"} → {"ok":true}                       start a new window
 *   {"cmd":"lag"}       → {"p50_ms":…,"p99_ms":…,"max_ms":…,"samples":…,"utilization":…}  since the last reset
 *                         (utilization: the share of the window the event loop was busy, 0–1 —
 *                         what the daemon's own thread spent, its worker threads not included)
 *   {"cmd":"memory"}    → process.memoryUsage(): where RSS goes (V8 heap, external, buffers)
 * and about its usage sampler (usage-monitor.ts), whose cost the API does not show:
 *   {"cmd":"usage"}     → {"cycles":…,"last_cycle_ms":…,"last_cycle_processes":…}
 *   {"cmd":"usage-off"}, {"cmd":"usage-on"} → the same, after stopping / restarting its timer
 */
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { startDaemon } from '../src/server/daemon.js';
import { silentLogger } from '../src/manager/logger.js';

const [socket, stateDir, interval, rate, http] = process.argv.slice(2);
const usageIntervalMs = interval === undefined || interval === '-' ? undefined : Number(interval);
const restartRate = rate === undefined || rate === '-' ? undefined : Number(rate);
if (
  socket === undefined ||
  stateDir === undefined ||
  (usageIntervalMs !== undefined && !(usageIntervalMs > 0)) ||
  (restartRate !== undefined && !(restartRate >= 0))
) {
  process.stderr.write('usage: node dist/bench/daemon-process.js <socket> <stateDir> [usageIntervalMs|-] [restartRate|-] [http]\n');
  process.exit(2);
}

const daemon = await startDaemon({
  socket,
  stateDir,
  logger: silentLogger,
  ...(usageIntervalMs !== undefined && { usageIntervalMs }),
  ...(restartRate !== undefined && { restartRate }),
  ...(http !== undefined && { http }),
});

let stopping = false;
function stop(): void {
  if (stopping) return;
  stopping = true;
  daemon.stop().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`daemon-process: stop failed: ${String(error)}\n`);
      process.exit(1);
    },
  );
}
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
process.stdin.once('end', stop);
// EPIPE on the ready line or later: the benchmark is gone.
process.stdout.once('error', stop);

const lag = monitorEventLoopDelay({ resolution: 10 });
lag.enable();
let busy0 = performance.eventLoopUtilization();
const sampler = daemon.parts.usage;
function usageStats(): Record<string, unknown> {
  const { cycles, lastCycleMs, lastCycleProcesses } = sampler.stats;
  return { cycles, last_cycle_ms: lastCycleMs, last_cycle_processes: lastCycleProcesses };
}
function answer(command: Record<string, unknown>): Record<string, unknown> {
  switch (command['cmd']) {
    case 'lag-reset':
      lag.reset();
      busy0 = performance.eventLoopUtilization();
      return { ok: true };
    case 'lag':
      return {
        p50_ms: lag.percentile(50) / 1e6,
        p99_ms: lag.percentile(99) / 1e6,
        max_ms: lag.max / 1e6,
        samples: lag.count,
        utilization: performance.eventLoopUtilization(busy0).utilization,
      };
    case 'memory':
      return { ...process.memoryUsage() };
    case 'usage':
      return usageStats();
    case 'usage-off':
      sampler.stop();
      return usageStats();
    case 'usage-on':
      sampler.start();
      return usageStats();
    default:
      return { error: `unknown command ${JSON.stringify(command['cmd'])}` };
  }
}
createInterface({ input: process.stdin }).on('line', (line) => {
  let reply: Record<string, unknown>;
  try {
    reply = answer(JSON.parse(line) as Record<string, unknown>);
  } catch (error) {
    reply = { error: (error as Error).message };
  }
  process.stdout.write(`${JSON.stringify(reply)}\n`);
});

process.stdout.write(`${JSON.stringify({ ready: true, pid: process.pid })}\n`);
