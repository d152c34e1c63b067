/**
 * Timeout and cancellation are handled here once, so each probe only says how to start and how
 * to let go. The probe's answer is awaited only after its resources are released (an exec probe's
 * child reaped, a socket destroyed): a settled probe owns nothing. What a probe is given and
 * what it answers are declared here too, below every probe.
 */

/** What every probe answers, whatever its transport. */
export interface ProbeResult {
  readonly healthy: boolean;
  /** A short human reason: "HTTP 503 (expected 2xx/3xx)", "grpc SERVING", "timed out after 1000 ms". */
  readonly message: string;
}

export interface ProbeContext {
  /** Aborted when the caller gives up: everything the probe started is released at once. */
  readonly signal: AbortSignal;
  /** Enforced by the probe itself too, so that a forgetful caller still gets an answer. */
  readonly timeoutMs: number;
  /** exec probes: the environment (default process.env). */
  readonly env?: NodeJS.ProcessEnv;
  /** exec probes: the working directory. */
  readonly cwd?: string;
  /** exec probes: run as this user and group (the process's own), not as the daemon. */
  readonly uid?: number;
  readonly gid?: number;
}

export interface ProbeAttempt {
  /** Settles when the target answered or failed; must never reject. */
  readonly result: Promise<ProbeResult>;
  /** Releases everything the attempt holds; resolves once it is released. */
  cancel(): Promise<void> | void;
}

/** The rejection of an aborted probe: `name === 'AbortError'`, the signal's reason as its cause. */
export function probeAbortError(signal: AbortSignal): Error {
  const error = new Error('health probe aborted', { cause: signal.reason });
  error.name = 'AbortError';
  return error;
}

export function timedOut(timeoutMs: number): ProbeResult {
  return { healthy: false, message: `timed out after ${timeoutMs} ms` };
}

/** Short enough for a status line, whatever a target printed. */
export function clip(text: string, max = 200): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export function errorMessage(error: unknown): string {
  return clip(error instanceof Error ? error.message : String(error));
}

type Outcome = { kind: 'done'; result: ProbeResult } | { kind: 'timeout' } | { kind: 'abort' };

export async function runAttempt(context: ProbeContext, start: () => ProbeAttempt): Promise<ProbeResult> {
  const { signal, timeoutMs } = context;
  if (signal.aborted) throw probeAbortError(signal);
  let attempt: ProbeAttempt;
  try {
    attempt = start();
  } catch (error) {
    return { healthy: false, message: errorMessage(error) };
  }
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const outcome = await Promise.race<Outcome>([
    attempt.result.then((result) => ({ kind: 'done', result })),
    new Promise<Outcome>((resolve) => {
      timer = setTimeout(() => resolve({ kind: 'timeout' }), Math.max(0, timeoutMs));
    }),
    new Promise<Outcome>((resolve) => {
      onAbort = () => resolve({ kind: 'abort' });
      signal.addEventListener('abort', onAbort, { once: true });
    }),
  ]);
  clearTimeout(timer);
  if (onAbort) signal.removeEventListener('abort', onAbort);
  if (outcome.kind === 'done') return outcome.result;
  await attempt.cancel();
  if (outcome.kind === 'abort') throw probeAbortError(signal);
  return timedOut(timeoutMs);
}
