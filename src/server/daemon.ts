/**
 * The daemon's composition root: logger, state directory, supervision (charts + exec runtime),
 * the config loaded at start, the gRPC listeners, and an orderly stop on SIGTERM/SIGINT.
 */
import { readFileSync, unlinkSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import path from 'node:path';
import { StatevisorError } from '../errors.js';
import { specDefaults } from '../spec/defaults.js';
import type { Logger } from '../manager/logger.js';
import { CorruptJournalError, Store, type JournalRepair } from '../store/index.js';
import { describeJournalRepair } from './journal-repair.js';
import { recover } from './recovery.js';
import { syncConfig } from './config-sync.js';
import { processManagerHandlers, type DaemonInfo } from './grpc/handlers.js';
import { closeListener, listenTcp, listenUnix, type Listener } from './grpc/listeners.js';
import { Supervision } from './supervision.js';
import { checkSocketDir, prepareStateDir } from './state-dir.js';
import { WorkloadResources } from '../runtime/exec/workload-resources.js';
import { baseEnvOf } from '../runtime/exec/child-env.js';
import { findSetpriv } from '../runtime/os/setpriv.js';
import { createPrometheusMetrics } from '../manager/prometheus-metrics.js';
import { listenHttp, type HttpEndpoint } from './http/http-endpoint.js';
import { httpRoutes } from './http/routes.js';
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
  /** HOST:PORT; requires a token. */
  readonly tcp?: string;
  readonly token?: string;
  /** Where the token was read from: a variable holding this path is not passed to children. */
  readonly tokenFile?: string;
  readonly configPath?: string;
  readonly logger: Logger;
  /** Where cgroup hierarchies are mounted (default /sys/fs/cgroup); tests point it elsewhere. */
  readonly cgroupRoot?: string;
  /** Time between usage samples of every running process (default 5 s). */
  readonly usageIntervalMs?: number;
  /** Restarts per second across the daemon; beyond it crash loops wait (default in supervision.ts). */
  readonly restartRate?: number;
  /** HOST:PORT of the read-only HTTP endpoint: status page, /metrics, /healthz. */
  readonly http?: string;
  /** Start even with a journal damaged in the middle, keeping what is readable (--repair-journal). */
  readonly repairJournal?: boolean;
  /** Counts the errors no handler caught, for GetStatus; installed by `statevisor daemon`. */
  readonly lastResort?: { readonly count: number };
}

export interface Daemon {
  readonly supervision: Supervision;
  readonly listeners: readonly Listener[];
  /** What --repair-journal dropped, when the journal needed it. */
  readonly journalRepair: JournalRepair | undefined;
  /** Stop every process within its grace period, close the listeners, remove the socket. */
  stop(): Promise<void>;
}

export const version: string = (
  JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

/** Long enough for every process's grace period to fit in shutdown's 80 % share, plus cleanup. */
function shutdownDeadlineMs(supervision: Supervision): number {
  let longest = specDefaults.stop.gracePeriodMs;
  for (const view of supervision.list()) {
    longest = Math.max(longest, supervision.entry(view.id).spec.stop.gracePeriodMs);
  }
  return Math.ceil(longest * 1.25) + 5_000;
}

export async function startDaemon(options: DaemonOptions): Promise<Daemon> {
  const { logger } = options;
  if (options.tcp !== undefined && !options.token) {
    throw new StatevisorError('E_INVALID_ARGUMENT', '--tcp needs --token-file: the TCP listener never runs without credentials');
  }
  // Before anything is opened in them: a directory others can write is refused, not used.
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
  const metrics = options.http === undefined ? undefined : createPrometheusMetrics({ processName: (id) => nameOf(id) });
  const supervision = new Supervision({
    logger,
    logsDir: path.join(options.stateDir, 'logs'),
    pipesDir: path.join(options.stateDir, 'pipes'),
    stateDir: options.stateDir,
    // Once, at start: children get the daemon's environment without the daemon's own settings.
    baseEnv: baseEnvOf(process.env, {
      ...(options.tokenFile !== undefined && { tokenFile: options.tokenFile }),
      ...(options.token !== undefined && { token: options.token }),
    }),
    store,
    resources,
    ...(setpriv !== undefined && { setpriv }),
    ...(options.usageIntervalMs !== undefined && { usageIntervalMs: options.usageIntervalMs }),
    ...(options.restartRate !== undefined && { restartRate: options.restartRate }),
    ...(metrics !== undefined && { metrics }),
  });
  nameOf = (id) => (supervision.has(id) ? supervision.entry(id).spec.name : id);
  await recover(supervision, store.state(), options.stateDir, logger, resources);
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
  };
  const reload = async () => {
    if (!options.configPath) {
      throw new StatevisorError('E_INVALID_STATE', 'the daemon was started without --config: there is nothing to reload');
    }
    return syncConfig(supervision, options.configPath, logger);
  };
  const handlers = processManagerHandlers(supervision, info, logger, reload);
  try {
    listeners.push(await listenUnix(options.socket, handlers));
    if (options.tcp !== undefined) listeners.push(await listenTcp(options.tcp, options.token!, handlers));
    if (options.http !== undefined) httpEndpoint = await listenHttp(options.http, httpRoutes(supervision, metrics!, () => shuttingDown), logger);
  } catch (error) {
    await Promise.all(listeners.map(closeListener));
    await httpEndpoint?.close();
    // Leave the recovered workloads running for whichever daemon owns the socket.
    supervision.usage.stop();
    supervision.manager.actor.stop();
    await supervision.logs.close();
    await store.close();
    throw error;
  }
  for (const l of info.listeners()) logger.info({ kind: l.kind, address: l.address }, 'listening');
  if (options.configPath) await reload();

  let stopping: Promise<void> | undefined;
  return {
    supervision,
    listeners,
    journalRepair: store.repair,
    stop() {
      stopping ??= (async () => {
        shuttingDown = true;
        // Watchers would otherwise hold the listeners open until their force-close.
        supervision.events.closeAll();
        supervision.inspector.closeAll();
        const deadlineMs = shutdownDeadlineMs(supervision);
        logger.info({ deadlineMs }, 'stopping every process');
        try {
          await supervision.shutdown(deadlineMs);
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
