/**
 * The benchmark's entry: `npm run bench` (or `node dist/bench/run.js --n 200`). Measures the
 * TARGETS.md performance rows against baselines taken in the same run and prints one JSON line
 * per figure on stdout (progress on stderr).
 *
 * Each stage (stage.ts) gets a fresh daemon and a fresh bare-loop baseline, each in its own Node
 * process, so that RSS, event loop and fork cost are each one's own and this process's heap
 * weighs on neither. The grpc-js echo server is a third process, shared by the stages.
 *
 * Stages, in order: fleet (per --n), restart-gap, log-throughput (captured output from many
 * writers: log-throughput.ts), usage (what sampling the largest --n costs: usage-sampling.ts),
 * crash-load (crash loops while clients call the API: crash-load.ts), console (crash loops while
 * consoles watch: console-load.ts), workers (worker threads beside OS processes: workers.ts) and, with --soak, soak (crash loops, daemon RSS: soak.ts);
 * --only picks some of them.
 */
import { mkdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { deleteAll, startApiFleet, stopApiFleet } from './api-fleet.js';
import { createEchoClient, writeEchoProto, type EchoClient } from './echo-service.js';
import { memoryOf } from './memory.js';
import { spawnerMemoryOf } from './spawner-memory.js';
import { limitHit, limitsOf, shortfalls } from './limits.js';
import { parseOptions, usage, type BenchOptions } from './options.js';
import { emit, progress } from './report.js';
import { bareRestartGaps, daemonRestartGaps } from './restart-gap.js';
import { listLatencies, unaryLatencies } from './rpc-latency.js';
import { bytesIn, checkDiskRoom, daemonWriters, syncDisks, writerPlan } from './log-throughput.js';
import { crashLoopSoak, sampleInterval, soakFigures } from './soak.js';
import { usageWindows } from './usage-sampling.js';
import { crashLoad } from './crash-load.js';
import { workerFigures, workerFleets, workerRestartGaps } from './workers.js';
import { consoleLoad, type ConsolePage } from './console-load.js';
import { cleanUp, interrupt, newRun, started, withStage, type Run } from './stage.js';
import { median, percentile, ratio } from './stats.js';

const targets = {
  startRatio: 1.5,
  stopMs: 500,
  restartGapRatio: 1.3,
  daemonRssMb: 80,
  idleRssMb: 50,
  describeP50Ratio: 1.2,
  describeP99Ratio: 1.5,
  listP50Ms: 5,
  logMbPerS: 200,
  logLagP99Ms: 20,
  /** The same event-loop bar, held while the daemon samples every process's usage. */
  usageLagP99Ms: 20,
  /** Crash loops against the API: every call answered, p99 within this, RSS back within 10 % in a minute. */
  crashLoadP99Ms: 50,
  crashRssRecoveryRatio: 1.1,
  /** Open consoles while processes crash-loop: the daemon's lag, and the consoles' share of a core. */
  consoleLagP99Ms: 20,
  consoleCpuPercent: 5,
  /** "Flat": what a 10-minute soak may add, 0.5 MB/min (5 MB over its second half), set here. */
  soakSlopeMbPerMin: 0.5,
} as const;

const warmupProcesses = 20;

const namesOf = (prefix: string, n: number): string[] => Array.from({ length: n }, (_, i) => `${prefix}-${i}`);

/** The limits a fleet of n meets, said before it starts (limits.ts); what stands in its way goes to stderr too. */
function reportLimits(n: number, daemonPid: number): void {
  const limits = limitsOf(daemonPid);
  const short = shortfalls(limits, n);
  emit({ bench: 'limits', n, ...limits, nofile_raised_to_hard: true, enough: short.length === 0, shortfalls: short.length > 0 ? short.join('; ') : undefined });
  for (const line of short) progress(`n=${n}: ${line}`);
}

/** A fleet error that names a limit (EMFILE, EAGAIN, …) says so, with the limits beside it. */
async function naming<T>(n: number, daemonPid: number, what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    const limit = limitHit(error);
    if (limit === undefined) throw error;
    const limits = limitsOf(daemonPid);
    throw new Error(
      `${what} of ${n} hit a limit (${limit}): ${(error as Error).message}; open files ${limits.nofile_soft}/${limits.nofile_hard}, ` +
        `pid_max ${limits.pid_max}, threads-max ${limits.threads_max}, processes on the machine ${limits.pids_in_use}`,
    );
  }
}

