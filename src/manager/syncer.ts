/**
 * The embedding contract (procmgr's ProcessSyncer): the three hooks a program implements to have
 * its own "processes" — plugin instances, connections, workers — driven by the process chart.
 * Every hook receives an AbortSignal that fires when the chart abandons the call (a terminate
 * cancelling a sync, a shorter grace period re-running the terminating hook, shutdown).
 */
import type { HealthStatus, Phase, ProcessSettings, TerminationReason, UpdateType, WorkloadExit } from '../machines/process-types.js';

export interface SyncProcessContext {
  readonly signal: AbortSignal;
  readonly updateType: UpdateType;
  readonly id: string;
  /** The restart policy began this run (a crash loop's next run), not a create or a start. */
  readonly restart?: boolean;
}

export interface SyncResult {
  /** The workload reached a terminal state: terminate it now (rule 5). */
  readonly terminal?: boolean;
  /** When the workload really started, if before this sync (it was adopted, not started). */
  readonly startedAt?: number;
}

export interface TerminatingContext {
  readonly signal: AbortSignal;
  readonly id: string;
  readonly reason: TerminationReason;
}

export interface CleanupContext {
  readonly signal: AbortSignal;
  readonly id: string;
}

export interface ConnectionContext {
  /** Fires when the chart stops waiting (a stop, a delete, shutdown): release what the wait holds. */
  readonly signal: AbortSignal;
  readonly id: string;
}

export interface HealthCheckContext {
  /** Fires when the chart gives up on the probe (its timeout, a stop): release what it started. */
  readonly signal: AbortSignal;
  readonly id: string;
  readonly timeoutMs: number;
}

export interface HealthCheckResult {
  readonly healthy: boolean;
  /** Why, in a few words: shown in Describe and in health events. */
  readonly message?: string;
}

/** What the optional stage hooks get: they run before the spawn, after it, and after the stop. */
export interface StageContext {
  /** Fires when the chart gives up on the stage (a stop, start_timeout): kill what it started. */
  readonly signal: AbortSignal;
  readonly id: string;
}

export interface StopPostContext extends StageContext {
  /** How the workload ended; undefined when it never ran (a failed start-pre hook). */
  readonly exit: WorkloadExit | undefined;
}

export interface ConditionResult {
  /** false skips the run: it ends EXITED, is not restarted, and no failure is counted. */
  readonly met: boolean;
  /** Which condition failed. */
  readonly reason?: string;
}

/** Handed to awaitDependencies: how it tells the chart what it waits on, then how the wait ended. */
export interface DependenciesContext {
  readonly id: string;
  /** What the run waits on now ("db (healthy)"), shown until the wait ends. */
  waiting(on: string): void;
  ready(): void;
  /** A requirement failed: the run ends FAILED with this reason, without a restart. */
  failed(reason: string): void;
}

/** A snapshot of one process, as health() and getProcessStatus() report it. */
export interface ProcessStatus {
  readonly id: string;
  readonly phase: Phase;
  /** The phase as procmgr names it: Starting, Syncing, Terminating, Terminated, Finished. */
  readonly state: string;
  /** Syncing, its last sync succeeded, and its health check (if any) is not failing. */
  readonly healthy: boolean;
  /** The health check's verdict: unknown without one, starting until the first verdict of a run. */
  readonly health: HealthStatus;
  /** Consecutive failed probes. */
  readonly healthFailures: number;
  readonly runCount: number;
  readonly restartCount: number;
  readonly errorCount: number;
  readonly lastError: string | undefined;
  readonly lastSyncAt: number | undefined;
  readonly startedAt: number | undefined;
  readonly endedAt: number | undefined;
  readonly uptimeMs: number;
  /** How the last run ended, once finished. */
  readonly outcome: 'stopped' | 'exited' | 'failed' | undefined;
  /** Waiting in the work queue (for a start, a resync, a retry or a restart). */
  readonly queued: boolean;
  readonly gracePeriodSecs: number;
}

/** Handed to the terminating hook so it can report progress to whoever asked for the stop. */
export type StatusReporter = (status?: { message?: string }) => void;

export interface ProcessSyncer<Config = unknown> {
  syncProcess(context: SyncProcessContext, config: Config): Promise<SyncResult | void> | SyncResult | void;
  syncTerminatingProcess(
    context: TerminatingContext,
    config: Config,
    gracePeriodSecs: number,
    onStatus: StatusReporter,
  ): Promise<void> | void;
  syncTerminatedProcess(context: CleanupContext, config: Config): Promise<void> | void;
  /**
   * One health probe, run by the syncing phase's health region of a process given a health
   * check (`settings.healthCheck`). A rejection counts as a failed probe.
   */
  checkHealth?(context: HealthCheckContext, config: Config): Promise<HealthCheckResult> | HealthCheckResult;
  /**
   * The optional stages of a run, each entered only when `settings.stages` says it has work:
   * conditions before a start (unmet: the run is skipped), work before the spawn and after it
   * (a rejection is a failed start: reject with code E_START_FAILED), and after the stop, whatever
   * ended the run (a rejection is reported as the last error, nothing more).
   */
  checkStartConditions?(context: StageContext, config: Config): Promise<ConditionResult> | ConditionResult;
  runStartPre?(context: StageContext, config: Config): Promise<void> | void;
  runStartPost?(context: StageContext, config: Config): Promise<void> | void;
  runStopPost?(context: StopPostContext, config: Config): Promise<void> | void;
  /**
   * A run of a process given `settings.startOnConnection` waits for this before its first sync:
   * it resolves when a client connects. Without it such a run starts at once.
   */
  waitForConnection?(context: ConnectionContext, config: Config): Promise<void> | void;
  /**
   * Before each run of a process given `settings.awaitsDependencies`: wait for what it depends on
   * (starting.waitingForDependencies). Returns its cleanup, called when the chart leaves the
   * state (a stop while waiting). Without it, a run waits for nothing.
   */
  awaitDependencies?(context: DependenciesContext, config: Config): (() => void) | void;
}

export interface TerminateOptions {
  /** Shortens (never lengthens) the grace period; at least 1 s. */
  readonly gracePeriodSecs?: number;
  /** Called exactly once when this terminate has completed (or the manager gave up on it). */
  readonly onCompleted?: (result: TerminationResult) => void;
  /** Receives progress from the terminating hook. */
  readonly onStatus?: (status: ProcessStatus & { message?: string }) => void;
}

export interface TerminationResult {
  readonly id: string;
  /** false only when the manager gave up first: shutdown's deadline passed, or the process was purged. */
  readonly completed: boolean;
}

export type ProcessUpdate<Config = unknown> =
  | {
      readonly id: string;
      readonly type: 'create' | 'update' | 'sync';
      readonly config?: Config;
      /** Per-process restart policy, grace period and resync interval; on create they seed the actor. */
      readonly settings?: ProcessSettings;
    }
  | {
      readonly id: string;
      readonly type: 'terminate';
      readonly config?: Config;
      readonly terminate?: TerminateOptions;
    };
