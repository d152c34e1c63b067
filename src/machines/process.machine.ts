/**
 * The process chart: one actor per managed process, from its first sync to its last cleanup.
 *
 *   starting     the run has begun but the workload is not confirmed up. `queued` waits one
 *                scheduler turn so that a terminate sent together with the create wins before
 *                any hook runs (rule 6); `running` invokes the sync hook with updateType
 *                'create'; its errors retry from `retrying` with jittered exponential backoff.
 *   syncing      the workload should be up. `idle` waits for the resync interval or an update;
 *                `running` invokes the sync hook. Updates that arrive during a sync coalesce
 *                into one pending update (rule 1). `terminal: true` starts termination at once
 *                (rule 5); so does `workload.exited`, the fact a runtime sends when the
 *                workload ends by itself. Syncing is parallel: beside the `sync` region, the
 *                `health` region runs the health check's probe actor every interval, judges
 *                its results (health-verdict.ts), and terminates the run when restart_after
 *                failures or start_timeout without a healthy verdict say so.
 *   terminating  invokes the terminating hook with the grace period; after the grace period the
 *                hook is abandoned (its AbortSignal fires) and the chart moves on. A terminate
 *                with a shorter grace period re-enters the phase: the running hook is cancelled
 *                and re-run with the new value (rule 3). Once here, every update is a terminate
 *                (rule 2): it may shorten the grace period, nothing else.
 *   terminated   invokes the cleanup hook, then the restart guard (restart-policy.ts) decides:
 *                `waitingRestart` loops back to starting through the named `restartDelay`, or
 *                the run ends in finished.
 *   finished     final for this run, with an outcome (stopped, exited, failed). Updates are
 *                ignored; `start` begins a new run.
 *
 * Who sends what: the supervisor routes `update` and `terminate` from the API; a runtime's
 * workload watcher sends `workload.exited`; only a user's explicit start sends `start`. The chart
 * does no I/O and owns no timers: hooks are invoked actors provided by the embedding (a syncer)
 * or by the exec runtime, and every wait is a named delay run by the actor system's clock.
 * Facts (phase changes, queue activity, restarts) go to the parent and are emitted locally.
 */
import { assign, enqueueActions, setup, fromPromise } from 'xstate';
import { backoffDelay, defaultBackoff, nextSeed, sampleOf } from './backoff.js';
import { decideRestart, defaultRestartPolicy, pruneStarts, type RunEnding } from './restart-policy.js';
import { judgeProbe, probeRecordOf, reconfiguredHealth } from './health-verdict.js';
import { describeExit } from './exit-status.js';
import type {
  HookOutput,
  Phase,
  ProbeInput,
  ProbeOutput,
  ProcessContext,
  ProcessEvent,
  ProcessFact,
  ProcessInput,
  SyncInput,
  SyncOutput,
  TerminatedInput,
  TerminatingInput,
  TerminationReason,
  UpdateType,
} from './process-types.js';

/** The smallest grace period a terminate may ask for (rule 3). */
export const minGracePeriodSecs = 1;
export const defaultGracePeriodSecs = 30;
export const defaultResyncIntervalMs = 10_000;
export const defaultCancelledRetryMs = 100;

/** Newest wins, but a pending config change is never downgraded to a plain resync. */
function coalesce(pending: UpdateType | undefined, next: UpdateType): UpdateType {
  const rank: Record<UpdateType, number> = { sync: 0, update: 1, create: 2 };
  return pending !== undefined && rank[pending] > rank[next] ? pending : next;
}

function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

/** A sync that was cancelled (not by this chart: then it is stopped and its result dropped). */
export function isCancellation(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { name, code } = error as { name?: unknown; code?: unknown };
  return name === 'AbortError' || code === 'ABORT_ERR' || code === 'E_CANCELLED';
}

/** The workload could not be started (a missing binary, a bad user): a failed run, not a retry. */
export function isStartFailure(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'E_START_FAILED';
}

function clampGrace(secs: number | undefined, fallback: number): number {
  if (secs === undefined || !Number.isFinite(secs)) return Math.max(minGracePeriodSecs, fallback);
  return Math.max(minGracePeriodSecs, secs);
}