async function benchFleet(run: Run, n: number, echo: EchoClient, echoPid: number): Promise<void> {
  const { concurrency } = run.options;
  await withStage(run, `fleet-${n}`, async ({ daemon, client, baseline }) => {
    reportLimits(n, daemon.pid);
    const idle = memoryOf(daemon.pid);
    const baselineIdle = memoryOf(baseline.pid);

    // Warm both paths (JIT, the first spawn), then forget the warm-up processes.
    const warm = namesOf('warm', warmupProcesses);
    await startApiFleet(client, warm, run.arg, concurrency);
    await stopApiFleet(client, warm, concurrency);
    await deleteAll(client, warm, concurrency);
    await baseline.spawnFleet(warmupProcesses, run.arg);
    await baseline.killFleet();

    progress(`n=${n}: bare spawn loop`);
    const baselineStartMs = await naming(n, baseline.pid, 'the bare spawn loop', () => baseline.spawnFleet(n, run.arg));
    const baselineWithFleet = memoryOf(baseline.pid);
    const baselineStopMs = await baseline.killFleet();

    progress(`n=${n}: start through the API`);
    const names = namesOf('sleep', n);
    const start = await naming(n, daemon.pid, 'starting', () => startApiFleet(client, names, run.arg, concurrency));
    const withFleet = memoryOf(daemon.pid);
    const spawner = spawnerMemoryOf(daemon.pid);
    emit({
      bench: 'start',
      n,
      statevisor_ms: start.ms,
      baseline_ms: baselineStartMs,
      ratio: ratio(start.ms, baselineStartMs),
      statevisor_ms_per_process: start.ms / n,
      baseline_ms_per_process: baselineStartMs / n,
      target_ratio: targets.startRatio,
      meets_target: start.ms <= targets.startRatio * baselineStartMs,
      creates_ms: start.createsMs,
      list_polls: start.polls,
      concurrency,
    });

    progress(`n=${n}: RPC latency (${run.options.rpcSamples} Describe, Echo and Health calls)`);
    const unary = await unaryLatencies(client, echo, names, run.options.rpcSamples);
    const [d50, d99, e50, e99] = [percentile(unary.describe, 50), percentile(unary.describe, 99), percentile(unary.echo, 50), percentile(unary.echo, 99)];
    emit({
      bench: 'rpc_describe',
      n,
      samples: unary.describe.length,
      statevisor_p50_ms: d50,
      statevisor_p99_ms: d99,
      baseline_p50_ms: e50,
      baseline_p99_ms: e99,
      ratio_p50: ratio(d50, e50),
      ratio_p99: ratio(d99, e99),
      target_ratio_p50: targets.describeP50Ratio,
      target_ratio_p99: targets.describeP99Ratio,
      meets_target: d50 <= targets.describeP50Ratio * e50 && d99 <= targets.describeP99Ratio * e99,
      statevisor_health_p50_ms: percentile(unary.health, 50),
      statevisor_health_p99_ms: percentile(unary.health, 99),
    });
    const lists = await listLatencies(client, run.options.listSamples);
    const l50 = percentile(lists, 50);
    emit({
      bench: 'rpc_list',
      n,
      samples: lists.length,
      statevisor_p50_ms: l50,
      statevisor_p99_ms: percentile(lists, 99),
      statevisor_p50_us_per_process: (l50 * 1000) / n,
      target_p50_ms: targets.listP50Ms,
      meets_target: l50 <= targets.listP50Ms,
    });
    const afterRpc = memoryOf(daemon.pid);

    // Before the stop: at 10,000 a mass stop can take long (XState's quadratic stop path), and RSS is the fleet's.
    const daemonMb = Math.max(withFleet.rssMb, afterRpc.rssMb);
    emit({
      bench: 'rss',
      n,
      daemon_idle_mb: idle.rssMb,
      daemon_mb: withFleet.rssMb,
      daemon_after_rpc_mb: afterRpc.rssMb,
      daemon_peak_mb: memoryOf(daemon.pid).peakMb,
      daemon_growth_mb: daemonMb - idle.rssMb,
      daemon_kb_per_process: ((daemonMb - idle.rssMb) * 1024) / n,
      baseline_idle_mb: baselineIdle.rssMb,
      baseline_mb: baselineWithFleet.rssMb,
      baseline_growth_mb: baselineWithFleet.rssMb - baselineIdle.rssMb,
      baseline_kb_per_process: ((baselineWithFleet.rssMb - baselineIdle.rssMb) * 1024) / n,
      // A bare grpc-js server on a Unix socket: the floor an idle daemon's RSS is compared with.
      echo_server_mb: memoryOf(echoPid).rssMb,
      // The spawner the daemon's children were started from (absent: spawned by the daemon itself).
      ...(spawner !== undefined && { spawner_mb: spawner.rssMb }),
      target_mb: targets.daemonRssMb,
      target_idle_mb: targets.idleRssMb,
      meets_target: daemonMb <= targets.daemonRssMb,
      meets_idle_target: idle.rssMb <= targets.idleRssMb,
    });
    progress(`n=${n}: stop through the API`);
    const stop = await naming(n, daemon.pid, 'stopping', () => stopApiFleet(client, names, concurrency));
    emit({
      bench: 'stop',
      n,
      statevisor_ms: stop.ms,
      baseline_ms: baselineStopMs,
      ratio: ratio(stop.ms, baselineStopMs),
      statevisor_ms_per_process: stop.ms / n,
      baseline_ms_per_process: baselineStopMs / n,
      target_ms: targets.stopMs,
      meets_target: stop.ms <= targets.stopMs,
      calls_ms: stop.callsMs,
      slowest_call_ms: stop.slowestCallMs,
      concurrency,
    });

  });
}

