/**
 * How long callers wait, in one place: the client's calls, the CLI's waits and the embedding
 * API's shutdown. A spec's own durations (grace period, start timeout, backoff) are the spec's
 * defaults (src/spec/defaults.ts); these are the bounds of the calls that wait on them, chosen
 * to cover those defaults with room to spare.
 */
export const deadlines = Object.freeze({
  /** A unary call of the client that names none (createClient's deadlineMs). */
  callMs: 10_000,
  /**
   * The grace period a client allows a stop when it does not know the process's own: the
   * spec's default of 10 s, and processes given far longer.
   */
  assumedGraceMs: 90_000,
  /** Beyond a grace period: the SIGKILL, the reaping and the reply. */
  stopMarginMs: 30_000,
  /** Beyond a process's start_timeout: the daemon's verdict on a start that ran out of time takes a moment. */
  startVerdictMarginMs: 10_000,
  /** The embedding API's shutdown when the caller names no deadline. */
  shutdownMs: 30_000,
});

/**
 * What a call that waits for a whole stop allows (the CLI's restart, delete --force, update
 * --restart-process, and the client's stop without noWait): the grace period, then the margin.
 */
export function stopDeadlineMs(gracePeriodMs: number = deadlines.assumedGraceMs): number {
  return gracePeriodMs + deadlines.stopMarginMs;
}

/**
 * The daemon's own stop (SIGTERM): long enough for the longest grace period among its processes
 * to fit in the 80 % share that stops dependents first, plus 5 s of cleanup.
 */
export function shutdownDeadlineMs(longestGracePeriodMs: number): number {
  return Math.ceil(longestGracePeriodMs * 1.25) + 5_000;
}

/**
 * What a service manager allows the daemon's stop before it kills it (systemd's TimeoutStopSec=):
 * the shutdown of a daemon whose longest grace period is the assumed one, then the margin for
 * closing the listeners and the store. A daemon that takes longer is killed alone
 * (KillMode=process): its processes keep running and the next daemon adopts them.
 */
export function serviceStopTimeoutMs(longestGracePeriodMs: number = deadlines.assumedGraceMs): number {
  return shutdownDeadlineMs(longestGracePeriodMs) + deadlines.stopMarginMs;
}