export function initialProcessContext(input: ProcessInput): ProcessContext {
  const defaultGrace = clampGrace(input.defaultGracePeriodSecs, defaultGracePeriodSecs);
  return {
    id: input.id,
    config: input.config,
    updateType: 'create',
    pending: undefined,
    resyncIntervalMs: input.resyncIntervalMs ?? defaultResyncIntervalMs,
    backoff: { ...defaultBackoff, ...input.backoff },
    cancelledRetryMs: input.cancelledRetryMs ?? defaultCancelledRetryMs,
    defaultGracePeriodSecs: defaultGrace,
    gracePeriodSecs: defaultGrace,
    restart: { ...defaultRestartPolicy, ...input.restart },
    healthCheck: input.healthCheck,
    startTimeoutMs: input.startTimeoutMs ?? 0,
    health: input.healthCheck === undefined ? 'unknown' : 'starting',
    healthFailures: 0,
    healthSuccesses: 0,
    everHealthy: false,
    healthGated: input.healthCheck !== undefined,
    inStartPeriod: false,
    lastProbe: undefined,
    termination: undefined,
    stopRequested: false,
    exit: undefined,
    synced: false,
    consecutiveErrors: 0,
    errorCount: 0,
    lastError: undefined,
    retryDelayMs: 0,
    seed: nextSeed(input.seed ?? 0x2545f491),
    runCount: 0,
    restartCount: 0,
    failureStreak: 0,
    recentStarts: [],
    startedAt: undefined,
    lastSyncAt: undefined,
    endedAt: undefined,
    decision: undefined,
    lastExit: undefined,
    lastDecision: undefined,
    runCause: 'start',
    outcome: undefined,
  };
}

/** Done and error events of invoked hooks are not in ProcessEvent; these read them. */
function outputOf<T>(event: unknown): T {
  return (event as { output: T }).output;
}
function errorOf(event: unknown): unknown {
  return (event as { error: unknown }).error;
}