async function benchRestartGap(run: Run): Promise<void> {
  const { restarts } = run.options;
  await withStage(run, 'restart-gap', async ({ dir, client, baseline }) => {
    progress(`restart gap: ${restarts} restarts, bare loop then daemon`);
    const bare = await bareRestartGaps(baseline, dir, run.arg, restarts);
    const supervised = await daemonRestartGaps(client, dir, run.arg, restarts);
    const [s50, b50] = [median(supervised.gapsMs), median(bare.gapsMs)];
    emit({
      bench: 'restart_gap',
      restarts,
      statevisor_median_ms: s50,
      statevisor_p90_ms: percentile(supervised.gapsMs, 90),
      baseline_median_ms: b50,
      baseline_p90_ms: percentile(bare.gapsMs, 90),
      ratio: ratio(s50, b50),
      target_ratio: targets.restartGapRatio,
      meets_target: s50 <= targets.restartGapRatio * b50,
      statevisor_child_runtime_median_ms: median(supervised.runtimesMs),
      baseline_child_runtime_median_ms: median(bare.runtimesMs),
      statevisor_restart_count: supervised.restartCount,
      restart_rate_limit: 0,
    });
    // The latency of one restart, not the daemon-wide pacing: a single loop at full speed passes the
    // default 50 restarts/s within a second (crash-load measures the pacing).
  }, ['-', '0']);
}

