/**
 * The embedding API: the supervisor chart, its process charts and a caller's ProcessSyncer,
 * composed into one object with procmgr's verbs. It is also where transitions are logged and
 * metrics are recorded — in one place, from the facts the charts report.
 */
import { performance } from 'node:perf_hooks';
import { createActor, toPromise, type Actor, type InspectionEvent, type Observer, type SnapshotFrom } from 'xstate';
import { processMachine } from '../machines/process.machine.js';
import { supervisorMachine, type ProcessDefaults, type SupervisorEmitted } from '../machines/supervisor.machine.js';
import type { Phase, ProcessEvent, ProcessSettings, WorkloadExit } from '../machines/process-types.js';
import type { RestartPolicy } from '../machines/restart-policy.js';
import { deadlines } from '../deadlines.js';
import { ShutdownDeadlineError } from '../errors.js';
import { syncerHooks } from './syncer-hooks.js';
import { systemClock, type Clock } from './clock.js';
import { Completions } from './completions.js';
import { healthOf, statusOf, type HealthReport, type ProcessSnapshotLike } from './health.js';
import { phaseOf } from '../machines/process-state.js';
import { processLoggers, silentLogger, type Logger } from './logger.js';
import { noopMetrics, type MetricsCollector } from './metrics.js';
import type { ProcessStatus, ProcessSyncer, ProcessUpdate, StatusReporter, TerminateOptions } from './syncer.js';

export interface ProcessManagerOptions<Config = unknown> {
  readonly syncer: ProcessSyncer<Config>;
  /** Time between periodic resyncs of a healthy process. Default 10 s. */
  readonly resyncIntervalMs?: number;
  /** Cap of the exponential error backoff (base 1 s). Default 10 s. */
  readonly backoffPeriodMs?: number;
  /** Grace period of a terminate that names none. Default 30 s. */
  readonly defaultGracePeriodSecs?: number;
  /** What happens when a sync reports `terminal: true`. Default: no restart. */
  readonly restart?: Partial<RestartPolicy>;
  readonly metrics?: MetricsCollector;
  readonly logger?: Logger;
  /** The clock every delay runs on; a SimulatedClock in tests. */
  readonly clock?: Clock;
  /** Receives XState inspection events of the whole actor system. */
  readonly inspect?: Observer<InspectionEvent> | ((event: InspectionEvent) => void);
  /** How logs name a process; the id by default (the daemon shows the process name). */
  readonly processLabel?: (id: string) => string;
  /** Seed of the jitter PRNG, for reproducible backoff sequences. */
  readonly seed?: number;
}

export interface ShutdownOptions {
  /** Deadline for every process to finish. Default 30 s. */
  readonly timeoutMs?: number;
}

type SupervisorLogic = ReturnType<typeof createSupervisorMachine>;
export type ProcessSnapshot = SnapshotFrom<typeof processMachine>;

export interface ProcessManager<Config = unknown> {
  /** Submit an update; it is routed to the process's actor (created on first sight). */
  updateProcess(update: ProcessUpdate<Config>): void;
  getProcessStatus(id: string): ProcessStatus | undefined;
  /** The process actor's whole snapshot (state value, context), for views richer than the status. */
  getProcessSnapshot(id: string): ProcessSnapshot | undefined;
  /** The process has left terminating (cleanup running, waiting to restart, or finished). */
  isProcessTerminated(id: string): boolean;
  isProcessFinished(id: string): boolean;
  health(): HealthReport;
  /** Begin a new run of a finished process (with a new config, if given). False if it is not finished. */
  startProcess(id: string, config?: Config): boolean;
  /** Apply hot settings to a live process. */
  reconfigureProcess(id: string, settings: ProcessSettings): void;
  /** The workload of `id` ended by itself: its chart terminates, cleans up and decides on a restart. */
  reportWorkloadExit(id: string, exit: WorkloadExit): void;
  /** Forget a process at once, cancelling any hook it runs; its pending terminates complete with false. */
  purgeProcess(id: string): void;
  /**
   * Tell the manager which ids should exist. Others are terminated (orphans) or, once finished,
   * forgotten. Returns the phase of every process still known afterwards.
   */
  syncKnownProcesses(ids: Iterable<string>): Record<string, Phase>;
  /** Terminate everything and stop; rejects with ShutdownDeadlineError past the deadline. */
  shutdown(options?: ShutdownOptions): Promise<void>;
  /** The root supervisor actor, to observe or to embed in a larger XState system. */
  readonly actor: Actor<SupervisorLogic>;
}

/** Settings as a new actor's input: there, no health check is said by its absence, not null. */
function actorInputOf(settings: ProcessSettings): ProcessDefaults {
  const { healthCheck, ...rest } = settings;
  return { ...rest, ...(healthCheck != null && { healthCheck }) };
}