export const processMachine = setup({
  types: {
    context: {} as ProcessContext,
    events: {} as ProcessEvent,
    input: {} as ProcessInput,
    emitted: {} as ProcessFact,
    tags: {} as 'queued' | 'hookRunning',
  },
  actors: {
    // Defaults do nothing: the embedding API and the exec runtime provide the real hooks.
    syncProcess: fromPromise<SyncOutput, SyncInput>(async () => ({ terminal: false, at: Date.now() })),
    syncTerminatingProcess: fromPromise<HookOutput, TerminatingInput>(async () => ({ at: Date.now() })),
    syncTerminatedProcess: fromPromise<HookOutput, TerminatedInput>(async () => ({ at: Date.now() })),
    // No default verdict: a health check without a probe to run it fails, visibly.
    probeHealth: fromPromise<ProbeOutput, ProbeInput>(async () => {
      throw new Error('no health probe is provided for this process');
    }),
  },
  delays: {
    /** One scheduler turn before the first sync of a run: lets a racing terminate win. */
    queueDelay: 0,
    resyncInterval: ({ context }) => context.resyncIntervalMs,
    retryBackoff: ({ context }) => context.retryDelayMs,
    gracePeriod: ({ context }) => context.gracePeriodSecs * 1000,
    restartDelay: ({ context }) => (context.decision?.restart ? context.decision.delayMs : 0),
    healthInterval: ({ context }) => context.healthCheck?.intervalMs ?? 0,
    probeTimeout: ({ context }) => context.healthCheck?.timeoutMs ?? 0,
    healthStartPeriod: ({ context }) => context.healthCheck?.startPeriodMs ?? 0,
    startTimeout: ({ context }) => context.startTimeoutMs,
  },
  guards: {
    isTerminal: ({ event }) => outputOf<SyncOutput>(event).terminal,
    hasPending: ({ context }) => context.pending !== undefined,
    resyncDisabled: ({ context }) => context.resyncIntervalMs <= 0,
    wasCancelled: ({ event }) => isCancellation(errorOf(event)),
    isStartFailure: ({ event }) => isStartFailure(errorOf(event)),
    shortensGrace: ({ context, event }) =>
      event.type === 'terminate' &&
      event.gracePeriodSecs !== undefined &&
      clampGrace(event.gracePeriodSecs, context.gracePeriodSecs) < context.gracePeriodSecs,
    willRestart: ({ context }) => context.decision?.restart === true,
    restartIsImmediate: ({ context }) => context.decision?.restart === true && context.decision.delayMs === 0,
    noHealthCheck: ({ context }) => context.healthCheck === undefined,
    noStartDeadline: ({ context }) => context.startTimeoutMs <= 0 || !context.healthGated || context.everHealthy,
    everHealthy: ({ context }) => context.everHealthy,
    noStartPeriod: ({ context }) => (context.healthCheck?.startPeriodMs ?? 0) <= 0,
    changesHealthCheck: ({ event }) => event.type === 'reconfigure' && event.settings.healthCheck !== undefined,
    unhealthyRestartDue: ({ context }) =>
      context.healthCheck !== undefined &&
      context.healthCheck.restartAfter > 0 &&
      context.healthFailures >= context.healthCheck.restartAfter,
  },
  actions: {
    report: enqueueActions(({ enqueue, self }, fact: ProcessFact) => {
      enqueue.emit(fact);
      if (self._parent) enqueue.sendTo(self._parent, fact);
    }),
    beginRun: assign(({ context }) => ({
      runCount: context.runCount + 1,
      updateType: 'create' as const,
      pending: undefined,
      termination: undefined,
      stopRequested: false,
      exit: undefined,
      synced: false,
      consecutiveErrors: 0,
      gracePeriodSecs: context.defaultGracePeriodSecs,
      startedAt: undefined,
      endedAt: undefined,
      decision: undefined,
      outcome: undefined,
      health: context.healthCheck === undefined ? ('unknown' as const) : ('starting' as const),
      healthFailures: 0,
      healthSuccesses: 0,
      everHealthy: false,
      healthGated: context.healthCheck !== undefined,
      inStartPeriod: false,
      lastProbe: undefined,
    })),
    rememberUpdate: assign(({ context, event }) => {
      if (event.type !== 'update' && event.type !== 'start') return {};
      return {
        config: event.config === undefined ? context.config : event.config,
        pending: coalesce(context.pending, event.type === 'update' ? event.updateType : 'create'),
        ...(event.type === 'start' && { runCause: 'start' as const }),
      };
    }),
    keepConfig: assign(({ context, event }) =>
      'config' in event && event.config !== undefined ? { config: event.config } : { config: context.config },
    ),
    queueResync: assign(({ context }) => ({ pending: coalesce(context.pending, 'sync') })),
    takePending: assign(({ context }) => ({
      updateType: context.pending ?? context.updateType,
      pending: undefined,
    })),
    recordSync: assign(({ context, event }) => {
      const { at, startedAt } = outputOf<SyncOutput>(event);
      const first = !context.synced;
      return {
        synced: true,
        consecutiveErrors: 0,
        lastSyncAt: at,
        startedAt: first ? (startedAt ?? at) : context.startedAt,
        recentStarts: first ? [...pruneStarts(context.recentStarts, at, context.restart), at] : context.recentStarts,
      };
    }),
    recordTerminal: assign(({ context, event }) => {
      const { at } = outputOf<SyncOutput>(event);
      return {
        termination: context.termination ?? ('terminal' as const),
        exit: context.exit ?? { exitCode: 0, signal: null, at },
        lastSyncAt: at,
      };
    }),
    recordExit: assign(({ context, event }) => {
      if (event.type !== 'workload.exited') return {};
      return {
        termination: context.termination ?? ('exited' as const),
        exit: context.exit ?? {
          exitCode: event.exitCode,
          signal: event.signal,
          at: event.at,
          ...(event.cause !== undefined && { cause: event.cause }),
        },
      };
    }),
    requestTermination: assign(({ context, event }) => {
      if (event.type !== 'terminate') return {};
      const reason: TerminationReason = event.reason ?? 'requested';
      return {
        termination: context.termination === undefined || context.termination === 'exited' || context.termination === 'terminal'
          ? reason
          : context.termination,
        stopRequested: true,
        config: event.config === undefined ? context.config : event.config,
        gracePeriodSecs: Math.min(context.gracePeriodSecs, clampGrace(event.gracePeriodSecs, context.gracePeriodSecs)),
      };
    }),
    scheduleRetry: assign(({ context, event }) => {
      const error = errorOf(event);
      const attempt = context.consecutiveErrors + 1;
      const seed = nextSeed(context.seed);
      return {
        consecutiveErrors: attempt,
        errorCount: context.errorCount + 1,
        lastError: errorMessage(error),
        retryDelayMs: backoffDelay(attempt, context.backoff, sampleOf(seed)),
        seed,
      };
    }),
    recordStartFailure: assign(({ context, event }) => {
      const error = errorOf(event);
      const stamped = (error as { at?: unknown }).at;
      const at = typeof stamped === 'number' ? stamped : (context.lastSyncAt ?? 0);
      const message = errorMessage(error);
      return {
        termination: context.termination ?? ('exited' as const),
        exit: { exitCode: null, signal: null, at, error: message },
        lastError: message,
        errorCount: context.errorCount + 1,
        startedAt: at,
        recentStarts: [...pruneStarts(context.recentStarts, at, context.restart), at],
      };
    }),
    reconfigure: assign(({ context, event }) => {
      if (event.type !== 'reconfigure') return {};
      const { restart, defaultGracePeriodSecs, resyncIntervalMs, healthCheck, startTimeoutMs } = event.settings;
      const grace = defaultGracePeriodSecs === undefined ? undefined : clampGrace(defaultGracePeriodSecs, defaultGracePeriodSecs);
      return {
        restart: restart === undefined ? context.restart : { ...context.restart, ...restart },
        defaultGracePeriodSecs: grace ?? context.defaultGracePeriodSecs,
        resyncIntervalMs: resyncIntervalMs ?? context.resyncIntervalMs,
        startTimeoutMs: startTimeoutMs ?? context.startTimeoutMs,
        ...(healthCheck !== undefined && reconfiguredHealth(context, healthCheck)),
      };
    }),
    scheduleFastRetry: assign(({ context }) => ({ retryDelayMs: context.cancelledRetryMs })),
    beginStartPeriod: assign({ inStartPeriod: true }),
    endStartPeriod: assign({ inStartPeriod: false }),
    /** One probe's result, whichever way it came: counted, and reported if health changed. */
    recordProbe: enqueueActions(({ context, event, enqueue, self }) => {
      const { changes, fact } = judgeProbe(context, probeRecordOf(context, event));
      enqueue.assign(changes);
      if (fact === undefined) return;
      enqueue.emit(fact);
      if (self._parent) enqueue.sendTo(self._parent, fact);
    }),
    requestUnhealthyRestart: assign(({ context }) => ({
      termination: context.termination ?? ('unhealthy' as const),
    })),
    requestStartTimeout: assign(({ context }) => ({
      termination: context.termination ?? ('start-timeout' as const),
    })),
    decide: assign(({ context, event }) => {
      const { at } = outputOf<HookOutput>(event);
      const seed = nextSeed(context.seed);
      const ending: RunEnding =
        context.termination === 'unhealthy' && !context.stopRequested
          ? { kind: 'unhealthy', failures: context.healthFailures }
          : context.termination === 'start-timeout' && !context.stopRequested
          ? { kind: 'start-timeout', timeoutMs: context.startTimeoutMs }
          : context.stopRequested || context.exit === undefined
          ? { kind: 'stopped' }
          : {
              kind: 'exited',
              exitCode: context.exit.exitCode,
              signal: context.exit.signal,
              // Never negative: a start stamped after the exit (a wall clock stepped back, stamps
              // taken in a race) is an uptime of 0, not "after -1 ms".
              uptimeMs: Math.max(0, context.exit.at - (context.startedAt ?? context.exit.at)),
              ...(context.exit.error !== undefined && { error: context.exit.error }),
              ...(context.exit.cause !== undefined && { cause: context.exit.cause }),
            };
      const decision = decideRestart(
        ending,
        context.restart,
        { failureStreak: context.failureStreak, recentStarts: context.recentStarts, now: at },
        sampleOf(seed),
      );
      return {
        decision,
        lastDecision: decision,
        lastExit: context.exit ?? context.lastExit,
        seed,
        endedAt: at,
        failureStreak: decision.failureStreak,
      };
    }),
    countRestart: assign(({ context }) => ({ restartCount: context.restartCount + 1, runCause: 'restart' as const })),
    finish: assign(({ context }) => ({
      outcome: !context.stopRequested && context.decision?.restart === false ? context.decision.outcome : 'stopped',
    })),
  },
}).createMachine({
  id: 'process',
  context: ({ input }) => initialProcessContext(input),
  initial: 'starting',
  on: {
    // Hot settings apply in every state; the next decision or delay that reads them sees them.
    reconfigure: { actions: 'reconfigure' },
  },
  states: {
    starting: {
      entry: [
        'beginRun',
        { type: 'report', params: ({ context }) => phaseFact(context, 'starting', `run ${context.runCount}`) },
      ],
      initial: 'queued',
      on: {
        update: { actions: 'rememberUpdate' },
        terminate: { target: 'terminating', actions: 'requestTermination' },
        'workload.exited': { target: 'terminating', actions: 'recordExit' },
      },
      states: {
        queued: {
          tags: 'queued',
          entry: { type: 'report', params: ({ context }) => queueFact(context, 0, 'start') },
          after: { queueDelay: 'running' },
        },
        running: {
          tags: 'hookRunning',
          entry: assign({ updateType: 'create' as const, pending: undefined }),
          invoke: {
            src: 'syncProcess',
            input: ({ context }) => ({
              id: context.id,
              updateType: context.updateType,
              config: context.config,
              restart: context.runCause === 'restart',
            }),
            onDone: [
              { guard: 'isTerminal', target: '#process.terminating', actions: ['recordSync', 'recordTerminal'] },
              { target: '#process.syncing', actions: 'recordSync' },
            ],
            onError: [
              { guard: 'isStartFailure', target: '#process.terminated', actions: 'recordStartFailure' },
              { guard: 'wasCancelled', target: 'retrying', actions: 'scheduleFastRetry' },
              { target: 'retrying', actions: 'scheduleRetry' },
            ],
          },
        },
        retrying: {
          tags: 'queued',
          entry: { type: 'report', params: ({ context }) => retryFact(context, 'starting') },
          after: { retryBackoff: 'running' },
        },
      },
    },

    syncing: {
      entry: { type: 'report', params: ({ context }) => phaseFact(context, 'syncing', 'first sync succeeded') },
      type: 'parallel',
      on: {
        terminate: { target: 'terminating', actions: 'requestTermination' },
        'workload.exited': { target: 'terminating', actions: 'recordExit' },
      },
      states: {
        /** Keeping the workload in step with its config: resyncs and coalesced updates. */
        sync: {
          initial: 'settled',
          states: {
            /** After each sync: sync again, wait for the next resync, or (no resync interval) just wait. */
            settled: {
              always: [
                { guard: 'hasPending', target: 'running' },
                { guard: 'resyncDisabled', target: 'steady' },
                { target: 'idle' },
              ],
            },
            /** Synced; no periodic resync (an OS process reports its exit as an event). */
            steady: {
              on: { update: { target: 'running', actions: 'rememberUpdate' } },
            },
            idle: {
              tags: 'queued',
              entry: {
                type: 'report',
                params: ({ context }) => queueFact(context, context.resyncIntervalMs, 'resync'),
              },
              after: { resyncInterval: { target: 'running', actions: 'queueResync' } },
              on: { update: { target: 'running', actions: 'rememberUpdate' } },
            },
            running: {
              tags: 'hookRunning',
              entry: 'takePending',
              on: { update: { actions: 'rememberUpdate' } },
              invoke: {
                src: 'syncProcess',
                input: ({ context }) => ({ id: context.id, updateType: context.updateType, config: context.config, restart: false }),
                onDone: [
                  { guard: 'isTerminal', target: '#process.terminating', actions: ['recordSync', 'recordTerminal'] },
                  { guard: 'hasPending', target: 'running', reenter: true, actions: 'recordSync' },
                  { target: 'settled', actions: 'recordSync' },
                ],
                onError: [
                  { guard: 'wasCancelled', target: 'retrying', actions: 'scheduleFastRetry' },
                  { target: 'retrying', actions: 'scheduleRetry' },
                ],
              },
            },
            retrying: {
              tags: 'queued',
              entry: { type: 'report', params: ({ context }) => retryFact(context, 'syncing') },
              on: { update: { actions: 'rememberUpdate' } },
              after: { retryBackoff: 'running' },
            },
          },
        },
        /**
         * The health check, when there is one: a probe every interval, judged against the
         * thresholds; restart_after failures in a row stop the run through terminating, to be
         * started again. A reconfigure that changes the check starts this region over.
         */
        health: {
          initial: 'deciding',
          on: {
            reconfigure: { guard: 'changesHealthCheck', target: 'health', reenter: true, actions: 'reconfigure' },
          },
          states: {
            deciding: {
              always: [{ guard: 'noHealthCheck', target: 'off' }, { target: 'checking' }],
            },
            off: {},
            checking: {
              type: 'parallel',
              states: {
                /** Failures within start_period are not counted; a success is. */
                startPeriod: {
                  initial: 'entering',
                  states: {
                    entering: { always: [{ guard: 'noStartPeriod', target: 'over' }, { target: 'running' }] },
                    running: {
                      entry: 'beginStartPeriod',
                      after: { healthStartPeriod: 'over' },
                    },
                    over: { entry: 'endStartPeriod' },
                  },
                },
                /** A health-gated run must be healthy within start_timeout, or it failed to start. */
                startDeadline: {
                  initial: 'deciding',
                  states: {
                    deciding: { always: [{ guard: 'noStartDeadline', target: 'met' }, { target: 'running' }] },
                    running: {
                      always: { guard: 'everHealthy', target: 'met' },
                      after: { startTimeout: { target: '#process.terminating', actions: 'requestStartTimeout' } },
                    },
                    met: {},
                  },
                },
                probes: {
                  initial: 'probing',
                  states: {
                    waiting: { after: { healthInterval: 'probing' } },
                    probing: {
                      invoke: {
                        src: 'probeHealth',
                        input: ({ context }) => ({
                          id: context.id,
                          config: context.config,
                          timeoutMs: context.healthCheck?.timeoutMs ?? 0,
                        }),
                        onDone: { target: 'judged', actions: 'recordProbe' },
                        onError: { target: 'judged', actions: 'recordProbe' },
                      },
                      // Leaving the state stops the probe actor: its signal aborts what it started.
                      after: { probeTimeout: { target: 'judged', actions: 'recordProbe' } },
                    },
                    judged: {
                      always: [
                        { guard: 'unhealthyRestartDue', target: '#process.terminating', actions: 'requestUnhealthyRestart' },
                        { target: 'waiting' },
                      ],
                    },
                  },
                },
              },
            },
          },
        },
      },
    },

    terminating: {
      entry: {
        type: 'report',
        params: ({ context }) => phaseFact(context, 'terminating', terminatingReason(context)),
      },
      initial: 'running',
      on: {
        terminate: [
          { guard: 'shortensGrace', target: 'terminating', reenter: true, actions: 'requestTermination' },
          { actions: 'requestTermination' },
        ],
        update: { actions: 'keepConfig' },
        'workload.exited': { actions: 'recordExit' },
      },
      after: { gracePeriod: '#process.terminated' },
      states: {
        running: {
          tags: 'hookRunning',
          invoke: {
            src: 'syncTerminatingProcess',
            input: ({ context }) => ({
              id: context.id,
              config: context.config,
              gracePeriodSecs: context.gracePeriodSecs,
              reason: context.termination ?? 'requested',
            }),
            onDone: '#process.terminated',
            onError: { target: 'retrying', actions: 'scheduleRetry' },
          },
        },
        retrying: {
          tags: 'queued',
          entry: { type: 'report', params: ({ context }) => retryFact(context, 'terminating') },
          after: { retryBackoff: 'running' },
        },
      },
    },

    terminated: {
      entry: { type: 'report', params: ({ context }) => phaseFact(context, 'terminated', 'cleaning up') },
      initial: 'cleaning',
      on: {
        update: { actions: 'keepConfig' },
        terminate: { actions: 'requestTermination' },
        'workload.exited': { actions: 'recordExit' },
      },
      states: {
        cleaning: {
          tags: 'hookRunning',
          invoke: {
            src: 'syncTerminatedProcess',
            input: ({ context }) => ({ id: context.id, config: context.config, exit: context.exit }),
            onDone: { target: 'deciding', actions: 'decide' },
            onError: { target: 'retrying', actions: 'scheduleRetry' },
          },
        },
        retrying: {
          tags: 'queued',
          entry: { type: 'report', params: ({ context }) => retryFact(context, 'terminated') },
          after: { retryBackoff: 'cleaning' },
        },
        deciding: {
          always: [{ guard: 'willRestart', target: 'waitingRestart' }, { target: '#process.finished' }],
        },
        waitingRestart: {
          tags: 'queued',
          entry: [
            'countRestart',
            {
              type: 'report',
              params: ({ context }) => ({
                type: 'process.restarting',
                id: context.id,
                delayMs: context.decision?.restart ? context.decision.delayMs : 0,
                reason: context.decision?.reason ?? '',
              }),
            },
            {
              type: 'report',
              params: ({ context }) =>
                queueFact(context, context.decision?.restart ? context.decision.delayMs : 0, 'restart'),
            },
          ],
          // A zero delay restarts in the same macrostep: no timer, no extra event-loop turn.
          always: { guard: 'restartIsImmediate', target: '#process.starting.running' },
          after: { restartDelay: '#process.starting.running' },
          on: {
            terminate: { target: '#process.finished', actions: 'requestTermination' },
          },
        },
      },
    },

    finished: {
      entry: [
        'finish',
        {
          type: 'report',
          params: ({ context }) => phaseFact(context, 'finished', endReason(context)),
        },
        {
          type: 'report',
          params: ({ context }) => ({
            type: 'run.ended',
            id: context.id,
            outcome: context.outcome ?? 'stopped',
            reason: endReason(context),
          }),
        },
      ],
      on: {
        start: { target: 'starting', actions: 'rememberUpdate' },
      },
    },
  },
});