async function benchLogThroughput(run: Run): Promise<void> {
  const { writers, logBytes } = run.options;
  // A fresh daemon: GetStatus's lag figures count from its start, so little else may precede the run.
  await withStage(run, 'log-throughput', async ({ dir, daemon, client, baseline }) => {
    const plan = writerPlan(writers, logBytes, run.arg);
    const mb = (bytes: number): number => bytes / 1024 / 1024;
    progress(`log throughput: ${writers} writers × ${mb(plan.bytesPerWriter).toFixed(1)} MiB through capture, rotating at ${mb(plan.maxBytes).toFixed(1)} MiB`);
    checkDiskRoom(dir, plan.totalBytes);
    syncDisks();
    const rssBefore = memoryOf(daemon.pid).rssMb;
    const d = await daemonWriters(client, daemon, path.join(dir, 'state', 'logs'), plan);
    const rssAfter = memoryOf(daemon.pid);

    progress(`log throughput: the same writers from a bare Node process`);
    const bareDir = path.join(dir, 'bare-writers');
    mkdirSync(bareDir);
    syncDisks();
    const bare = await baseline.writers(bareDir, writers, plan.command, plan.args);
    const bareBytes = bytesIn(bare.files);
    rmSync(bareDir, { recursive: true, force: true });

    const rate = (ms: number): number => mb(plan.totalBytes) / (ms / 1000);
    const allExited = Object.values(d.states).every((state) => state === 'EXITED');
    const bareOk = bare.codes.every((code) => code === 0) && bareBytes === plan.totalBytes;
    emit({
      bench: 'log_throughput',
      writers,
      bytes: plan.totalBytes,
      rotate_at_bytes: plan.maxBytes,
      rotate_keep_files: plan.maxFiles,
      statevisor_ms: d.ms,
      baseline_ms: bare.ms,
      statevisor_mb_per_s: rate(d.ms),
      baseline_mb_per_s: rate(bare.ms),
      ratio: ratio(d.ms, bare.ms),
      target_mb_per_s: targets.logMbPerS,
      meets_target: allExited && rate(d.ms) >= targets.logMbPerS,
      all_exited: allExited,
      states: allExited ? undefined : JSON.stringify(d.states),
      baseline_ok: bareOk,
      rotations_during_run: d.statusAfter.logRotations - d.statusBefore.logRotations,
      rotations_total: d.statusSettled.logRotations,
      bytes_kept: d.bytesKept,
      bytes_missing: plan.totalBytes - d.bytesKept,
      // Of those: lost to failed writes, and dropped as older than the newest rotate_keep_files copies.
      bytes_lost_while_rotating: d.statusSettled.logBytesLost - d.statusBefore.logBytesLost,
      bytes_dropped_by_policy: d.statusSettled.logBytesDropped - d.statusBefore.logBytesDropped,
      rotated_copies: d.copies,
      largest_copy_bytes: d.largestCopyBytes,
      daemon_rss_before_mb: rssBefore,
      daemon_rss_after_mb: rssAfter.rssMb,
      daemon_peak_mb: rssAfter.peakMb,
    });
    const [i50, i99, r50, r99] = [
      percentile(d.describeIdleMs, 50),
      percentile(d.describeIdleMs, 99),
      percentile(d.describeDuringMs, 50),
      percentile(d.describeDuringMs, 99),
    ];
    emit({
      bench: 'log_lag',
      writers,
      run_ms: d.ms,
      daemon_uptime_ms: d.statusAfter.uptimeMs,
      lag_p50_ms: d.statusAfter.eventLoopLagP50Ms,
      lag_p99_ms: d.statusAfter.eventLoopLagP99Ms,
      lag_max_ms: d.statusAfter.eventLoopLagMaxMs,
      lag_p99_before_run_ms: d.statusBefore.eventLoopLagP99Ms,
      lag_max_before_run_ms: d.statusBefore.eventLoopLagMaxMs,
      run_lag_p50_ms: d.lagWindow.p50Ms,
      run_lag_p99_ms: d.lagWindow.p99Ms,
      run_lag_max_ms: d.lagWindow.maxMs,
      run_lag_samples: d.lagWindow.samples,
      run_loop_busy_percent: d.lagWindow.loopBusyPercent,
      baseline_lag_p50_ms: bare.lag.p50_ms,
      baseline_lag_p99_ms: bare.lag.p99_ms,
      baseline_lag_max_ms: bare.lag.max_ms,
      baseline_lag_samples: bare.lag.samples,
      ratio_run_lag_p99: ratio(d.lagWindow.p99Ms, bare.lag.p99_ms),
      target_lag_p99_ms: targets.logLagP99Ms,
      meets_target: d.statusAfter.eventLoopLagP99Ms <= targets.logLagP99Ms && d.lagWindow.p99Ms <= targets.logLagP99Ms,
      daemon_cpu_ms: d.cpuMs,
      baseline_cpu_ms: bare.cpuMs,
      describe_during_samples: d.describeDuringMs.length,
      describe_during_p50_ms: r50,
      describe_during_p99_ms: r99,
      describe_during_max_ms: Math.max(...d.describeDuringMs),
      describe_idle_p50_ms: i50,
      describe_idle_p99_ms: i99,
      describe_ratio_p99: ratio(r99, i99),
    });
  });
}

