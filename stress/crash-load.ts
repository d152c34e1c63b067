/**
 * The crash-loop load: processes crash-looping with `restart: always` and no delay while clients
 * call List, Describe, GetStatus and Start/Stop as fast as they are answered — bench/crash-load.ts's
 * crashLoad(), run as the bench runs it: the daemon is bench/daemon-process.js (startDaemon in a
 * process of its own, the binary's defaults, restart rate included), because it measures its own
 * event-loop lag over the storm alone (GetStatus's lag figures count from the daemon's start).
 * 200 processes, 50 clients, 30 s; 50, 10 and 5 s with --short.
 *
 * Threshold: no call fails (an error or a 10 s deadline); and, as after every stage, nothing is
 * left running once the daemon stopped (`left_running`, stage.ts).
 * Targets (issue 9; they depend on the machine and do not fail the run): p99 ≤ 50 ms, RSS back
 * within 10 % of its pre-load value within a minute of the storm's end (15 s with --short, whose
 * storm is short: waiting a minute would double the CI run).
 */
import { crashLoad } from '../bench/crash-load.js';
import { startEntry } from '../bench/entry-process.js';
import { createClient } from '../src/client/index.js';
import type { StressOptions } from './options.js';
import type { StressRun, StressStage } from './stage.js';

const stageName = 'crash-load';
const p99TargetMs = 50;
const rssTargetRatio = 1.1;

async function crashLoopLoad(options: StressOptions, run: StressRun): Promise<void> {
  const load = options.short
    ? { processes: 50, clients: 10, seconds: 5, rssWaitS: 15 }
    : { processes: 200, clients: 50, seconds: 30, rssWaitS: 60 };
  const place = run.place(stageName);
  const daemon = await startEntry('daemon-process.js', [place.socket, place.stateDir]);
  place.adopt({ kill: () => void daemon.kill() });
  const client = createClient({ socket: place.socket });
  run.progress(stageName, `daemon pid ${daemon.pid}; ${load.processes} processes crash-looping, ${load.clients} clients for ${load.seconds} s`);
  try {
    const r = await crashLoad(client, daemon, { ...load, arg: run.markerArg });
    run.figure(stageName, 'failed_calls', r.failures, { max: 0 }, {
      processes: load.processes,
      clients: load.clients,
      seconds: load.seconds,
      calls: r.calls,
      calls_per_s: r.calls / load.seconds,
      restarts_per_s: r.restarts / load.seconds,
      first_error: r.firstError,
    });
    run.target(stageName, 'p99_ms', r.latencyP99Ms, { max: p99TargetMs }, {
      p50_ms: r.latencyP50Ms,
      max_ms: r.latencyMaxMs,
      ...Object.fromEntries(Object.entries(r.p99ByRpcMs).map(([rpc, ms]) => [`p99_${rpc}_ms`, ms])),
      lag_p50_ms: r.lagP50Ms,
      lag_p99_ms: r.lagP99Ms,
      daemon_cpu_percent: r.daemonCpuPercent,
      client_cpu_percent: r.clientCpuPercent,
      restart_rate_limit: r.restartRateLimit,
      restarts_delayed: r.restartsDelayed,
    });
    run.target(stageName, 'rss_after_over_before', r.rssAfterMb / r.rssBeforeMb, { max: rssTargetRatio }, {
      rss_before_mb: r.rssBeforeMb,
      rss_end_mb: r.rssEndMb,
      rss_after_mb: r.rssAfterMb,
      rss_recovered_s: r.rssRecoveredS,
      within_s: load.rssWaitS,
    });
  } finally {
    client.close();
    await daemon.stop(60_000);
  }
}

export const crashLoadStage: StressStage = {
  name: stageName,
  about: 'zero-delay crash loops while clients call the API: 0 failed calls; targets p99 ≤ 50 ms, RSS back within 10 % in a minute',
  run: crashLoopLoad,
};