/**
 * Why the run is terminating. A workload that exited by itself is already gone (the phase only
 * stops what is left of its group): the reason is how it exited, not a stop's grace period.
 */
function terminatingReason(context: ProcessContext): string {
  if (context.termination === 'exited' && context.exit !== undefined) return describeExit(context.exit);
  return `${context.termination ?? 'requested'}, grace period ${context.gracePeriodSecs} s`;
}

/** Why the run ended: a requested stop wins over whatever the restart guard had decided. */
function endReason(context: ProcessContext): string {
  if (context.stopRequested) return `stopped on request (${context.termination ?? 'requested'})`;
  return context.decision?.reason ?? 'stopped';
}

function phaseFact(context: ProcessContext, to: Phase, reason: string): ProcessFact {
  return { type: 'phase.changed', id: context.id, phase: to, reason };
}

function queueFact(
  context: ProcessContext,
  delayMs: number,
  why: 'start' | 'resync' | 'retry' | 'restart',
): ProcessFact {
  return { type: 'queue.added', id: context.id, delayMs, why };
}

function retryFact(context: ProcessContext, phase: Phase): ProcessFact {
  return {
    type: 'queue.retried',
    id: context.id,
    delayMs: context.retryDelayMs,
    phase,
    error: context.lastError ?? 'cancelled',
  };
}

export type ProcessMachine = typeof processMachine;
