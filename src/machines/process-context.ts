/**
 * The process chart's arithmetic: what each action does to the context, as pure functions of the
 * context and of what the action was given. The chart (process.machine.ts) says when; this file
 * says what. Each returns the fields that change, for `assign`.
 *
 * A run's state is reset in one place, `freshRun`: at the first run (initialProcessContext) and at
 * every later one (beganRun). What survives runs (counters, the jitter seed, the previous run's
 * exit and decision, the settings) is everything else.
 */
import { backoffDelay, defaultBackoff, nextSeed, sampleOf } from './backoff.js';
import { decideRestart, defaultRestartPolicy, pruneStarts, type RunEnding } from './restart-policy.js';
import { describeExit } from './exit-status.js';
import { noStages } from './process-types.js';
import type {
  ConditionOutput,
  HealthSettings,
  ProcessContext,
  ProcessEvent,
  ProcessInput,
  ProcessSettings,
  SyncOutput,
  TerminationReason,
  UpdateType,
  WorkloadExit,
} from './process-types.js';

/** The smallest grace period a terminate may ask for (rule 3). */
export const minGracePeriodSecs = 1;
export const defaultGracePeriodSecs = 30;
export const defaultResyncIntervalMs = 10_000;
export const defaultCancelledRetryMs = 100;

type Changes = Partial<ProcessContext>;

/** Newest wins, but a pending config change is never downgraded to a plain resync. */
export function coalesce(pending: UpdateType | undefined, next: UpdateType): UpdateType {
  const rank: Record<UpdateType, number> = { sync: 0, update: 1, create: 2 };
  return pending !== undefined && rank[pending] > rank[next] ? pending : next;
}

export function clampGrace(secs: number | undefined, fallback: number): number {
  if (secs === undefined || !Number.isFinite(secs)) return Math.max(minGracePeriodSecs, fallback);
  return Math.max(minGracePeriodSecs, secs);
}

