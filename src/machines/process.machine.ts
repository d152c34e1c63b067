/**
 * The process chart: one actor per managed process, from its first sync to its last cleanup.
 * Substates are named for what they wait on: a hook (`syncHook`, `stopHook`, `cleanupHook`, the
 * health `probe`), a named delay (`syncRetry` and its kin wait on `retryBackoff`, `restartDelay`,
 * `resyncInterval`, …), or an event (`awaitingUpdate`); a transient state is named for the
 * question it answers (`restartGuard`, `hasCheck`).
 *
 *   starting     the run has begun but the workload is not confirmed up. `queued` waits one
 *                scheduler turn so that a terminate sent together with the create wins before
 *                any hook runs (rule 6); `waitingForDependencies` waits for the processes this
 *                one starts after, or fails the run when a requirement failed;
 *                `waitingForConnection` waits for a client (start_on: connection);
 *                `conditionCheck` (unmet: the run is skipped, finished
 *                EXITED), `startPreHook` (a failure is a failed start), `syncHook` invokes the
 *                sync hook with updateType 'create' (its errors retry from `syncRetry` with
 *                jittered exponential backoff), `startPostHook` (a failure stops the workload as
 *                a failed start). A stage without work (ProcessSettings.stages) is left by a
 *                transient guard, invoking nothing. Without a health check, start_timeout runs
 *                from conditionCheck to syncing (a delayed `start.deadline`, cancelled on exit).
 *   syncing      the workload should be up. `resyncInterval` waits for the next resync or an
 *                update; `syncHook` invokes the sync hook. Updates that arrive during a sync
 *                coalesce into one pending update (rule 1). `terminal: true` starts termination
 *                at once (rule 5); so does `workload.exited`, the fact a runtime sends when the
 *                workload ends by itself. Syncing is parallel: beside the `sync` region, the
 *                `health` region runs the health check's probe actor every interval, judges
 *                its results (health-verdict.ts), and terminates the run when restart_after
 *                failures or start_timeout without a healthy verdict say so.
 *   terminating  `stopHook` invokes the terminating hook with the grace period; after the grace
 *                period the hook is abandoned (its AbortSignal fires) and the chart moves on. A
 *                terminate with a shorter grace period re-enters the phase: the running hook is
 *                cancelled and re-run with the new value (rule 3). Once here, every update is a
 *                terminate (rule 2): it may shorten the grace period, nothing else.
 *   terminated   `cleanupHook` invokes the cleanup hook, `stopPostHook` the stop-post hooks (a
 *                run that got past its conditions), then the `restartGuard`
 *                (restart-policy.ts) decides: `restartDelay` loops back to starting through the
 *                named delay of that name, or the run ends in finished.
 *   finished     final for this run, with an outcome (stopped, exited, failed). Updates are
 *                ignored; `start` begins a new run.
 *
 * Who sends what: the supervisor routes `update` and `terminate` from the API; a runtime's
 * workload watcher sends `workload.exited`; only a user's explicit start sends `start`. The chart
 * does no I/O and owns no timers: hooks are invoked actors provided by the embedding (a syncer)
 * or by the exec runtime, and every wait is a named delay run by the actor system's clock. Its
 * arithmetic is in process-context.ts; the tags that say what a person sees, in process-state.ts.
 * Facts (phase changes, queue activity, restarts) are emitted, and sent to the supervisor that
 * spawned the actor (`reportsToParent` in its input).
 */
import { assign, cancel, enqueueActions, setup, fromCallback, fromPromise } from 'xstate';
import { judgeProbe, probeRecordOf, reconfiguredHealth, type ProbeOutcome } from './health-verdict.js';
import {
  beganRun,
  decided,
  endReason,
  failedDependency,
  finishedOutcome,
  isCancellation,
  isStartFailure,
  initialProcessContext,
  recordedExit,
  recordedStartFailure,
  recordedStopPostFailure,
  skippedRun,
  recordedSync,
  recordedTerminal,
  reconfigured,
  rememberedUpdate,
  requestedTermination,
  restartDelayMs,
  scheduledRetry,
  shortensGrace,
  terminatingReason,
  coalesce,
} from './process-context.js';
import type { StateTag } from './process-state.js';
import type {
  ConditionOutput,
  DependenciesInput,
  HookError,
  HookOutput,
  Phase,
  ProbeInput,
  ProbeOutput,
  ProcessContext,
  ProcessEvent,
  ProcessFact,
  ProcessInput,
  StageInput,
  StopPostInput,
  SyncInput,
  SyncOutput,
  TerminatedInput,
  TerminatingInput,
  ConnectionInput,
} from './process-types.js';