/** The supervisor chart with a syncer's hooks provided: spawn it inside your own XState system. */
export function createSupervisorMachine<Config>(
  syncer: ProcessSyncer<Config>,
  options: {
    clock?: Pick<Clock, 'now'>;
    metrics?: MetricsCollector;
    statusReporter?: (id: string) => StatusReporter;
  } = {},
) {
  const hooks = syncerHooks(syncer, {
    clock: options.clock ?? systemClock,
    metrics: options.metrics ?? noopMetrics,
    statusReporter: options.statusReporter ?? (() => () => {}),
  });
  return supervisorMachine.provide({ actors: { process: processMachine.provide({ actors: hooks }) } });
}

export function createProcessManager<Config = unknown>(options: ProcessManagerOptions<Config>): ProcessManager<Config> {
  const clock = options.clock ?? systemClock;
  const metrics = options.metrics ?? noopMetrics;
  const logger = options.logger ?? silentLogger;
  const loggers = processLoggers(logger, options.processLabel ?? ((id: string) => id));
  const completions = new Completions();
  const statusListeners = new Map<string, NonNullable<TerminateOptions['onStatus']>[]>();
  const terminatingSince = new Map<string, number>();
  const queued = new Set<string>();
  const watched = new Map<string, { unsubscribe(): void }>();
  let shuttingDown: Promise<void> | undefined;

  const processSnapshot = (id: string): ProcessSnapshotLike | undefined =>
    actor.getSnapshot().children[id]?.getSnapshot() as ProcessSnapshotLike | undefined;

  const statusReporter = (id: string): StatusReporter => (status) => {
    const snapshot = processSnapshot(id);
    if (!snapshot) return;
    const current = statusOf(snapshot, clock.now());
    for (const listener of statusListeners.get(id) ?? []) listener({ ...current, message: status?.message });
  };

  const defaults: ProcessDefaults = {
    ...(options.resyncIntervalMs !== undefined && { resyncIntervalMs: options.resyncIntervalMs }),
    ...(options.backoffPeriodMs !== undefined && { backoff: { capMs: options.backoffPeriodMs } }),
    ...(options.defaultGracePeriodSecs !== undefined && { defaultGracePeriodSecs: options.defaultGracePeriodSecs }),
    ...(options.restart !== undefined && { restart: options.restart }),
  };

  const machine = createSupervisorMachine(options.syncer, { clock, metrics, statusReporter });
  const actor = createActor(machine, {
    clock,
    input: { defaults, ...(options.seed !== undefined && { seed: options.seed }) },
    ...(options.inspect !== undefined && { inspect: options.inspect }),
  });

  /** Queue depth changes with the `queued` tag, which facts alone do not show. */
  function watch(id: string): void {
    if (watched.has(id)) return;
    const child = actor.getSnapshot().children[id];
    if (!child) return;
    const onSnapshot = (snapshot: ProcessSnapshotLike): void => {
      const before = queued.size;
      if (snapshot.hasTag('queued')) queued.add(id);
      else queued.delete(id);
      if (queued.size !== before) metrics.workQueueDepth(queued.size);
    };
    onSnapshot(child.getSnapshot() as ProcessSnapshotLike);
    watched.set(id, child.subscribe((snapshot) => onSnapshot(snapshot as ProcessSnapshotLike)));
  }

  function forget(id: string): void {
    watched.get(id)?.unsubscribe();
    watched.delete(id);
    if (queued.delete(id)) metrics.workQueueDepth(queued.size);
    terminatingSince.delete(id);
    statusListeners.delete(id);
    loggers.forget(id);
    completions.settle(id, false);
    metrics.processForgotten?.(id);
  }

  function onFact(fact: SupervisorEmitted): void {
    switch (fact.type) {
      case 'phase.changed': {
        watch(fact.id);
        metrics.processStateTransition(fact.id, fact.from, fact.phase);
        // At debug: a mass stop of 1,000 processes would write 3,000 lines at info that say what
        // Describe's transitions and WatchEvents already tell; the run's end is logged at info.
        loggers.of(fact.id).debug({ from: fact.from, to: fact.phase, reason: fact.reason }, 'transition');
        if (fact.phase === 'terminating') terminatingSince.set(fact.id, performance.now());
        if (fact.phase === 'terminated') {
          const since = terminatingSince.get(fact.id);
          if (since !== undefined) metrics.processTerminationDuration(fact.id, (performance.now() - since) / 1000);
          terminatingSince.delete(fact.id);
        }
        if (fact.phase === 'finished') {
          statusListeners.delete(fact.id);
          completions.settle(fact.id, true);
        }
        return;
      }
      case 'queue.added':
        return metrics.workQueueAdd(fact.id, fact.delayMs);
      case 'queue.retried':
        metrics.processError(fact.id, fact.phase);
        metrics.workQueueRetry(fact.id);
        metrics.workQueueBackoffDuration(fact.id, fact.delayMs / 1000);
        loggers.of(fact.id).warn({ phase: fact.phase, err: fact.error, retryInMs: fact.delayMs }, 'hook failed');
        return;
      case 'process.restarting':
        metrics.processRestart(fact.id);
        loggers.of(fact.id).info({ delayMs: fact.delayMs, reason: fact.reason }, 'restarting');
        return;
      case 'run.ended':
        loggers.of(fact.id).info({ outcome: fact.outcome, reason: fact.reason }, 'run ended');
        return;
      case 'health.changed': {
        const level = fact.health === 'unhealthy' ? 'warn' : 'info';
        loggers.of(fact.id)[level]({ health: fact.health, failures: fact.failures, reason: fact.message }, 'health');
        return;
      }
      case 'supervisor.stopped':
        return;
    }
  }

  actor.on('*', (fact) => onFact(fact as SupervisorEmitted));
  actor.subscribe({ error: (err) => logger.error({ err }, 'supervisor actor failed') });
  actor.start();

  function isTerminated(id: string): boolean {
    const snapshot = processSnapshot(id);
    if (!snapshot) return false;
    const phase = phaseOf(snapshot);
    return phase === 'terminated' || phase === 'finished';
  }

  return {
    actor,

    updateProcess(update) {
      const { id } = update;
      if (update.type === 'terminate') {
        const { onCompleted, onStatus, gracePeriodSecs } = update.terminate ?? {};
        if (onCompleted) completions.add(id, onCompleted);
        if (onStatus) statusListeners.set(id, [...(statusListeners.get(id) ?? []), onStatus]);
        const snapshot = processSnapshot(id);
        if (!snapshot || phaseOf(snapshot) === 'finished') {
          // Nothing left to terminate: complete now, but never inside the caller's stack.
          queueMicrotask(() => completions.settle(id, true));
          return;
        }
        const event: ProcessEvent = {
          type: 'terminate',
          ...(update.config !== undefined && { config: update.config }),
          ...(gracePeriodSecs !== undefined && { gracePeriodSecs }),
        };
        actor.send({ type: 'process.send', id, event });
        return;
      }
      if (shuttingDown) {
        loggers.of(id).warn({ update: update.type }, 'update ignored: shutting down');
        return;
      }
      const settings = update.settings;
      if (settings !== undefined && processSnapshot(id) !== undefined) {
        actor.send({ type: 'process.send', id, event: { type: 'reconfigure', settings } });
      }
      actor.send({
        type: 'process.send',
        id,
        event: { type: 'update', updateType: update.type, ...(update.config !== undefined && { config: update.config }) },
        ...(settings !== undefined && { overrides: actorInputOf(settings) }),
      });
    },

    startProcess(id, config) {
      if (shuttingDown) return false;
      const snapshot = processSnapshot(id);
      if (snapshot !== undefined && phaseOf(snapshot) !== 'finished') return false;
      actor.send({ type: 'process.send', id, event: { type: 'start', ...(config !== undefined && { config }) } });
      return true;
    },

    reconfigureProcess(id, settings) {
      actor.send({ type: 'process.send', id, event: { type: 'reconfigure', settings } });
    },

    reportWorkloadExit(id, exit) {
      actor.send({ type: 'process.send', id, event: { type: 'workload.exited', ...exit } });
    },

    purgeProcess(id) {
      actor.send({ type: 'process.purge', id });
      forget(id);
    },

    getProcessSnapshot(id) {
      return actor.getSnapshot().children[id]?.getSnapshot() as ProcessSnapshot | undefined;
    },

    getProcessStatus(id) {
      const snapshot = processSnapshot(id);
      return snapshot ? statusOf(snapshot, clock.now()) : undefined;
    },

    isProcessTerminated: isTerminated,

    isProcessFinished(id) {
      const snapshot = processSnapshot(id);
      return snapshot !== undefined && phaseOf(snapshot) === 'finished';
    },

    health() {
      const children = Object.values(actor.getSnapshot().children);
      return healthOf(
        children.map((child) => child!.getSnapshot() as ProcessSnapshotLike),
        clock.now(),
      );
    },

    syncKnownProcesses(ids) {
      actor.send({ type: 'processes.syncKnown', ids: [...ids] });
      const phases: Record<string, Phase> = {};
      for (const [id, child] of Object.entries(actor.getSnapshot().children)) if (child) phases[id] = phaseOf(child.getSnapshot());
      for (const id of [...watched.keys()]) if (!(id in phases)) forget(id);
      return phases;
    },

    shutdown(shutdownOptions = {}) {
      if (shuttingDown) return shuttingDown;
      const timeoutMs = shutdownOptions.timeoutMs ?? deadlines.shutdownMs;
      shuttingDown = (async () => {
        const done = toPromise(actor);
        actor.send({ type: 'shutdown', deadlineMs: timeoutMs });
        const report = await done;
        for (const id of [...watched.keys()]) forget(id);
        completions.settleAll(false);
        if (report.deadlineExceeded) {
          logger.error({ pending: report.pending, timeoutMs }, 'shutdown deadline exceeded');
          throw new ShutdownDeadlineError(timeoutMs, report.pending);
        }
        logger.info({}, 'shutdown completed');
      })();
      return shuttingDown;
    },
  };
}