export function errorMessage(error: unknown): string {
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

/** Everything a run starts without: its sync, termination, exit, decision and health verdict. */
function freshRun(healthCheck: HealthSettings | undefined, gracePeriodSecs: number) {
  return {
    updateType: 'create' as const,
    pending: undefined,
    termination: undefined,
    stopRequested: false,
    exit: undefined,
    synced: false,
    startAttempted: false,
    consecutiveErrors: 0,
    gracePeriodSecs,
    startedAt: undefined,
    endedAt: undefined,
    decision: undefined,
    outcome: undefined,
    health: healthCheck === undefined ? ('unknown' as const) : ('starting' as const),
    healthFailures: 0,
    healthSuccesses: 0,
    everHealthy: false,
    healthGated: healthCheck !== undefined,
    inStartPeriod: false,
    lastProbe: undefined,
    waitingFor: undefined,
  };
}

export function initialProcessContext(input: ProcessInput): ProcessContext {
  const defaultGrace = clampGrace(input.defaultGracePeriodSecs, defaultGracePeriodSecs);
  return {
    id: input.id,
    reportsToParent: input.reportsToParent === true,
    config: input.config,
    phase: undefined,
    resyncIntervalMs: input.resyncIntervalMs ?? defaultResyncIntervalMs,
    backoff: { ...defaultBackoff, ...input.backoff },
    cancelledRetryMs: input.cancelledRetryMs ?? defaultCancelledRetryMs,
    defaultGracePeriodSecs: defaultGrace,
    restart: { ...defaultRestartPolicy, ...input.restart },
    healthCheck: input.healthCheck,
    startTimeoutMs: input.startTimeoutMs ?? 0,
    stages: { ...noStages, ...input.stages },
    startOnConnection: input.startOnConnection === true,
    awaitsDependencies: input.awaitsDependencies === true,
    errorCount: 0,
    lastError: undefined,
    retryDelayMs: 0,
    seed: nextSeed(input.seed ?? 0x2545f491),
    runCount: 0,
    restartCount: 0,
    failureStreak: 0,
    recentStarts: [],
    lastSyncAt: undefined,
    lastExit: undefined,
    lastDecision: undefined,
    runCause: 'start',
    ...freshRun(input.healthCheck, defaultGrace),
  };
}

/** A run begins: counted, and everything of the last one forgotten but what survives runs. */
export function beganRun(context: ProcessContext): Changes {
  return { runCount: context.runCount + 1, ...freshRun(context.healthCheck, context.defaultGracePeriodSecs) };
}

/** An update (or a start) while a sync may be running: its config kept, its type coalesced. */
export function rememberedUpdate(context: ProcessContext, event: ProcessEvent & { type: 'update' | 'start' }): Changes {
  return {
    config: event.config === undefined ? context.config : event.config,
    pending: coalesce(context.pending, event.type === 'update' ? event.updateType : 'create'),
    ...(event.type === 'start' && { runCause: 'start' as const }),
  };
}

/** The first sync of a run confirms the workload up: the run's start, counted toward the start limit. */
export function recordedSync(context: ProcessContext, output: SyncOutput): Changes {
  const first = !context.synced;
  return {
    synced: true,
    consecutiveErrors: 0,
    lastSyncAt: output.at,
    startedAt: first ? (output.startedAt ?? output.at) : context.startedAt,
    recentStarts: first ? [...pruneStarts(context.recentStarts, output.at, context.restart), output.at] : context.recentStarts,
  };
}

/** A sync answered `terminal: true`: the workload is done, a clean exit unless one was seen. */
export function recordedTerminal(context: ProcessContext, output: SyncOutput): Changes {
  return {
    termination: context.termination ?? 'terminal',
    exit: context.exit ?? { exitCode: 0, signal: null, at: output.at },
    lastSyncAt: output.at,
  };
}

/** The workload's exit: the first one seen in a run is the run's. */
export function recordedExit(context: ProcessContext, exit: WorkloadExit): Changes {
  return {
    termination: context.termination ?? 'exited',
    exit: context.exit ?? {
      exitCode: exit.exitCode,
      signal: exit.signal,
      at: exit.at,
      ...(exit.cause !== undefined && { cause: exit.cause }),
    },
  };
}

/** A terminate: a request outranks an exit as the reason (rule 2), and the grace period only shrinks (rule 3). */
export function requestedTermination(context: ProcessContext, event: ProcessEvent & { type: 'terminate' }): Changes {
  const reason: TerminationReason = event.reason ?? 'requested';
  return {
    termination:
      context.termination === undefined || context.termination === 'exited' || context.termination === 'terminal'
        ? reason
        : context.termination,
    stopRequested: true,
    config: event.config === undefined ? context.config : event.config,
    gracePeriodSecs: Math.min(context.gracePeriodSecs, clampGrace(event.gracePeriodSecs, context.gracePeriodSecs)),
  };
}

/** Whether a terminate asks for less time than the phase has now: then the hook re-runs (rule 3). */
export function shortensGrace(context: ProcessContext, event: ProcessEvent): boolean {
  return (
    event.type === 'terminate' &&
    event.gracePeriodSecs !== undefined &&
    clampGrace(event.gracePeriodSecs, context.gracePeriodSecs) < context.gracePeriodSecs
  );
}

/** A hook failed: retried after an exponential, jittered backoff (rule 8). */
export function scheduledRetry(context: ProcessContext, error: unknown): Changes {
  const attempt = context.consecutiveErrors + 1;
  const seed = nextSeed(context.seed);
  return {
    consecutiveErrors: attempt,
    errorCount: context.errorCount + 1,
    lastError: errorMessage(error),
    retryDelayMs: backoffDelay(attempt, context.backoff, sampleOf(seed)),
    seed,
  };
}

/**
 * The workload could not be started (or a start hook failed): a run that started and failed at
 * once, with the error. A start already counted by its sync (a start-post hook failed) is not
 * counted twice.
 */
export function recordedStartFailure(context: ProcessContext, error: unknown): Changes {
  const stamped = typeof error === 'object' && error !== null ? (error as { at?: unknown }).at : undefined;
  const at = typeof stamped === 'number' ? stamped : (context.lastSyncAt ?? 0);
  const message = errorMessage(error);
  return {
    termination: context.termination ?? 'exited',
    exit: { exitCode: null, signal: null, at, error: message },
    lastError: message,
    errorCount: context.errorCount + 1,
    ...(!context.synced && {
      startedAt: at,
      recentStarts: [...pruneStarts(context.recentStarts, at, context.restart), at],
    }),
  };
}

/**
 * A start condition failed: the run is skipped, as systemd skips a unit. It ends EXITED without a
 * restart and without counting a failure: nothing ran, and nothing will change by retrying.
 */
export function skippedRun(context: ProcessContext, output: ConditionOutput): Changes {
  const reason = `condition failed: ${output.reason ?? 'a start condition does not hold'}`;
  const decision = { restart: false as const, outcome: 'exited' as const, failureStreak: context.failureStreak, reason };
  return { decision, lastDecision: decision, lastError: reason, endedAt: output.at };
}

/** A stop-post hook failed: reported, but the run has ended and its decision stands. */
export function recordedStopPostFailure(context: ProcessContext, error: unknown): Changes {
  return { lastError: errorMessage(error), errorCount: context.errorCount + 1 };
}

/** Hot settings; the health check's part is health-verdict.ts's business. */
export function reconfigured(
  context: ProcessContext,
  settings: ProcessSettings,
  health: (next: HealthSettings | null) => Changes,
): Changes {
  const { restart, defaultGracePeriodSecs, resyncIntervalMs, healthCheck, startTimeoutMs, stages, startOnConnection, awaitsDependencies } = settings;
  const grace = defaultGracePeriodSecs === undefined ? undefined : clampGrace(defaultGracePeriodSecs, defaultGracePeriodSecs);
  return {
    restart: restart === undefined ? context.restart : { ...context.restart, ...restart },
    defaultGracePeriodSecs: grace ?? context.defaultGracePeriodSecs,
    resyncIntervalMs: resyncIntervalMs ?? context.resyncIntervalMs,
    startTimeoutMs: startTimeoutMs ?? context.startTimeoutMs,
    stages: stages === undefined ? context.stages : { ...context.stages, ...stages },
    startOnConnection: startOnConnection ?? context.startOnConnection,
    awaitsDependencies: awaitsDependencies ?? context.awaitsDependencies,
    ...(healthCheck !== undefined && health(healthCheck)),
  };
}

/** How the run ended, as the restart guard reads it. */
export function runEndingOf(context: ProcessContext): RunEnding {
  if (context.termination === 'unhealthy' && !context.stopRequested) return { kind: 'unhealthy', failures: context.healthFailures };
  if (context.termination === 'start-timeout' && !context.stopRequested) {
    return { kind: 'start-timeout', timeoutMs: context.startTimeoutMs, awaited: context.healthGated ? 'healthy' : 'started' };
  }
  if (context.stopRequested || context.exit === undefined) return { kind: 'stopped' };
  return {
    kind: 'exited',
    exitCode: context.exit.exitCode,
    signal: context.exit.signal,
    // Never negative: a start stamped after the exit (a wall clock stepped back, stamps taken in
    // a race) is an uptime of 0, not "after -1 ms".
    uptimeMs: Math.max(0, context.exit.at - (context.startedAt ?? context.exit.at)),
    ...(context.exit.error !== undefined && { error: context.exit.error }),
    ...(context.exit.cause !== undefined && { cause: context.exit.cause }),
  };
}

/** Cleanup done at `at`: the restart guard's decision, kept for this run and for the next one's displays. */
export function decided(context: ProcessContext, at: number): Changes {
  const seed = nextSeed(context.seed);
  const decision = decideRestart(
    runEndingOf(context),
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
}

/** The delay before the next run, once the guard decided on one. */
export function restartDelayMs(context: ProcessContext): number {
  return context.decision?.restart ? context.decision.delayMs : 0;
}

/**
 * A requirement failed before the workload was started: the run ends FAILED with why, and is not
 * restarted (systemd: a job whose requirement failed fails with "dependency"; the unit is not
 * retried). Nothing ran, so there is nothing to stop or clean up.
 */
export function failedDependency(context: ProcessContext, reason: string): Changes {
  return {
    lastError: reason,
    waitingFor: undefined,
    decision: { restart: false, outcome: 'failed', failureStreak: context.failureStreak, reason },
    lastDecision: { restart: false, outcome: 'failed', failureStreak: context.failureStreak, reason },
  };
}

/** A requested stop ends a run stopped, whatever the guard decided. */
export function finishedOutcome(context: ProcessContext): Changes {
  return { outcome: !context.stopRequested && context.decision?.restart === false ? context.decision.outcome : 'stopped' };
}

/**
 * Why the run is terminating. A workload that exited by itself is already gone (the phase only
 * stops what is left of its group): the reason is how it exited, not a stop's grace period.
 */
export function terminatingReason(context: ProcessContext): string {
  if (context.termination === 'exited' && context.exit !== undefined) return describeExit(context.exit);
  return `${context.termination ?? 'requested'}, grace period ${context.gracePeriodSecs} s`;
}

/** Why the run ended: a requested stop wins over whatever the restart guard had decided. */
export function endReason(context: ProcessContext): string {
  if (context.stopRequested) return `stopped on request (${context.termination ?? 'requested'})`;
  return context.decision?.reason ?? 'stopped';
}