async function benchUsage(run: Run, n: number): Promise<void> {
  const { concurrency, usageSeconds: seconds, usageIntervalMs: intervalMs } = run.options;
  // A fresh daemon, told a short interval so that a window holds many cycles.
  const daemonArgs = [String(intervalMs)];
  await withStage(
    run,
    'usage',
    async ({ daemon, client }) => {
      progress(`usage: ${n} sleeps, then ${seconds} s sampled every ${intervalMs} ms and ${seconds} s not`);
      const start = await startApiFleet(client, namesOf('usage', n), run.arg, concurrency);
      const w = await usageWindows(daemon, seconds, intervalMs);
      const lifetime = await client.getStatus();
      const [on, off] = [w.sampling, w.control];
      emit({
        bench: 'usage_sampling',
        n,
        interval_ms: intervalMs,
        window_ms: on.ms,
        cycles: on.cycles,
        cycle_processes: on.cycleProcesses,
        cycle_p50_ms: median(on.cyclesMs),
        cycle_max_ms: on.cyclesMs.length > 0 ? Math.max(...on.cyclesMs) : undefined,
        lag_p50_ms: on.lag.p50Ms,
        lag_p99_ms: on.lag.p99Ms,
        lag_max_ms: on.lag.maxMs,
        lag_samples: on.lag.samples,
        // The daemon's own thread: busy share of each window (the sampling thread not included).
        loop_busy_percent: on.lag.loopBusyPercent,
        control_loop_busy_percent: off.lag.loopBusyPercent,
        control_lag_p50_ms: off.lag.p50Ms,
        control_lag_p99_ms: off.lag.p99Ms,
        control_lag_max_ms: off.lag.maxMs,
        control_cycles: off.cycles,
        daemon_cpu_ms: on.cpuMs,
        control_daemon_cpu_ms: off.cpuMs,
        cpu_ms_per_cycle: w.cpuMsPerCycle,
        sampling_cpu_percent: w.cpuPercent,
        // GetStatus: since the daemon started, the fleet's start included.
        lifetime_lag_p99_ms: lifetime.eventLoopLagP99Ms,
        lifetime_lag_max_ms: lifetime.eventLoopLagMaxMs,
        fleet_start_ms: start.ms,
        target_lag_p99_ms: targets.usageLagP99Ms,
        // A sampler that never ran, or missed processes, meets nothing.
        meets_target: on.cycles > 0 && on.cycleProcesses === n && on.lag.p99Ms <= targets.usageLagP99Ms,
      });
    },
    daemonArgs,
  );
}

/** runtime: worker beside OS processes (workers.ts): N started and stopped, and a crash loop's gap. */
async function benchWorkers(run: Run, n: number): Promise<void> {
  const fleets = await workerFleets(run, n);
  const gaps = await workerRestartGaps(run);
  for (const figure of workerFigures(n, fleets, gaps)) emit(figure);
}

async function benchCrashLoad(run: Run): Promise<void> {
  const { crashProcesses: processes, crashClients: clients, crashSeconds: seconds } = run.options;
  await withStage(run, 'crash-load', async ({ daemon, client }) => {
    progress(`crash load: ${processes} processes crash-looping with no delay, ${clients} clients calling the API for ${seconds} s`);
    const r = await crashLoad(client, daemon, { processes, clients, seconds, arg: run.arg });
    emit({
      bench: 'crash_load',
      processes,
      clients,
      seconds,
      calls: r.calls,
      calls_per_s: r.calls / seconds,
      failures: r.failures,
      first_error: r.firstError,
      p50_ms: r.latencyP50Ms,
      p99_ms: r.latencyP99Ms,
      max_ms: r.latencyMaxMs,
      ...Object.fromEntries(Object.entries(r.p99ByRpcMs).map(([rpc, ms]) => [`p99_${rpc}_ms`, ms])),
      restarts: r.restarts,
      restarts_per_s: r.restarts / seconds,
      restart_rate_limit: r.restartRateLimit,
      restarts_delayed: r.restartsDelayed,
      lag_p50_ms: r.lagP50Ms,
      lag_p99_ms: r.lagP99Ms,
      daemon_cpu_percent: r.daemonCpuPercent,
      client_cpu_percent: r.clientCpuPercent,
      rss_before_mb: r.rssBeforeMb,
      rss_end_mb: r.rssEndMb,
      rss_after_mb: r.rssAfterMb,
      rss_recovered_s: r.rssRecoveredS,
      target_p99_ms: targets.crashLoadP99Ms,
      meets_target: r.failures === 0 && r.latencyP99Ms <= targets.crashLoadP99Ms && r.rssRecoveredS !== undefined,
    });
  }, run.options.restartRate === undefined ? [] : ['-', String(run.options.restartRate)]);
}

