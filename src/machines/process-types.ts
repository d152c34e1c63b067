/**
 * The vocabulary of the process chart: its events, the inputs of its hooks, the facts it
 * reports. Shared by the chart, the supervisor and the runtimes that implement the hooks.
 */
import type { BackoffOptions } from './backoff.js';
import type { RestartDecision, RestartPolicy, RunOutcome } from './restart-policy.js';

export const phases = ['starting', 'syncing', 'terminating', 'terminated', 'finished'] as const;
export type Phase = (typeof phases)[number];

/** What a sync is for: the first one of a run, a changed config, or a periodic resync. */
export type UpdateType = 'create' | 'update' | 'sync';

/** Why a run is being terminated. Only the first reason is kept. */
export type TerminationReason =
  | 'requested'
  | 'orphaned'
  | 'shutdown'
  /** A sync answered `terminal: true`. */
  | 'terminal'
  /** The workload exited by itself. */
  | 'exited'
  /** Its health check failed restartAfter times in a row: stopped to be started again. */
  | 'unhealthy'
  /** Not healthy within its start timeout: a failed start. */
  | 'start-timeout';

export interface WorkloadExit {
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly at: number;
  /** Set when the workload never ran: the OS error of a failed start. */
  readonly error?: string;
  /** What the exit status alone does not say ("out of memory: …"). */
  readonly cause?: string;
}

/** How the health region of syncing runs a process's probe (the probe itself is an actor). */
export interface HealthSettings {
  readonly intervalMs: number;
  /** A probe still running after this counts as a failure and is cancelled. */
  readonly timeoutMs: number;
  /** From the start of syncing: failures in it are not counted; a success still is. */
  readonly startPeriodMs: number;
  /** Consecutive failures that make the process unhealthy. */
  readonly failureThreshold: number;
  /** Consecutive successes that make it healthy. */
  readonly successThreshold: number;
  /** Consecutive failures that stop the run to start it again; 0 never does. */
  readonly restartAfter: number;
}

export const healthStatuses = ['unknown', 'starting', 'healthy', 'unhealthy'] as const;
/** unknown: no health check; starting: checked, no verdict yet in this run. */
export type HealthStatus = (typeof healthStatuses)[number];

/** Settings of a process that can change while it lives (hot updates). */
export interface ProcessSettings {
  readonly restart?: Partial<RestartPolicy>;
  readonly defaultGracePeriodSecs?: number;
  readonly resyncIntervalMs?: number;
  /** A new health check (or its new timings); null removes it. */
  readonly healthCheck?: HealthSettings | null;
  /**
   * A health-gated run not healthy this long after its workload started has failed to start; a
   * run without a health check must get from its condition check through its start-post hooks
   * within it. 0 waits forever.
   */
  readonly startTimeoutMs?: number;
  /** The stages a run goes through when they have work; a stage without is skipped at no cost. */
  readonly stages?: Partial<RunStages>;
  /** A run waits in starting.waitingForConnection until a client connects (start_on: connection). */
  readonly startOnConnection?: boolean;
  /** The process has dependencies to wait for before each run (starting.waitingForDependencies). */
  readonly awaitsDependencies?: boolean;
}

/**
 * Which optional stages of a run have something to do: conditions to check before a start, work
 * before the spawn (start-pre hooks, a runtime directory), after it (start-post hooks), and after
 * the stop (stop-post hooks, removing the runtime directory).
 */
export interface RunStages {
  readonly conditionCheck: boolean;
  readonly startPre: boolean;
  readonly startPost: boolean;
  readonly stopPost: boolean;
}

export const noStages: RunStages = { conditionCheck: false, startPre: false, startPost: false, stopPost: false };

/** Commands (imperative) and facts (past tense) a process actor accepts. */
export type ProcessEvent =
  | { type: 'update'; updateType: UpdateType; config?: unknown }
  | { type: 'terminate'; config?: unknown; gracePeriodSecs?: number; reason?: TerminationReason }
  | { type: 'start'; config?: unknown }
  | { type: 'reconfigure'; settings: ProcessSettings }
  /** Raised by the chart itself: a run without a health check did not start within start_timeout. */
  | { type: 'start.deadline' }
  /** From the awaitDependencies actor: what it waits on now ("db (healthy)"), then ready or failed. */
  | { type: 'dependency.waiting'; on: string }
  | { type: 'dependencies.ready' }
  | { type: 'dependency.failed'; reason: string }
  | ({ type: 'workload.exited' } & WorkloadExit);

export interface SyncInput {
  readonly id: string;
  readonly updateType: UpdateType;
  readonly config: unknown;
  /** The restart guard began this run (not a create or a start): a runtime may pace these. */
  readonly restart: boolean;
}
/** The wait of a run for its first connection (start_on: connection). */
export interface ConnectionInput {
  readonly id: string;
  readonly config: unknown;
}
/** What the awaitDependencies actor is given: the run's process and config. */
export interface DependenciesInput {
  readonly id: string;
  readonly config: unknown;
}
export interface SyncOutput {
  readonly terminal: boolean;
  /** Clock time at which the sync finished. */
  readonly at: number;
  /** When the workload really started, if earlier than `at` (an adopted survivor). */
  readonly startedAt?: number;
}
export interface TerminatingInput {
  readonly id: string;
  readonly config: unknown;
  readonly gracePeriodSecs: number;
  readonly reason: TerminationReason;
}
export interface TerminatedInput {
  readonly id: string;
  readonly config: unknown;
  readonly exit: WorkloadExit | undefined;
}
/** The input of the stage hooks (conditions, start-pre, start-post). */
export interface StageInput {
  readonly id: string;
  readonly config: unknown;
}
/** The stop-post hooks also know how the workload ended (undefined: it never ran, or was not seen to end). */
export interface StopPostInput extends StageInput {
  readonly exit: WorkloadExit | undefined;
}
export interface ConditionOutput {
  /** false: the run is skipped, and ends EXITED without a restart. */
  readonly met: boolean;
  /** Which condition failed, e.g. "/etc/app.conf does not exist". */
  readonly reason?: string;
  readonly at: number;
}
/** What a hook's actor rejected with, as the chart's actions and guards are given it. */
export interface HookError {
  readonly error: unknown;
}
export interface HookOutput {
  readonly at: number;
}
export interface ProbeInput {
  readonly id: string;
  readonly config: unknown;
  readonly timeoutMs: number;
}
export interface ProbeOutput {
  readonly healthy: boolean;
  readonly message: string;
  readonly at: number;
}
/** The last probe of this run: what it found and when. */
export interface ProbeRecord {
  readonly healthy: boolean;
  readonly message: string;
  readonly at: number;
}

