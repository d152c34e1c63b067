/**
 * The daemon's composition root, the one place where its parts are made and wired: the state
 * directory and store, the exec runtime, the process manager (charts), the table of definitions,
 * the verbs and the read side over them, the event streams, usage sampling, recovery, the config
 * loaded at start, the gRPC and HTTP listeners, and an orderly stop on SIGTERM/SIGINT. Each part
 * is handed only what it needs, as constructor parameters; none reaches into another.
 */
import { readFileSync, unlinkSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import path from 'node:path';
import { StatevisorError } from '../errors.js';
import { shutdownDeadlineMs } from '../deadlines.js';
import { specDefaults } from '../spec/defaults.js';
import type { Logger } from '../manager/logger.js';
import { CorruptJournalError, Store, type JournalRepair } from '../store/index.js';
import { describeJournalRepair } from './journal-repair.js';
import { recover, type RecoveryTarget } from './recovery.js';
import { syncConfig, type ReloadResult } from './config-sync.js';
import { processManagerHandlers, type DaemonInfo, type ProcessServices } from './grpc/handlers.js';
import { closeListener, listenTcp, listenUnix, type Listener } from './grpc/listeners.js';
import { describeTcpAuth, tcpAuthOf } from './grpc/tcp-auth.js';
import { reloadCertificates, warnIfOutOfDate } from './grpc/tls-certificates.js';
import { checkSocketDir, prepareStateDir } from './state-dir.js';
import { WorkloadResources } from '../runtime/exec/workload-resources.js';
import { baseEnvOf } from '../runtime/exec/child-env.js';
import { findSetpriv } from '../runtime/os/setpriv.js';
import { createProcessManager } from '../manager/process-manager.js';
import { processLoggers } from '../manager/logger.js';
import type { MetricsCollector } from '../manager/metrics.js';
import { systemClock } from '../manager/clock.js';
import { ExecSyncer } from '../runtime/exec/exec-syncer.js';
import type { ChildExit } from '../runtime/exec/child-handle.js';
import { WorkerSyncer } from '../runtime/worker/worker-syncer.js';
import { workerResourceUsage } from '../runtime/worker/worker-usage.js';
import { RuntimeDispatch } from '../runtime/runtime-dispatch.js';
import { checkSocketActivation } from '../runtime/exec/socket-activation.js';
import { ActivationSockets } from './activation-sockets.js';
import { SpawnPacer, type SpawnPacerStats } from '../runtime/exec/spawn-pacer.js';
import { Spawner } from '../runtime/exec/spawner.js';
import type { ProcessSpec } from '../spec/types.js';
import { EventHub } from './events.js';
import { Dependencies } from './dependencies.js';
import { Inspector } from './inspector.js';
import { relayUrl } from './relay-url.js';
import { LiveViews } from './live-views.js';
import { LogFiles } from './log-files.js';
import type { DesiredStateStore } from './persistence.js';
import { ProcessEvents } from './process-events.js';
import { ProcessReads } from './process-reads.js';
import { ProcessTable } from './process-table.js';
import { ProcessVerbs } from './process-verbs.js';
import { RunSpecs } from './run-specs.js';
import { UsageMonitor } from './usage-monitor.js';
import { listenHttp, type HttpEndpoint } from './http/http-endpoint.js';
import type { Console } from './http/console.js';
import type { CgroupLayout } from '../runtime/resources/index.js';

/** "memory: v1, pids: v1, cpu: none (why)" for the start-up log. */
function describeLayout(layout: CgroupLayout): string {
  return Object.entries(layout.controllers)
    .map(([controller, support]) => `${controller}: ${support.mechanism === 'none' ? `none (${support.reason})` : support.mechanism}`)
    .join(', ');
}

export interface DaemonOptions {
  readonly socket: string;
  readonly stateDir: string;
  /** HOST:PORT; requires a token or a client CA (grpc/tcp-auth.ts). */
  readonly tcp?: string;
  readonly token?: string;
  /** Paths of --tls-cert, --tls-key and --tls-client-ca, for the TCP listener; re-read by ReloadConfig. */
  readonly tls?: { readonly cert?: string; readonly key?: string; readonly clientCa?: string };
  /** Where the token was read from: a variable holding this path is not passed to children. */
  readonly tokenFile?: string;
  readonly configPath?: string;
  readonly logger: Logger;
  /** Where cgroup hierarchies are mounted (default /sys/fs/cgroup); tests point it elsewhere. */
  readonly cgroupRoot?: string;
  /** Time between usage samples of every running process (default 5 s). */
  readonly usageIntervalMs?: number;
  /** Restarts per second across the daemon; beyond it crash loops wait (default: defaultRestartRate). */
  readonly restartRate?: number;
  /** HOST:PORT of the HTTP endpoint: the web console, /metrics, /healthz. */
  readonly http?: string;
  /** ws://HOST:PORT of a Stately inspector relay to stream the actor system to (--inspect-ws). */
  readonly inspectWs?: string;
  /** Start even with a journal damaged in the middle, keeping what is readable (--repair-journal). */
  readonly repairJournal?: boolean;
  /** Counts the errors no handler caught, for GetStatus; installed by `statevisor daemon`. */
  readonly lastResort?: { readonly count: number };
  /**
   * Spawn children from the spawner, a small helper process (runtime/exec/spawner.ts), rather than
   * from the daemon itself (default true; --no-spawner).
   */
  readonly spawner?: boolean;
}

/**
 * What the root made, for tests and the bench to observe (watchers, the inspector, the usage
 * sampler, whether metrics are collected); nothing in the daemon reads its parts from here.
 */
export interface DaemonParts extends ProcessServices {
  readonly usage: UsageMonitor;
  readonly metrics: MetricsCollector | undefined;
  /** The web console, with --http. */
  readonly console: Console | undefined;
}

export interface Daemon {
  readonly parts: DaemonParts;
  readonly listeners: readonly Listener[];
  /** What --repair-journal dropped, when the journal needed it. */
  readonly journalRepair: JournalRepair | undefined;
  /** Stop every process within its grace period, close the listeners, remove the socket. */
  stop(): Promise<void>;
}

export const version: string = (
  JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

/**
 * Restarts per second across the daemon. Chosen by the crash-load bench (200 zero-delay crash
 * loops, 50 clients calling the API, 2 cores): at 100/s restarts took a third of the loop and the
 * API's p99 was 470 ms; at 50/s 285 ms, at 20/s 255 ms — below 50/s the API's own cost under 50
 * clients dominates, so 50 keeps a crash loop's restarts fast while bounding what they cost.
 */
export const defaultRestartRate = 50;

/** Long enough for every process's grace period to fit in shutdown's 80 % share, plus cleanup. */
function daemonShutdownMs(table: ProcessTable): number {
  let longest = specDefaults.stop.gracePeriodMs;
  for (const entry of table.all()) longest = Math.max(longest, entry.spec.stop.gracePeriodMs);
  return shutdownDeadlineMs(longest);
}

interface ProcessesOptions {
  readonly logger: Logger;
  readonly stateDir: string;
  readonly store: DesiredStateStore;
  readonly resources: WorkloadResources;
  readonly setpriv: string | undefined;
  /** What every child's environment starts from. */
  readonly baseEnv: NodeJS.ProcessEnv;
  readonly usageIntervalMs: number | undefined;
  readonly restartRate: number | undefined;
  readonly metrics: MetricsCollector | undefined;
  readonly spawner: boolean;
}

/**
 * The processes' side of the daemon: the exec runtime driven by the charts, the table of
 * definitions, and the verbs, reads and streams over them. Some parts answer each other's
 * callbacks (the runtime reports exits to the manager, which drives the runtime), so a few are
 * bound late, through closures that run only once everything exists.
 */
function composeProcesses(options: ProcessesOptions) {
  const { logger, stateDir, store, resources, setpriv } = options;
  const clock = systemClock;
  const logsDir = path.join(stateDir, 'logs');
  const table = new ProcessTable();
  const nameOf = (id: string): string => (table.has(id) ? table.get(id).spec.name : id);
  const loggers = processLoggers(logger, nameOf);
  const recoveries = new Map<string, string>();
  const activation = new ActivationSockets(nameOf);
  const logStreams = new Set<AbortController>();
  const logs = new LogFiles({
    logsDir,
    pipesDir: path.join(stateDir, 'pipes'),
    stateDir,
    onWarning: (id, message) => loggers.of(id).warn(message),
  });
  // No clearRun on exit: a stale run record is harmless (recovery checks pid + start time
  // before adopting), and a crash loop would otherwise pay a second fdatasync per restart.
  const reportExit = (id: string, exit: ChildExit): void => {
    runSpecs.ended(id);
    history.exited(id, exit);
    manager.reportWorkloadExit(id, exit);
  };
  // One rate for both runtimes: the daemon's restarts per second, whatever restarts.
  const pacer = new SpawnPacer({ restartsPerSecond: options.restartRate ?? defaultRestartRate });
  // fork() from the daemon costs ~2.6 ms a child, from a small process ~1.1 ms (spawner-process.ts).
  const spawner = !options.spawner
    ? undefined
    : new Spawner({
        stateDir,
        now: () => clock.now(),
        onLost: (why, orphans) =>
          logger.warn({ orphans }, `${why}: its children are watched as survivors (pid and start time); the next spawn starts a new spawner`),
      });
  const exec = new ExecSyncer({
    output: logs,
    pacer,
    stateDir,
    onRun: (id, run, spec) => {
      const runCount = manager.getProcessSnapshot(id)?.context.runCount ?? 0;
      verbs.runStarted(id, { pid: run.pid, pgid: run.pgid, startTime: run.startTime, startedAt: run.startedAt, runCount }, spec);
      usage.soon();
    },
    now: () => clock.now(),
    baseEnv: options.baseEnv,
    resources,
    activation,
    ...(setpriv !== undefined && { setpriv }),
    ...(spawner !== undefined && { spawner }),
    onWarning: (id, message) => loggers.of(id).warn(message),
    onExit: reportExit,
  });
  // runtime: worker — the same chart, the same log files; no pid, so no run record to adopt.
  const workers = new WorkerSyncer({
    output: logs,
    pacer,
    onRun: (id, spec) => {
      runSpecs.started(id, spec);
      usage.soon();
    },
    now: () => clock.now(),
    baseEnv: options.baseEnv,
    onExit: reportExit,
  });
  const dependencies: Dependencies = new Dependencies({
    table,
    views: { state: (entry) => views.state(entry), view: (entry) => views.view(entry) },
    start: (id) => verbs.start(id),
    stop: (id) => verbs.stop(id),
    halt: (id) =>
      new Promise((resolve) => manager.updateProcess({ id, type: 'terminate', terminate: { onCompleted: resolve } })),
    log: (id) => loggers.of(id),
  });
  const manager = createProcessManager<ProcessSpec>({
    // The charts' wait for dependencies is the table's business, not a runtime's.
    syncer: Object.assign(new RuntimeDispatch({ exec, worker: workers }), { awaitDependencies: dependencies.await.bind(dependencies) }),
    logger,
    clock,
    // A running OS process needs no periodic sync: exits arrive as events, so no resync timer
    // per process (1,000 idle timers made every actor stop scan them all).
    resyncIntervalMs: 0,
    ...(options.metrics !== undefined && { metrics: options.metrics }),
    processLabel: nameOf,
  });
  const childOf = (id: string) => exec.child(id);
  const runSpecs = new RunSpecs({ isAlive: (id) => exec.child(id)?.alive === true || workers.run(id)?.alive === true, resources });
  const views: LiveViews = new LiveViews({
    snapshotOf: (id) => manager.getProcessSnapshot(id),
    pidOf: (id) => {
      const child = exec.child(id);
      return child?.alive ? child.pid : undefined;
    },
    latestUsage: (id) => usage.latest(id),
    runsThread: (id) => workers.run(id)?.alive === true,
    now: () => clock.now(),
  });
  const events = new EventHub();
  const history = new ProcessEvents(
    {
      find: (id) => (table.has(id) ? table.get(id) : undefined),
      view: (entry) => views.view(entry),
      state: (entry) => views.state(entry),
      now: () => clock.now(),
    },
    events,
  );
  const verbs = new ProcessVerbs({
    table,
    store,
    manager,
    logs,
    history,
    views,
    runSpecs,
    childOf,
    resources,
    stateDir,
    clock,
    logger,
    processLoggers: loggers,
    activation,
    dependencies,
  });
  const reads: ProcessReads = new ProcessReads({
    table,
    views,
    history,
    runSpecs,
    usage: { now: (id, target) => usage.now(id, target) },
    childOf,
    measuredOf: (id) => {
      const run = workers.run(id);
      if (run?.alive !== true || !table.has(id)) return undefined;
      // The thread's id stands for a pid: a new run's figures are never compared with the last run's.
      return { pid: -run.worker.threadId, measure: () => workerResourceUsage(run.usage(), table.get(id).spec) };
    },
    recoveryOf: (id) => recoveries.get(id),
    resources,
    setpriv,
    logsDir,
  });
  const usage: UsageMonitor = new UsageMonitor({ targets: () => reads.usageTargets() }, options.usageIntervalMs, (error) =>
    logger.warn({ err: (error as Error).message }, 'usage sample failed'),
  );
  usage.start();
  const inspector = new Inspector(manager.actor, {
    nameOf: (id) => (table.has(id) ? table.get(id).spec.name : undefined),
    now: () => clock.now(),
  });
  manager.actor.on('*', (fact) => {
    if (!('id' in fact)) return;
    if (fact.type === 'run.ended' && fact.outcome !== 'stopped') verbs.runEnded(fact.id);
    history.onFact(fact);
    dependencies.onFact(fact);
  });
  const recovery: RecoveryTarget = {
    restore: (entry) => verbs.restore(entry),
    adopt: (id, survivor, startedAt) => exec.adopt(id, survivor, startedAt),
    resume: (entry) => verbs.resume(entry),
    noteRecovery: (id, what) => {
      recoveries.set(id, what);
      loggers.of(id).info({ recovery: what }, 'recovered');
    },
    wantsRunning: (id) => table.has(id) && table.get(id).desired === 'running',
  };
  const services: ProcessServices = { verbs, reads, events, inspector, logStreams };
  return {
    services,
    usage,
    /** A process actor's state value, for the console's charts. */
    stateOf: (id: string): unknown => manager.getProcessSnapshot(id)?.value,
    recovery,
    nameOf,
    figures: {
      workQueueDepth: () => manager.health().workQueueDepth,
      logStats: () => logs.stats,
      pacing: (): SpawnPacerStats => exec.pacing,
    },
    /** Stop every process within the deadline, then release what the processes held. */
    async shutdown(): Promise<void> {
      const deadlineMs = daemonShutdownMs(table);
      logger.info({ deadlineMs }, 'stopping every process');
      usage.stop();
      for (const stream of logStreams) stream.abort(new Error('the daemon is stopping'));
      try {
        const startedAt = clock.now();
        // Dependents first; the manager's shutdown stops the rest within what is left of the deadline.
        await dependencies.stopInOrder(startedAt + deadlineMs * 0.8, () => clock.now());
        await manager.shutdown({ timeoutMs: Math.max(1_000, deadlineMs - (clock.now() - startedAt)) });
      } finally {
        // Every child has been stopped (or the deadline passed: then the spawner's children are init's).
        await spawner?.stop();
        await logs.close();
        activation.releaseAll();
        await resources.releaseAll().catch((error: unknown) => logger.warn({ err: (error as Error).message }, 'cgroups not removed'));
      }
    },
    /** The daemon did not start: leave the recovered workloads running for whichever daemon owns the socket. */
    async abandon(): Promise<void> {
      usage.stop();
      manager.actor.stop();
      // Its children keep running: the spawner leaves them when it goes.
      await spawner?.stop();
      activation.releaseAll();
      await logs.close();
    },
  };
}

export async function startDaemon(options: DaemonOptions): Promise<Daemon> {
  const { logger } = options;
  // The certificates are read and checked before anything is opened: a wrong file stops the start here.
  const tcpAuth = tcpAuthOf(options);
  if (options.inspectWs !== undefined) relayUrl(options.inspectWs);
  // Before anything is opened in them: a directory others can write is refused, not used.
  // The one internal Node API the daemon relies on (socket-activation.ts): checked before anything starts.
  checkSocketActivation();
  prepareStateDir(options.stateDir);
  checkSocketDir(options.socket);
  // The store's lock comes first: a second daemon on the same state dir stops here.
  const store = await Store.open(path.join(options.stateDir, 'store'), { repairJournal: options.repairJournal === true }).catch(
    (error: unknown) => {
      if (!(error instanceof CorruptJournalError)) throw error;
      throw new StatevisorError(
        error.code,
        `${error.message}; to start anyway, keeping every readable entry and the damaged file aside: statevisor daemon --repair-journal`,
        { cause: error },
      );
    },
  );
  if (store.repair !== undefined) {
    const { damaged, missing, keptAs, kept } = store.repair;
    logger.warn({ damaged, missing, keptAs, kept }, describeJournalRepair(store.repair).join('\n'));
  }
  const resources = await WorkloadResources.detect(options.stateDir, options.cgroupRoot);
  logger.info({ cgroups: describeLayout(resources.layout), subtree: resources.subtree }, 'resource limits');
  const setpriv = findSetpriv();
  if (setpriv === undefined) logger.warn({}, 'setpriv (util-linux) not found: a process run as `user:` gets no supplementary groups');
  // Metrics cost a little per transition: collected only when something can scrape them.
  // Series are labelled with the process's name too (ids change when a process is re-created).
  let nameOf = (id: string): string => id;
  // prom-client and the routes are loaded only with --http: an idle daemon without it does not carry them.
  const metrics =
    options.http === undefined
      ? undefined
      : (await import('../manager/prometheus-metrics.js')).createPrometheusMetrics({ processName: (id) => nameOf(id) });
  const processes = composeProcesses({
    logger,
    stateDir: options.stateDir,
    store,
    resources,
    setpriv,
    // Once, at start: children get the daemon's environment without the daemon's own settings.
    baseEnv: baseEnvOf(process.env, {
      ...(options.tokenFile !== undefined && { tokenFile: options.tokenFile }),
      ...(options.token !== undefined && { token: options.token }),
    }),
    usageIntervalMs: options.usageIntervalMs,
    restartRate: options.restartRate,
    metrics,
    spawner: options.spawner !== false,
  });
  nameOf = processes.nameOf;
  const { services } = processes;
  await recover(processes.recovery, store.state(), options.stateDir, logger, resources);
  const listeners: Listener[] = [];
  let httpEndpoint: HttpEndpoint | undefined;
  let shuttingDown = false;
  // How late timers fire: the figure that says whether the daemon keeps up.
  const lag = monitorEventLoopDelay({ resolution: 10 });
  lag.enable();
  const info: DaemonInfo = {
    version,
    startedAt: Date.now(),
    stateDir: options.stateDir,
    configPath: options.configPath ?? '',
    listeners: () => [
      ...listeners.map((l) => ({ kind: l.kind, address: l.address })),
      ...(httpEndpoint === undefined ? [] : [{ kind: 'http', address: httpEndpoint.address }]),
    ],
    shuttingDown: () => shuttingDown,
    uncaughtErrors: () => options.lastResort?.count ?? 0,
    loopLag: () => ({
      event_loop_lag_p50_ms: lag.percentile(50) / 1e6,
      event_loop_lag_p99_ms: lag.percentile(99) / 1e6,
      event_loop_lag_max_ms: lag.max / 1e6,
    }),
    ...processes.figures,
  };
  const reloadConfig = async () => {
    if (!options.configPath) {
      throw new StatevisorError('E_INVALID_STATE', 'the daemon was started without --config: there is nothing to reload');
    }
    return syncConfig(services, options.configPath, logger);
  };
  const reload = async (): Promise<ReloadResult> => {
    const certificates = tcpAuth?.certificates;
    if (certificates === undefined) return reloadConfig();
    const failed = reloadCertificates(certificates, logger);
    const result = options.configPath ? await reloadConfig() : { added: [], removed: [], modified: [], unchanged: [], errors: [] };
    return failed === undefined ? result : { ...result, errors: [failed, ...result.errors] };
  };
  const handlers = processManagerHandlers(services, info, logger, reload);
  // Loaded only with --http: the console's modules (and YAML for its spec view) cost an idle daemon ~3 MB.
  const webConsole =
    options.http === undefined
      ? undefined
      : new (await import('./http/console.js')).Console({
          reads: services.reads,
          verbs: services.verbs,
          events: services.events,
          inspection: services.inspector,
          stateOf: processes.stateOf,
          chart: (await import('./http/process-chart.js')).processChart,
          usage: { cycles: () => processes.usage.stats.cycles, intervalMs: processes.usage.intervalMs },
          token: options.token,
          version,
          logger: logger.child({ component: 'console' }),
          shuttingDown: () => shuttingDown,
          now: () => Date.now(),
        });
  try {
    listeners.push(await listenUnix(options.socket, handlers));
    if (tcpAuth !== undefined) listeners.push(await listenTcp(options.tcp!, tcpAuth, handlers));
    if (webConsole !== undefined) {
      const { httpRoutes } = await import('./http/routes.js');
      httpEndpoint = await listenHttp(options.http!, httpRoutes(services.reads, metrics!, () => shuttingDown, webConsole), logger);
    }
  } catch (error) {
    await Promise.all(listeners.map(closeListener));
    await httpEndpoint?.close();
    await processes.abandon();
    await store.close();
    throw error;
  }
  for (const l of info.listeners()) {
    logger.info({ kind: l.kind, address: l.address, ...(l.kind === 'tcp' && tcpAuth !== undefined && { auth: describeTcpAuth(tcpAuth) }) }, 'listening');
  }
  if (tcpAuth?.certificates !== undefined) warnIfOutOfDate(tcpAuth.certificates.certificates, logger);
  // Loaded only when asked for: @statelyai/inspect costs an idle daemon ~8 MB.
  const stately =
    options.inspectWs === undefined
      ? undefined
      : new (await import('./stately-bridge.js')).StatelyBridge({ url: options.inspectWs, inspector: services.inspector, logger });
  stately?.start();
  if (options.configPath) await reloadConfig();

  let stopping: Promise<void> | undefined;
  return {
    parts: { ...services, usage: processes.usage, metrics, console: webConsole },
    listeners,
    journalRepair: store.repair,
    stop() {
      stopping ??= (async () => {
        shuttingDown = true;
        // Watchers would otherwise hold the listeners open until their force-close.
        webConsole?.closeAll();
        services.events.closeAll();
        await stately?.stop();
        services.inspector.closeAll();
        try {
          await processes.shutdown();
        } catch (error) {
          logger.error({ reason: (error as Error).message }, 'shutdown incomplete');
        }
        await Promise.all(listeners.map(closeListener));
        await httpEndpoint?.close();
        await store.close();
        lag.disable();
        try {
          unlinkSync(options.socket);
        } catch {
          // Already gone.
        }
        logger.info({}, 'daemon stopped');
      })();
      return stopping;
    },
  };
}