async function benchConsole(run: Run): Promise<void> {
  const { consoleProcesses: processes, consoles, consoleSeconds: seconds, consoleRounds: rounds } = run.options;
  await withStage(
    run,
    'console',
    async ({ daemon, client }) => {
      const listener = (await client.getStatus()).listeners.find((l) => l.kind === 'http');
      if (listener === undefined) throw new Error('the daemon serves no --http');
      for (const page of ['table', 'process'] as ConsolePage[]) {
        progress(`console: ${processes} processes crash-looping; ${rounds} × ${seconds} s with ${consoles} consoles on the ${page} page, each between ${seconds} s without`);
        const r = await consoleLoad(client, daemon, `http://${listener.address}`, { processes, consoles, seconds, rounds, page, arg: run.arg });
        const lagP99 = median(r.watched.map((w) => w.lagP99Ms));
        const cpu = median(r.consoleCpuPercents);
        const rate = (windows: typeof r.watched) => median(windows.map((w) => w.restarts / w.seconds));
        emit({
          bench: 'console',
          page,
          processes,
          consoles,
          seconds,
          rounds,
          lag_p99_ms: lagP99,
          lag_p99_max_ms: Math.max(...r.watched.map((w) => w.lagP99Ms)),
          lag_p50_ms: median(r.watched.map((w) => w.lagP50Ms)),
          console_cpu_percent: cpu,
          console_cpu_percents: r.consoleCpuPercents.map((p) => Math.round(p * 10) / 10).join(' '),
          control_lag_p99_ms: median(r.unwatched.map((w) => w.lagP99Ms)),
          control_cpu_percent: median(r.unwatched.map((w) => w.cpuPercent)),
          watched_cpu_percent: median(r.watched.map((w) => w.cpuPercent)),
          restarts_per_s: rate(r.watched),
          control_restarts_per_s: rate(r.unwatched),
          rss_mb: Math.max(...r.watched.map((w) => w.rssMb)),
          console_events_per_s: r.consoleEventsPerS,
          console_kib_per_s: r.consoleBytesPerS / 1024,
          console_errors: r.consoleErrors,
          target_lag_p99_ms: targets.consoleLagP99Ms,
          target_cpu_percent: targets.consoleCpuPercent,
          meets_target: r.consoleErrors === 0 && lagP99 <= targets.consoleLagP99Ms && cpu <= targets.consoleCpuPercent,
        });
      }
    },
    ['-', run.options.restartRate === undefined ? '-' : String(run.options.restartRate), '127.0.0.1:0'],
  );
}

