/**
 * The restart guard, as one pure function: given how a run ended, the policy and the counters,
 * decide whether the process starts again and after how long. The process chart calls it when
 * the terminated phase has cleaned up; the table test in test/restart-policy.test.ts pins it.
 */
import { backoffDelay } from './backoff.js';
import { describeExit } from './exit-status.js';

export const restartPolicyNames = ['no', 'always', 'on-failure', 'on-success'] as const;
export type RestartPolicyName = (typeof restartPolicyNames)[number];

export interface RestartPolicy {
  readonly policy: RestartPolicyName;
  /** Delay before the first restart of a failure streak; doubles per consecutive failure. */
  readonly delayMs: number;
  /** The restart delay never grows past this. */
  readonly maxDelayMs: number;
  /** At most this many starts within startLimitIntervalMs; 0 disables the limit. */
  readonly startLimitBurst: number;
  readonly startLimitIntervalMs: number;
  /** Exit codes besides 0 that count as success. */
  readonly successExitCodes: readonly number[];
  /**
   * A failure sooner than this after the start is a failed start (supervisord's startsecs). It
   * judges failures only: a success exit is a success however early (systemd's semantics), and
   * every start counts toward the start limit whatever its uptime.
   */
  readonly minUptimeMs: number;
}

export const defaultRestartPolicy: RestartPolicy = {
  policy: 'no',
  delayMs: 100,
  maxDelayMs: 30_000,
  startLimitBurst: 5,
  startLimitIntervalMs: 10_000,
  successExitCodes: [],
  minUptimeMs: 0,
};

/** How the workload of a run ended, as far as the chart knows. */
export type RunEnding =
  /** Someone asked for the stop: never restarted. */
  | { readonly kind: 'stopped' }
  /** The workload ended by itself (an exit, or `terminal: true` from a sync). */
  | {
      readonly kind: 'exited';
      readonly exitCode: number | null;
      readonly signal: string | null;
      readonly uptimeMs: number;
      /** The OS error when the workload could not be started at all. */
      readonly error?: string;
      /** What the runtime knows beyond the exit status, e.g. an OOM kill. */
      readonly cause?: string;
    }
  /**
   * Its health check failed `restartAfter` times in a row and the chart stopped it. A failure
   * that restarts whatever the policy (restart_after asks for exactly that); the start limit and
   * the backoff still apply.
   */
  | { readonly kind: 'unhealthy'; readonly failures: number }
  /**
   * Its health check did not pass within start_timeout (awaited healthy), or, without a health
   * check, its start hooks and spawn did not finish within it (awaited started): a failed start,
   * restarted per policy.
   */
  | { readonly kind: 'start-timeout'; readonly timeoutMs: number; readonly awaited?: 'healthy' | 'started' };

export type RunOutcome = 'stopped' | 'exited' | 'failed';

export interface RestartCounters {
  /** Consecutive failed runs before this one. */
  readonly failureStreak: number;
  /** Times (ms) at which the recent runs started, oldest first; this run's start included. */
  readonly recentStarts: readonly number[];
  /** The time the decision is taken. */
  readonly now: number;
}

export type RestartDecision =
  | {
      readonly restart: true;
      readonly delayMs: number;
      readonly failureStreak: number;
      readonly reason: string;
    }
  | {
      readonly restart: false;
      readonly outcome: RunOutcome;
      readonly failureStreak: number;
      readonly reason: string;
    };

export function isSuccessfulEnding(ending: RunEnding, policy: RestartPolicy): boolean {
  if (ending.kind === 'stopped') return true;
  if (ending.kind === 'unhealthy' || ending.kind === 'start-timeout') return false;
  if (ending.error !== undefined || ending.signal !== null) return false;
  return ending.exitCode === 0 || policy.successExitCodes.includes(ending.exitCode ?? -1);
}

function describeEnding(ending: RunEnding, policy: RestartPolicy, success: boolean): string {
  if (ending.kind === 'stopped') return 'stopped on request';
  if (ending.kind === 'unhealthy') return `unhealthy: ${ending.failures} health checks failed in a row`;
  if (ending.kind === 'start-timeout') return `not ${ending.awaited ?? 'healthy'} within start_timeout (${ending.timeoutMs} ms)`;
  if (ending.error !== undefined) return `failed to start: ${ending.error}`;
  if (ending.signal === null && !success && ending.uptimeMs < policy.minUptimeMs) {
    // The cause too (a worker's rejection, its heap): the code alone does not say what happened.
    const cause = ending.cause === undefined ? '' : ` (${ending.cause})`;
    return `exited with code ${ending.exitCode}${cause} after ${ending.uptimeMs} ms, before min_uptime ${policy.minUptimeMs} ms`;
  }
  return describeExit(ending);
}

/**
 * Decide what follows a run. `jitterSample` is a uniform sample in [0, 1) that spreads restart
 * delays so that processes crashing together do not restart together.
 */
export function decideRestart(
  ending: RunEnding,
  policy: RestartPolicy,
  counters: RestartCounters,
  jitterSample: number,
): RestartDecision {
  const success = isSuccessfulEnding(ending, policy);
  const failureStreak = success ? 0 : counters.failureStreak + 1;
  const why = describeEnding(ending, policy, success);
  const outcome: RunOutcome = ending.kind === 'stopped' ? 'stopped' : success ? 'exited' : 'failed';

  if (ending.kind === 'stopped') {
    return { restart: false, outcome, failureStreak, reason: why };
  }
  const wanted =
    ending.kind === 'unhealthy' ||
    policy.policy === 'always' ||
    (policy.policy === 'on-failure' && !success) ||
    (policy.policy === 'on-success' && success);
  if (!wanted) {
    return { restart: false, outcome, failureStreak, reason: `${why}; restart policy '${policy.policy}'` };
  }
  if (policy.startLimitBurst > 0) {
    const windowStart = counters.now - policy.startLimitIntervalMs;
    const startsInWindow = counters.recentStarts.filter((t) => t > windowStart).length;
    if (startsInWindow >= policy.startLimitBurst) {
      return {
        restart: false,
        outcome: 'failed',
        failureStreak,
        reason: `${why}; start limit reached (${startsInWindow} starts within ${policy.startLimitIntervalMs} ms)`,
      };
    }
  }
  // A success restarts after the plain delay; failures grow it exponentially up to the cap.
  const delayMs =
    policy.delayMs === 0
      ? 0
      : backoffDelay(
          Math.max(1, failureStreak),
          { baseMs: policy.delayMs, capMs: Math.max(policy.delayMs, policy.maxDelayMs), jitter: 0.1 },
          jitterSample,
        );
  return { restart: true, delayMs, failureStreak, reason: `${why}; restarting in ${delayMs} ms` };
}

/** Keep only the starts that can still count against the start limit. */
export function pruneStarts(starts: readonly number[], now: number, policy: RestartPolicy): number[] {
  const windowStart = now - policy.startLimitIntervalMs;
  return starts.filter((t) => t > windowStart);
}
