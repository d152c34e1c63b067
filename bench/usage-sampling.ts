/**
 * What usage sampling costs the daemon (usage-monitor.ts: one pass over /proc for every running
 * process per cycle, on a timer). With a fleet running, one daemon is watched for two windows of
 * the same length: its sampler running, then stopped (the control, same fleet, same heap). Each
 * window gets the event-loop lag over exactly that window (daemon-process.ts's own monitor;
 * GetStatus's counts from the daemon's start, the fleet's start included) and the daemon's CPU
 * time from /proc. Sampling comes first so that anything the fleet's start left behind weighs on
 * it, not on the control: if anything, the cost is overstated.
 *
 * A cycle's wall time is the monitor's own figure (its stats, polled from daemon-process.ts a
 * few times per interval, so that each cycle is seen; the control is polled alike). It includes
 * waiting for libuv's threads, so it says how fresh `ls` is, not how long the loop was blocked:
 * the lag says that. A cycle's CPU is the sampling window's CPU minus the control's, scaled to
 * the same length, over the cycles the window held.
 */
import { performance } from 'node:perf_hooks';
import { delay } from './concurrency.js';
import type { EntryProcess } from './entry-process.js';
import { lagWindowOf, type LagWindow } from './log-throughput.js';
import { cpuMsOf } from './memory.js';

export interface UsageWindow {
  readonly ms: number;
  /** Daemon CPU time over the window, ms (10 ms ticks). */
  readonly cpuMs: number;
  readonly lag: LagWindow;
  /** Wall time of each cycle that ended in the window, as the monitor measured it. */
  readonly cyclesMs: number[];
  /** Cycles that ended in the window: more than cyclesMs holds if polling missed some. */
  readonly cycles: number;
  /** Processes the window's last cycle sampled. */
  readonly cycleProcesses: number;
}

async function usageStats(daemon: EntryProcess, cmd = 'usage'): Promise<{ cycles: number; lastCycleMs: number; processes: number }> {
  const stats = await daemon.request({ cmd });
  return { cycles: Number(stats['cycles']), lastCycleMs: Number(stats['last_cycle_ms']), processes: Number(stats['last_cycle_processes']) };
}

async function watchWindow(daemon: EntryProcess, seconds: number, pollMs: number): Promise<UsageWindow> {
  let { cycles: seen } = await usageStats(daemon);
  const first = seen;
  const cyclesMs: number[] = [];
  let cycleProcesses = 0;
  await daemon.request({ cmd: 'lag-reset' });
  const cpu0 = cpuMsOf(daemon.pid);
  const t0 = performance.now();
  while (performance.now() - t0 < seconds * 1000) {
    await delay(pollMs);
    const stats = await usageStats(daemon);
    if (stats.cycles > seen) {
      cyclesMs.push(stats.lastCycleMs);
      cycleProcesses = stats.processes;
    }
    seen = stats.cycles;
  }
  const cpuMs = cpuMsOf(daemon.pid) - cpu0;
  const ms = performance.now() - t0;
  const lag = await daemon.request({ cmd: 'lag' });
  return {
    ms,
    cpuMs,
    lag: lagWindowOf(lag),
    cyclesMs,
    cycles: seen - first,
    cycleProcesses,
  };
}

export interface UsageWindows {
  readonly sampling: UsageWindow;
  readonly control: UsageWindow;
  /** Daemon CPU per cycle, ms: the sampling window's less the control's at the same length. */
  readonly cpuMsPerCycle: number;
  /** What sampling adds to the daemon's CPU, % of one core. */
  readonly cpuPercent: number;
}

/** Both windows, `seconds` each, on a daemon started with this `intervalMs` and sampling on. */
export async function usageWindows(daemon: EntryProcess, seconds: number, intervalMs: number, settleMs = 2000): Promise<UsageWindows> {
  const pollMs = Math.min(250, Math.max(20, intervalMs / 4));
  await delay(settleMs);
  const sampling = await watchWindow(daemon, seconds, pollMs);
  await usageStats(daemon, 'usage-off');
  // A cycle in flight when the timer stopped still ends: let it, before the control starts.
  await delay(Math.max(settleMs, 2 * Math.max(0, ...sampling.cyclesMs)));
  const control = await watchWindow(daemon, seconds, pollMs);
  const extraCpuMs = sampling.cpuMs - (control.cpuMs * sampling.ms) / control.ms;
  return {
    sampling,
    control,
    cpuMsPerCycle: sampling.cycles > 0 ? extraCpuMs / sampling.cycles : Number.NaN,
    cpuPercent: (extraCpuMs / sampling.ms) * 100,
  };
}