/** The delayed event of a run's start deadline, cancelled when the run leaves `starting`. */
const startDeadlineId = 'startDeadline';

export const processMachine = setup({
  types: {
    context: {} as ProcessContext,
    events: {} as ProcessEvent,
    input: {} as ProcessInput,
    emitted: {} as ProcessFact,
    tags: {} as 'queued' | 'hookRunning' | StateTag,
  },
  actors: {
    // Defaults do nothing: the embedding API and the exec runtime provide the real hooks.
    syncProcess: fromPromise<SyncOutput, SyncInput>(async () => ({ terminal: false, at: Date.now() })),
    syncTerminatingProcess: fromPromise<HookOutput, TerminatingInput>(async () => ({ at: Date.now() })),
    syncTerminatedProcess: fromPromise<HookOutput, TerminatedInput>(async () => ({ at: Date.now() })),
    // Without a runtime that holds sockets there is nothing to wait on: start at once.
    waitForConnection: fromPromise<HookOutput, ConnectionInput>(async () => ({ at: Date.now() })),
    // Ready at once: the daemon provides the real wait (server/dependencies.ts).
    awaitDependencies: fromCallback<ProcessEvent, DependenciesInput>(({ sendBack }) => {
      sendBack({ type: 'dependencies.ready' });
    }),
    // No default verdict: a health check without a probe to run it fails, visibly.
    probeHealth: fromPromise<ProbeOutput, ProbeInput>(async () => {
      throw new Error('no health probe is provided for this process');
    }),
    // The optional stages: an embedding that provides none has no conditions and no hooks.
    checkConditions: fromPromise<ConditionOutput, StageInput>(async () => ({ met: true, at: Date.now() })),
    runStartPreHooks: fromPromise<HookOutput, StageInput>(async () => ({ at: Date.now() })),
    runStartPostHooks: fromPromise<HookOutput, StageInput>(async () => ({ at: Date.now() })),
    runStopPostHooks: fromPromise<HookOutput, StopPostInput>(async () => ({ at: Date.now() })),
  },
  delays: {
    /** One scheduler turn before the first sync of a run: lets a racing terminate win. */
    queueDelay: 0,
    resyncInterval: ({ context }) => context.resyncIntervalMs,
    retryBackoff: ({ context }) => context.retryDelayMs,
    gracePeriod: ({ context }) => context.gracePeriodSecs * 1000,
    restartDelay: ({ context }) => restartDelayMs(context),
    healthInterval: ({ context }) => context.healthCheck?.intervalMs ?? 0,
    probeTimeout: ({ context }) => context.healthCheck?.timeoutMs ?? 0,
    healthStartPeriod: ({ context }) => context.healthCheck?.startPeriodMs ?? 0,
    startTimeout: ({ context }) => context.startTimeoutMs,
  },
  guards: {
    isTerminal: (_, output: SyncOutput) => output.terminal,
    hasPending: ({ context }) => context.pending !== undefined,
    resyncDisabled: ({ context }) => context.resyncIntervalMs <= 0,
    startsWithoutConnection: ({ context }) => !context.startOnConnection,
    wasCancelled: (_, { error }: HookError) => isCancellation(error),
    isStartFailure: (_, { error }: HookError) => isStartFailure(error),
    shortensGrace: ({ context, event }) => shortensGrace(context, event),
    willRestart: ({ context }) => context.decision?.restart === true,
    restartIsImmediate: ({ context }) => context.decision?.restart === true && context.decision.delayMs === 0,
    noHealthCheck: ({ context }) => context.healthCheck === undefined,
    noDependencies: ({ context }) => !context.awaitsDependencies,
    noStartDeadline: ({ context }) => context.startTimeoutMs <= 0 || !context.healthGated || context.everHealthy,
    everHealthy: ({ context }) => context.everHealthy,
    noStartPeriod: ({ context }) => (context.healthCheck?.startPeriodMs ?? 0) <= 0,
    noConditions: ({ context }) => !context.stages.conditionCheck,
    conditionFailed: (_, output: ConditionOutput) => !output.met,
    noStartPre: ({ context }) => !context.stages.startPre,
    noStartPost: ({ context }) => !context.stages.startPost,
    /** Nothing to run after the stop, or nothing was started to run it for (a terminate that won the queue). */
    noStopPost: ({ context }) => !context.stages.stopPost || !context.startAttempted,
    changesHealthCheck: ({ event }) => event.type === 'reconfigure' && event.settings.healthCheck !== undefined,
    unhealthyRestartDue: ({ context }) =>
      context.healthCheck !== undefined &&
      context.healthCheck.restartAfter > 0 &&
      context.healthFailures >= context.healthCheck.restartAfter,
  },
  actions: {
    report: enqueueActions(({ context, enqueue }, fact: ProcessFact) => tell(enqueue, context, fact)),
    /** A phase begins: remembered, so that its fact says where it came from. */
    enterPhase: enqueueActions(({ context, enqueue }, { phase, reason }: { phase: Phase; reason: string }) => {
      enqueue.assign({ phase });
      tell(enqueue, context, { type: 'phase.changed', id: context.id, from: context.phase ?? null, phase, reason });
    }),
    beginRun: assign(({ context }) => beganRun(context)),
    /** A run's first sync is a create, whatever updates came before it; they are all in its config. */
    beginFirstSync: assign({ updateType: 'create' as const, pending: undefined }),
    rememberUpdate: assign(({ context, event }) =>
      event.type === 'update' || event.type === 'start' ? rememberedUpdate(context, event) : {},
    ),
    keepConfig: assign(({ context, event }) =>
      'config' in event && event.config !== undefined ? { config: event.config } : { config: context.config },
    ),
    queueResync: assign(({ context }) => ({ pending: coalesce(context.pending, 'sync') })),
    takePending: assign(({ context }) => ({
      updateType: context.pending ?? context.updateType,
      pending: undefined,
    })),
    recordSync: assign(({ context }, output: SyncOutput) => recordedSync(context, output)),
    recordTerminal: assign(({ context }, output: SyncOutput) => recordedTerminal(context, output)),
    recordExit: assign(({ context, event }) => (event.type === 'workload.exited' ? recordedExit(context, event) : {})),
    requestTermination: assign(({ context, event }) => (event.type === 'terminate' ? requestedTermination(context, event) : {})),
    scheduleRetry: assign(({ context }, { error }: HookError) => scheduledRetry(context, error)),
    recordStartFailure: assign(({ context }, { error }: HookError) => recordedStartFailure(context, error)),
    reconfigure: assign(({ context, event }) =>
      event.type === 'reconfigure' ? reconfigured(context, event.settings, (next) => reconfiguredHealth(context, next)) : {},
    ),
    scheduleFastRetry: assign(({ context }) => ({ retryDelayMs: context.cancelledRetryMs })),
    beginStartPeriod: assign({ inStartPeriod: true }),
    endStartPeriod: assign({ inStartPeriod: false }),
    /** One probe's result, whichever way it came: counted, and reported if health changed. */
    recordProbe: enqueueActions(({ context, enqueue }, outcome: ProbeOutcome) => {
      const { changes, fact } = judgeProbe(context, probeRecordOf(context, outcome));
      enqueue.assign(changes);
      if (fact !== undefined) tell(enqueue, context, fact);
    }),
    requestUnhealthyRestart: assign(({ context }) => ({
      termination: context.termination ?? ('unhealthy' as const),
    })),
    requestStartTimeout: assign(({ context }) => ({
      termination: context.termination ?? ('start-timeout' as const),
    })),
    /**
     * A run without a health check has start_timeout from its condition check until its
     * start-post hooks are done; leaving `starting` cancels it. A health-gated run's deadline is
     * the health region's (syncing.health.checking.startDeadline).
     */
    armStartDeadline: enqueueActions(({ context, enqueue }) => {
      if (context.startTimeoutMs > 0 && !context.healthGated) {
        enqueue.raise({ type: 'start.deadline' }, { id: startDeadlineId, delay: 'startTimeout' });
      }
    }),
    disarmStartDeadline: cancel(startDeadlineId),
    markStartAttempted: assign({ startAttempted: true }),
    recordSkip: assign(({ context }, output: ConditionOutput) => skippedRun(context, output)),
    recordStopPostFailure: assign(({ context }, { error }: HookError) => recordedStopPostFailure(context, error)),
    decide: assign(({ context }, output: HookOutput) => decided(context, output.at)),
    countRestart: assign(({ context }) => ({ restartCount: context.restartCount + 1, runCause: 'restart' as const })),
    finish: assign(({ context }) => finishedOutcome(context)),
    recordWait: assign(({ event }) => (event.type === 'dependency.waiting' ? { waitingFor: event.on } : {})),
    clearWait: assign({ waitingFor: undefined }),
    failDependency: assign(({ context, event }) => (event.type === 'dependency.failed' ? failedDependency(context, event.reason) : {})),
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
      entry: ['beginRun', { type: 'enterPhase', params: ({ context }) => ({ phase: 'starting', reason: `run ${context.runCount}` }) }],
      initial: 'queued',
      exit: 'disarmStartDeadline',
      on: {
        update: { actions: 'rememberUpdate' },
        terminate: { target: 'terminating', actions: 'requestTermination' },
        'workload.exited': { target: 'terminating', actions: 'recordExit' },
        'start.deadline': { target: 'terminating', actions: 'requestStartTimeout' },
      },
      states: {
        queued: {
          tags: ['queued', 'launching'],
          entry: { type: 'report', params: ({ context }) => queueFact(context, 0, 'start') },
          after: { queueDelay: 'waitingForDependencies' },
        },
        /**
         * Before each run, its dependencies (after, requires, wants, binds_to): the daemon's actor
         * says what it waits on, then ready, or that a requirement failed — which ends the run
         * FAILED with that reason and no restart, as nothing ran. Skipped without dependencies.
         */
        waitingForDependencies: {
          tags: 'launching',
          always: { guard: 'noDependencies', target: 'waitingForConnection' },
          invoke: { src: 'awaitDependencies', input: ({ context }) => ({ id: context.id, config: context.config }) },
          on: {
            'dependency.waiting': { actions: 'recordWait' },
            'dependencies.ready': 'waitingForConnection',
            'dependency.failed': { target: '#process.finished', actions: 'failDependency' },
          },
          exit: 'clearWait',
        },
        /**
         * start_on: connection: the run waits until a client connects to one of the sockets the
         * daemon holds (the connection waits in the kernel's backlog for the program to accept).
         * Any other run passes straight through, without invoking the wait.
         */
        waitingForConnection: {
          tags: 'launching',
          always: { guard: 'startsWithoutConnection', target: 'conditionCheck' },
          invoke: {
            src: 'waitForConnection',
            input: ({ context }) => ({ id: context.id, config: context.config }),
            onDone: 'conditionCheck',
            onError: {
              target: '#process.terminated',
              actions: { type: 'recordStartFailure', params: ({ event }) => ({ error: event.error }) },
            },
          },
        },
        /** condition_path_exists: a condition that fails skips the run (EXITED, no restart), as systemd. */
        conditionCheck: {
          tags: ['hookRunning', 'launching'],
          entry: 'armStartDeadline',
          always: { guard: 'noConditions', target: 'startPreHook' },
          invoke: {
            src: 'checkConditions',
            input: ({ context }) => ({ id: context.id, config: context.config }),
            onDone: [
              {
                guard: { type: 'conditionFailed', params: ({ event }) => event.output },
                target: '#process.finished',
                actions: { type: 'recordSkip', params: ({ event }) => event.output },
              },
              { target: 'startPreHook' },
            ],
            onError: { target: '#process.terminated', actions: { type: 'recordStartFailure', params: ({ event }) => ({ error: event.error }) } },
          },
        },
        /** exec_start_pre (and the runtime directory): each must succeed, or the start has failed. */
        startPreHook: {
          tags: ['hookRunning', 'launching'],
          entry: 'markStartAttempted',
          always: { guard: 'noStartPre', target: 'syncHook' },
          invoke: {
            src: 'runStartPreHooks',
            input: ({ context }) => ({ id: context.id, config: context.config }),
            onDone: 'syncHook',
            onError: { target: '#process.terminated', actions: { type: 'recordStartFailure', params: ({ event }) => ({ error: event.error }) } },
          },
        },
        syncHook: {
          tags: ['hookRunning', 'launching'],
          entry: 'beginFirstSync',
          invoke: {
            src: 'syncProcess',
            input: ({ context }) => ({
              id: context.id,
              updateType: context.updateType,
              config: context.config,
              restart: context.runCause === 'restart',
            }),
            onDone: [
              {
                guard: { type: 'isTerminal', params: ({ event }) => event.output },
                target: '#process.terminating',
                actions: [
                  { type: 'recordSync', params: ({ event }) => event.output },
                  { type: 'recordTerminal', params: ({ event }) => event.output },
                ],
              },
              { target: 'startPostHook', actions: { type: 'recordSync', params: ({ event }) => event.output } },
            ],
            onError: [
              {
                guard: { type: 'isStartFailure', params: ({ event }) => ({ error: event.error }) },
                target: '#process.terminated',
                actions: { type: 'recordStartFailure', params: ({ event }) => ({ error: event.error }) },
              },
              { guard: { type: 'wasCancelled', params: ({ event }) => ({ error: event.error }) }, target: 'syncRetry', actions: 'scheduleFastRetry' },
              { target: 'syncRetry', actions: { type: 'scheduleRetry', params: ({ event }) => ({ error: event.error }) } },
            ],
          },
        },
        syncRetry: {
          tags: ['queued', 'backoff'],
          entry: { type: 'report', params: ({ context }) => retryFact(context, 'starting') },
          after: { retryBackoff: 'syncHook' },
        },
        /** exec_start_post, with the workload up: a failure stops it, as a failed start. */
        startPostHook: {
          tags: ['hookRunning', 'launching'],
          always: { guard: 'noStartPost', target: '#process.syncing' },
          invoke: {
            src: 'runStartPostHooks',
            input: ({ context }) => ({ id: context.id, config: context.config }),
            onDone: '#process.syncing',
            onError: { target: '#process.terminating', actions: { type: 'recordStartFailure', params: ({ event }) => ({ error: event.error }) } },
          },
        },
      },
    },

    syncing: {
      tags: 'workloadUp',
      entry: { type: 'enterPhase', params: { phase: 'syncing', reason: 'first sync succeeded' } },
      type: 'parallel',
      on: {
        terminate: { target: 'terminating', actions: 'requestTermination' },
        'workload.exited': { target: 'terminating', actions: 'recordExit' },
      },
      states: {
        /** Keeping the workload in step with its config: resyncs and coalesced updates. */
        sync: {
          initial: 'afterSync',
          states: {
            /** After each sync: sync again, wait for the next resync, or (no resync interval) for an update. */
            afterSync: {
              always: [
                { guard: 'hasPending', target: 'syncHook' },
                { guard: 'resyncDisabled', target: 'awaitingUpdate' },
                { target: 'resyncInterval' },
              ],
            },
            /** Synced; no periodic resync (an OS process reports its exit as an event). */
            awaitingUpdate: {
              on: { update: { target: 'syncHook', actions: 'rememberUpdate' } },
            },
            resyncInterval: {
              tags: 'queued',
              entry: {
                type: 'report',
                params: ({ context }) => queueFact(context, context.resyncIntervalMs, 'resync'),
              },
              after: { resyncInterval: { target: 'syncHook', actions: 'queueResync' } },
              on: { update: { target: 'syncHook', actions: 'rememberUpdate' } },
            },
            syncHook: {
              tags: 'hookRunning',
              entry: 'takePending',
              on: { update: { actions: 'rememberUpdate' } },
              invoke: {
                src: 'syncProcess',
                input: ({ context }) => ({ id: context.id, updateType: context.updateType, config: context.config, restart: false }),
                onDone: [
                  {
                    guard: { type: 'isTerminal', params: ({ event }) => event.output },
                    target: '#process.terminating',
                    actions: [
                      { type: 'recordSync', params: ({ event }) => event.output },
                      { type: 'recordTerminal', params: ({ event }) => event.output },
                    ],
                  },
                  {
                    guard: 'hasPending',
                    target: 'syncHook',
                    reenter: true,
                    actions: { type: 'recordSync', params: ({ event }) => event.output },
                  },
                  { target: 'afterSync', actions: { type: 'recordSync', params: ({ event }) => event.output } },
                ],
                onError: [
                  { guard: { type: 'wasCancelled', params: ({ event }) => ({ error: event.error }) }, target: 'syncRetry', actions: 'scheduleFastRetry' },
                  { target: 'syncRetry', actions: { type: 'scheduleRetry', params: ({ event }) => ({ error: event.error }) } },
                ],
              },
            },
            syncRetry: {
              tags: 'queued',
              entry: { type: 'report', params: ({ context }) => retryFact(context, 'syncing') },
              on: { update: { actions: 'rememberUpdate' } },
              after: { retryBackoff: 'syncHook' },
            },
          },
        },
        /**
         * The health check, when there is one: a probe every interval, judged against the
         * thresholds; restart_after failures in a row stop the run through terminating, to be
         * started again. A reconfigure that changes the check starts this region over.
         */
        health: {
          initial: 'hasCheck',
          on: {
            reconfigure: { guard: 'changesHealthCheck', target: 'health', reenter: true, actions: 'reconfigure' },
          },
          states: {
            hasCheck: {
              always: [{ guard: 'noHealthCheck', target: 'off' }, { target: 'checking' }],
            },
            off: {},
            checking: {
              type: 'parallel',
              states: {
                /** Failures within start_period are not counted; a success is. */
                startPeriod: {
                  initial: 'hasStartPeriod',
                  states: {
                    hasStartPeriod: { always: [{ guard: 'noStartPeriod', target: 'over' }, { target: 'healthStartPeriod' }] },
                    healthStartPeriod: {
                      entry: 'beginStartPeriod',
                      after: { healthStartPeriod: 'over' },
                    },
                    over: { entry: 'endStartPeriod' },
                  },
                },
                /** A health-gated run must be healthy within start_timeout, or it failed to start. */
                startDeadline: {
                  initial: 'isGated',
                  states: {
                    isGated: { always: [{ guard: 'noStartDeadline', target: 'met' }, { target: 'startTimeout' }] },
                    startTimeout: {
                      always: { guard: 'everHealthy', target: 'met' },
                      after: { startTimeout: { target: '#process.terminating', actions: 'requestStartTimeout' } },
                    },
                    met: {},
                  },
                },
                probes: {
                  initial: 'probe',
                  states: {
                    healthInterval: { after: { healthInterval: 'probe' } },
                    probe: {
                      invoke: {
                        src: 'probeHealth',
                        input: ({ context }) => ({
                          id: context.id,
                          config: context.config,
                          timeoutMs: context.healthCheck?.timeoutMs ?? 0,
                        }),
                        onDone: { target: 'verdict', actions: { type: 'recordProbe', params: ({ event }) => ({ output: event.output }) } },
                        onError: { target: 'verdict', actions: { type: 'recordProbe', params: ({ event }) => ({ error: event.error }) } },
                      },
                      // Leaving the state stops the probe actor: its signal aborts what it started.
                      after: { probeTimeout: { target: 'verdict', actions: { type: 'recordProbe', params: { timedOut: true } } } },
                    },
                    verdict: {
                      always: [
                        { guard: 'unhealthyRestartDue', target: '#process.terminating', actions: 'requestUnhealthyRestart' },
                        { target: 'healthInterval' },
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
      tags: 'stopping',
      entry: { type: 'enterPhase', params: ({ context }) => ({ phase: 'terminating', reason: terminatingReason(context) }) },
      initial: 'stopHook',
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
        stopHook: {
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
            onError: { target: 'stopRetry', actions: { type: 'scheduleRetry', params: ({ event }) => ({ error: event.error }) } },
          },
        },
        stopRetry: {
          tags: 'queued',
          entry: { type: 'report', params: ({ context }) => retryFact(context, 'terminating') },
          after: { retryBackoff: 'stopHook' },
        },
      },
    },

    terminated: {
      entry: { type: 'enterPhase', params: { phase: 'terminated', reason: 'cleaning up' } },
      initial: 'cleanupHook',
      on: {
        update: { actions: 'keepConfig' },
        terminate: { actions: 'requestTermination' },
        'workload.exited': { actions: 'recordExit' },
      },
      states: {
        cleanupHook: {
          tags: ['hookRunning', 'stopping'],
          invoke: {
            src: 'syncTerminatedProcess',
            input: ({ context }) => ({ id: context.id, config: context.config, exit: context.exit }),
            onDone: { target: 'stopPostHook', actions: { type: 'decide', params: ({ event }) => event.output } },
            onError: { target: 'cleanupRetry', actions: { type: 'scheduleRetry', params: ({ event }) => ({ error: event.error }) } },
          },
        },
        /** exec_stop_post (and removing the runtime directory), whatever ended the run; a failure is reported, not retried. */
        stopPostHook: {
          tags: ['hookRunning', 'stopping'],
          always: { guard: 'noStopPost', target: 'restartGuard' },
          invoke: {
            src: 'runStopPostHooks',
            input: ({ context }) => ({ id: context.id, config: context.config, exit: context.exit }),
            onDone: 'restartGuard',
            onError: { target: 'restartGuard', actions: { type: 'recordStopPostFailure', params: ({ event }) => ({ error: event.error }) } },
          },
        },
        cleanupRetry: {
          tags: ['queued', 'stopping'],
          entry: { type: 'report', params: ({ context }) => retryFact(context, 'terminated') },
          after: { retryBackoff: 'cleanupHook' },
        },
        restartGuard: {
          tags: 'stopping',
          always: [{ guard: 'willRestart', target: 'restartDelay' }, { target: '#process.finished' }],
        },
        restartDelay: {
          tags: ['queued', 'backoff'],
          entry: [
            'countRestart',
            {
              type: 'report',
              params: ({ context }) => ({
                type: 'process.restarting',
                id: context.id,
                delayMs: restartDelayMs(context),
                reason: context.decision?.reason ?? '',
              }),
            },
            { type: 'report', params: ({ context }) => queueFact(context, restartDelayMs(context), 'restart') },
          ],
          // A zero delay restarts in the same macrostep: no timer, no extra event-loop turn.
          // A restart waits for its dependencies and its connection (start_on), checks its conditions and runs its start-pre hooks again.
          always: { guard: 'restartIsImmediate', target: '#process.starting.waitingForDependencies' },
          after: { restartDelay: '#process.starting.waitingForDependencies' },
          on: {
            terminate: { target: '#process.finished', actions: 'requestTermination' },
          },
        },
      },
    },

    finished: {
      tags: 'ended',
      entry: [
        'finish',
        { type: 'enterPhase', params: ({ context }) => ({ phase: 'finished', reason: endReason(context) }) },
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
 * Every fact is emitted to the actor's own listeners and, under a supervisor (the supervisor's
 * spawn says so in the input), sent to it.
 */
function tell(enqueue: { emit(fact: ProcessFact): void; sendParent(fact: ProcessFact): void }, context: ProcessContext, fact: ProcessFact): void {
  enqueue.emit(fact);
  if (context.reportsToParent) enqueue.sendParent(fact);
}

function queueFact(context: ProcessContext, delayMs: number, why: 'start' | 'resync' | 'retry' | 'restart'): ProcessFact {
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