async function benchSoak(run: Run): Promise<void> {
  const { soakSeconds: seconds, soakProcesses: processes } = run.options;
  // A fresh daemon, so that its start figure is an idle daemon's and nothing earlier weighs on the trend.
  await withStage(run, 'soak', async ({ dir, daemon, client }) => {
    progress(`soak: ${processes} processes crash-looping for ${seconds} s, sampling daemon RSS every ${sampleInterval(seconds) / 1000} s`);
    const soak = await crashLoopSoak(client, daemon.pid, run.arg, dir, {
      seconds,
      processes,
      onSample: (s) =>
        progress(
          `soak: ${s.atS.toFixed(0)} s, daemon RSS ${s.rssMb.toFixed(1)} MB, GetStatus ${s.statusMs === undefined ? 'unanswered' : `${s.statusMs.toFixed(1)} ms`}`,
        ),
    });
    const f = soakFigures(soak.samples);
    const polled = soak.samples.slice(1);
    const answered = polled.map((s) => s.statusMs).filter((ms): ms is number => ms !== undefined);
    const responsive = answered.length === polled.length && soak.startFailures === 0 && soak.stopFailures === 0;
    emit({
      bench: 'soak_rss',
      seconds: soak.seconds,
      processes,
      runs: soak.runs,
      runs_per_s: soak.runs / soak.seconds,
      samples: soak.samples.length,
      daemon_start_mb: f.startMb,
      daemon_end_mb: f.endMb,
      daemon_peak_mb: f.peakMb,
      daemon_vmhwm_mb: soak.vmHwmMb,
      daemon_slope_second_half_mb_per_min: f.slopeSecondHalfMbPerMin,
      daemon_slope_all_mb_per_min: f.slopeAllMbPerMin,
      target_mb: targets.daemonRssMb,
      target_slope_mb_per_min: targets.soakSlopeMbPerMin,
      meets_target: responsive && f.peakMb <= targets.daemonRssMb && f.slopeSecondHalfMbPerMin <= targets.soakSlopeMbPerMin,
      status_answered: answered.length,
      status_asked: polled.length,
      status_p50_ms: answered.length > 0 ? percentile(answered, 50) : undefined,
      status_max_ms: answered.length > 0 ? Math.max(...answered) : undefined,
      start_failures: soak.startFailures,
      stop_failures: soak.stopFailures,
      first_error: soak.firstError,
    });
  });
}

async function main(): Promise<number> {
  let options: BenchOptions | 'help';
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${usage}\n`);
    return 2;
  }
  if (options === 'help') {
    process.stdout.write(`${usage}\n`);
    return 0;
  }
  const run = newRun(options);
  process.once('SIGINT', (signal) => void interrupt(run, signal));
  process.once('SIGTERM', (signal) => void interrupt(run, signal));

  emit({ bench: 'env', node: process.version, cpus: os.cpus().length, kernel: os.release(), marker: run.arg });
  let failures = 0;
  let echo: EchoClient | undefined;
  try {
    const echoSocket = path.join(run.root, 'echo.sock');
    const protoFile = writeEchoProto(run.root);
    const echoServer = await started(run, 'echo-server-process.js', [echoSocket, protoFile]);
    echo = createEchoClient(echoSocket, protoFile);

    const attempt = async (bench: string, fn: () => Promise<void>, n?: number): Promise<void> => {
      try {
        await fn();
      } catch (error) {
        failures++;
        if (!run.interrupted) emit({ bench, n, error: (error as Error).message });
      }
    };
    if (options.stages.has('fleet')) {
      for (const n of options.ns) await attempt('fleet', () => benchFleet(run, n, echo!, echoServer.pid), n);
    }
    if (options.stages.has('restart-gap')) await attempt('restart_gap', () => benchRestartGap(run));
    if (options.stages.has('log-throughput')) await attempt('log_throughput', () => benchLogThroughput(run));
    if (options.stages.has('usage')) {
      const n = Math.max(...options.ns);
      await attempt('usage_sampling', () => benchUsage(run, n), n);
    }
    if (options.stages.has('crash-load')) await attempt('crash_load', () => benchCrashLoad(run));
    if (options.stages.has('console')) await attempt('console', () => benchConsole(run));
    if (options.stages.has('workers')) await attempt('workers', () => benchWorkers(run, Math.max(...options.ns)));
    if (options.stages.has('soak')) await attempt('soak_rss', () => benchSoak(run));
  } finally {
    echo?.close();
    // The interrupt handler cleans up and exits; waiting here keeps the two from racing.
    if (run.interrupted) await new Promise(() => {});
    const killed = await cleanUp(run);
    emit({ bench: 'cleanup', survivors_after_daemon_stop: run.survivors.length, killed_at_end: killed.length });
  }
  return failures === 0 ? 0 : 1;
}

process.exitCode = await main();
