/**
 * Exponential backoff with jitter, kept pure so the chart can compute a retry delay inside an
 * `assign` and replay it: the jitter comes from a small PRNG whose state lives in the chart's
 * context rather than from Math.random().
 */

export interface BackoffOptions {
  /** Delay of the first retry. */
  readonly baseMs: number;
  /** No delay is ever longer than this. */
  readonly capMs: number;
  /** Fraction of the delay that jitter may remove, 0..1. 0.2 spreads retries over [0.8d, d]. */
  readonly jitter: number;
}

export const defaultBackoff: BackoffOptions = { baseMs: 1_000, capMs: 10_000, jitter: 0.2 };

/** The un-jittered delay of retry number `attempt` (1-based): base, 2·base, 4·base… capped. */
export function backoffCeiling(attempt: number, options: BackoffOptions): number {
  const exponent = Math.max(0, attempt - 1);
  // 2^exponent overflows to Infinity long after it has passed any sane cap; min() handles it.
  return Math.min(options.capMs, options.baseMs * 2 ** exponent);
}

/**
 * The jittered delay of retry number `attempt`, given a uniform sample in [0, 1).
 * Always within [ceiling·(1 − jitter), ceiling], so never above the cap.
 */
export function backoffDelay(attempt: number, options: BackoffOptions, sample: number): number {
  const ceiling = backoffCeiling(attempt, options);
  return Math.round(ceiling * (1 - options.jitter * sample));
}

/** xorshift32: a tiny PRNG whose whole state is one 32-bit integer (never 0). */
export function nextSeed(seed: number): number {
  let x = seed | 0 || 0x9e3779b9;
  x ^= x << 13;
  x ^= x >>> 17;
  x ^= x << 5;
  return x >>> 0 || 0x9e3779b9;
}

/** A uniform sample in [0, 1) derived from a PRNG state. */
export function sampleOf(seed: number): number {
  return (seed >>> 0) / 0x1_0000_0000;
}