/** What a process actor tells its supervisor (and emits to local listeners). */
export type ProcessFact =
  /** `from` is the phase the chart left (null for the first): computed once, by the chart. */
  | { type: 'phase.changed'; id: string; from: Phase | null; phase: Phase; reason: string }
  | { type: 'queue.added'; id: string; delayMs: number; why: 'start' | 'resync' | 'retry' | 'restart' }
  | { type: 'queue.retried'; id: string; delayMs: number; phase: Phase; error: string }
  | { type: 'process.restarting'; id: string; delayMs: number; reason: string }
  | { type: 'run.ended'; id: string; outcome: RunOutcome; reason: string }
  | { type: 'health.changed'; id: string; health: HealthStatus; previous: HealthStatus; failures: number; message: string };

export interface ProcessInput {
  readonly id: string;
  readonly config?: unknown;
  readonly resyncIntervalMs?: number;
  readonly backoff?: Partial<BackoffOptions>;
  /** Delay before a sync that failed with a cancellation is retried. */
  readonly cancelledRetryMs?: number;
  readonly defaultGracePeriodSecs?: number;
  readonly restart?: Partial<RestartPolicy>;
  readonly healthCheck?: HealthSettings;
  readonly startTimeoutMs?: number;
  readonly stages?: Partial<RunStages>;
  readonly startOnConnection?: boolean;
  readonly awaitsDependencies?: boolean;
  /** Seed of the jitter PRNG; any non-zero 32-bit integer. */
  readonly seed?: number;
  /** Send every fact to the parent actor too (a supervisor spawns its processes so). */
  readonly reportsToParent?: boolean;
}

export interface ProcessContext {
  readonly id: string;
  readonly reportsToParent: boolean;
  /** The last known config: kept through terminations (rule 1). */
  config: unknown;
  /** The phase entered last: what the next phase.changed is from (undefined before the first). */
  phase: Phase | undefined;
  /** The type of the sync in flight or next to run. */
  updateType: UpdateType;
  /** A newer update that arrived while a sync was in flight; only the newest is kept. */
  pending: UpdateType | undefined;
  resyncIntervalMs: number;
  backoff: BackoffOptions;
  cancelledRetryMs: number;
  defaultGracePeriodSecs: number;
  gracePeriodSecs: number;
  restart: RestartPolicy;
  /** Undefined: no health check, and the health region of syncing stays off. */
  healthCheck: HealthSettings | undefined;
  /** 0: a start may take forever. */
  startTimeoutMs: number;
  stages: RunStages;
  /** The run got past its conditions: its stop-post stage has something to undo or report. */
  startAttempted: boolean;
  /** Each run waits for a client's connection before its first sync. */
  startOnConnection: boolean;
  /** Each run waits in starting.waitingForDependencies; false skips that state. */
  awaitsDependencies: boolean;
  /** The dependency the run waits on now ("db (healthy)"), while it waits. */
  waitingFor: string | undefined;
  health: HealthStatus;
  /** Consecutive failed probes (not counting those in the start period) and successful ones. */
  healthFailures: number;
  healthSuccesses: number;
  /** Healthy at least once in this run: with a health check, that is what makes it RUNNING. */
  everHealthy: boolean;
  /**
   * The run began with a health check, so it counts as started only once healthy. A check added
   * to a live run does not demote it; the next run is gated.
   */
  healthGated: boolean;
  inStartPeriod: boolean;
  lastProbe: ProbeRecord | undefined;
  /** Set once termination is requested for this run; the first reason wins. */
  termination: TerminationReason | undefined;
  /** Someone asked for the stop (a terminate, an orphan sweep, shutdown): no restart. */
  stopRequested: boolean;
  exit: WorkloadExit | undefined;
  /** A sync completed in this run (rule 6: a run terminated before this never ran the sync hook). */
  synced: boolean;
  consecutiveErrors: number;
  errorCount: number;
  lastError: string | undefined;
  retryDelayMs: number;
  seed: number;
  runCount: number;
  restartCount: number;
  /** What began the current run: a create or start, or the restart guard. */
  runCause: 'start' | 'restart';
  failureStreak: number;
  recentStarts: number[];
  startedAt: number | undefined;
  lastSyncAt: number | undefined;
  endedAt: number | undefined;
  decision: RestartDecision | undefined;
  /** How the previous run ended and what was decided: kept across runs, for status displays. */
  lastExit: WorkloadExit | undefined;
  lastDecision: RestartDecision | undefined;
  outcome: RunOutcome | undefined;
}
