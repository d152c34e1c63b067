/**
 * The benchmark's entry: `npm run bench` (or `node dist/bench/run.js --n 200`). Measures the
 * TARGETS.md performance rows against baselines taken in the same run and prints one JSON line
 * per figure on stdout (progress on stderr).
 *
 * Each stage (stage.ts) gets a fresh daemon and a fresh bare-loop baseline, each in its own Node
 * process, so that RSS, event loop and fork cost are each one's own and this process's heap
 * weighs on neither. The grpc-js echo server is a third process, shared by the stages.
 */
import os from 'node:os';
import path from 'node:path';
import { deleteAll, startApiFleet, stopApiFleet } from './api-fleet.js';
import { createEchoClient, writeEchoProto, type EchoClient } from './echo-service.js';
import { memoryOf } from './memory.js';
import { parseOptions, usage, type BenchOptions } from './options.js';
import { emit, progress } from './report.js';
import { bareRestartGaps, daemonRestartGaps } from './restart-gap.js';
import { listLatencies, unaryLatencies } from './rpc-latency.js';
import { crashLoopSoak } from './soak.js';
import { cleanUp, interrupt, newRun, started, withStage, type Run } from './stage.js';
import { median, percentile, ratio, slopePerMinute } from './stats.js';

const targets = {
  startRatio: 1.5,
  stopMs: 500,
  restartGapRatio: 1.3,
  daemonRssMb: 80,
  describeP50Ratio: 1.2,
  describeP99Ratio: 1.5,
  listP50Ms: 10,
} as const;

const warmupProcesses = 20;

const namesOf = (prefix: string, n: number): string[] => Array.from({ length: n }, (_, i) => `${prefix}-${i}`);

async function benchFleet(run: Run, n: number, echo: EchoClient, echoPid: number): Promise<void> {
  const { concurrency } = run.options;
  await withStage(run, `fleet-${n}`, async ({ daemon, client, baseline }) => {
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
    const baselineStartMs = await baseline.spawnFleet(n, run.arg);
    const baselineWithFleet = memoryOf(baseline.pid);
    const baselineStopMs = await baseline.killFleet();

    progress(`n=${n}: start through the API`);
    const names = namesOf('sleep', n);
    const start = await startApiFleet(client, names, run.arg, concurrency);
    const withFleet = memoryOf(daemon.pid);
    emit({
      bench: 'start',
      n,
      statevisor_ms: start.ms,
      baseline_ms: baselineStartMs,
      ratio: ratio(start.ms, baselineStartMs),
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
      target_p50_ms: targets.listP50Ms,
      meets_target: l50 <= targets.listP50Ms,
    });
    const afterRpc = memoryOf(daemon.pid);

    progress(`n=${n}: stop through the API`);
    const stop = await stopApiFleet(client, names, concurrency);
    emit({
      bench: 'stop',
      n,
      statevisor_ms: stop.ms,
      baseline_ms: baselineStopMs,
      ratio: ratio(stop.ms, baselineStopMs),
      target_ms: targets.stopMs,
      meets_target: stop.ms <= targets.stopMs,
      calls_ms: stop.callsMs,
      slowest_call_ms: stop.slowestCallMs,
      concurrency,
    });

    const daemonMb = Math.max(withFleet.rssMb, afterRpc.rssMb);
    emit({
      bench: 'rss',
      n,
      daemon_idle_mb: idle.rssMb,
      daemon_mb: withFleet.rssMb,
      daemon_after_rpc_mb: afterRpc.rssMb,
      daemon_peak_mb: memoryOf(daemon.pid).peakMb,
      daemon_growth_mb: daemonMb - idle.rssMb,
      baseline_idle_mb: baselineIdle.rssMb,
      baseline_mb: baselineWithFleet.rssMb,
      baseline_growth_mb: baselineWithFleet.rssMb - baselineIdle.rssMb,
      echo_server_mb: memoryOf(echoPid).rssMb,
      target_mb: targets.daemonRssMb,
      meets_target: daemonMb <= targets.daemonRssMb,
    });
  });
}

async function benchRestartGap(run: Run): Promise<void> {
  const { restarts } = run.options;
  await withStage(run, 'restart-gap', async ({ dir, daemon, client, baseline }) => {
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
    });

    if (run.options.soakSeconds === 0) return;
    progress(`soak: crash loop for ${run.options.soakSeconds} s, sampling daemon RSS`);
    const soak = await crashLoopSoak(client, daemon.pid, run.arg, run.options.soakSeconds, {
      onSample: (mb, at) => progress(`soak: ${at.toFixed(0)} s, daemon RSS ${mb.toFixed(1)} MB`),
    });
    const quarter = Math.max(1, Math.floor(soak.rssMb.length / 4));
    const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
    const [early, late] = [mean(soak.rssMb.slice(0, quarter)), mean(soak.rssMb.slice(-quarter))];
    emit({
      bench: 'soak_rss',
      seconds: soak.seconds,
      restarts: soak.restarts,
      samples: soak.rssMb.length,
      daemon_first_quarter_mb: early,
      daemon_last_quarter_mb: late,
      daemon_max_mb: Math.max(...soak.rssMb),
      daemon_slope_mb_per_min: slopePerMinute(soak.rssMb, soak.seconds),
      target_mb: targets.daemonRssMb,
      meets_target: Math.max(...soak.rssMb) <= targets.daemonRssMb,
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

    for (const n of options.ns) {
      try {
        await benchFleet(run, n, echo, echoServer.pid);
      } catch (error) {
        failures++;
        if (!run.interrupted) emit({ bench: 'fleet', n, error: (error as Error).message });
      }
    }
    try {
      await benchRestartGap(run);
    } catch (error) {
      failures++;
      if (!run.interrupted) emit({ bench: 'restart_gap', error: (error as Error).message });
    }
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
