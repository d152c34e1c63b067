/**
 * The health region's arithmetic, kept out of the chart so that the chart reads as states: what
 * one probe result does to the counts and the verdict, and what a changed check resets.
 */
import type { HealthSettings, HealthStatus, ProbeOutput, ProbeRecord, ProcessContext, ProcessFact } from './process-types.js';
import { errorMessage } from './process-context.js';

/** How a probe ended: its actor's output, its actor's error, or the chart's probeTimeout. */
export type ProbeOutcome = { readonly output: ProbeOutput } | { readonly error: unknown } | { readonly timedOut: true };

/**
 * What a probe found. The time of an error or timeout is not known to the chart: it is estimated
 * from the previous probe, for display only.
 */
export function probeRecordOf(context: ProcessContext, outcome: ProbeOutcome): ProbeRecord {
  if ('output' in outcome) {
    const { healthy, message, at } = outcome.output;
    return { healthy, message, at };
  }
  const at = (context.lastProbe?.at ?? context.startedAt ?? 0) + (context.healthCheck?.intervalMs ?? 0);
  if ('error' in outcome) return { healthy: false, message: errorMessage(outcome.error), at };
  return { healthy: false, message: `timed out after ${context.healthCheck?.timeoutMs ?? 0} ms`, at };
}

/**
 * Counts one probe result against the thresholds. Failures in the start period are not counted;
 * a success always is. A change of health or of the failure count is a fact worth reporting.
 */
export function judgeProbe(
  context: ProcessContext,
  probe: ProbeRecord,
): { changes: Partial<ProcessContext>; fact: ProcessFact | undefined } {
  const check = context.healthCheck;
  if (check === undefined) return { changes: {}, fact: undefined };
  const counted = probe.healthy || !context.inStartPeriod;
  const successes = probe.healthy ? context.healthSuccesses + 1 : 0;
  const failures = probe.healthy ? 0 : counted ? context.healthFailures + 1 : context.healthFailures;
  let health: HealthStatus = context.health;
  if (probe.healthy && successes >= check.successThreshold) health = 'healthy';
  else if (!probe.healthy && failures >= check.failureThreshold) health = 'unhealthy';
  const changes: Partial<ProcessContext> = {
    health,
    healthSuccesses: successes,
    healthFailures: failures,
    everHealthy: context.everHealthy || health === 'healthy',
    lastProbe: probe,
  };
  const changed = health !== context.health || failures !== context.healthFailures;
  return {
    changes,
    fact: changed
      ? { type: 'health.changed', id: context.id, health, previous: context.health, failures, message: probe.message }
      : undefined,
  };
}

/** A new health check starts from no verdict; new timings of the same check keep the verdict. */
export function reconfiguredHealth(context: ProcessContext, next: HealthSettings | null): Partial<ProcessContext> {
  if (next === null) {
    return { healthCheck: undefined, health: 'unknown', healthFailures: 0, healthSuccesses: 0, lastProbe: undefined, healthGated: false };
  }
  if (context.healthCheck === undefined) {
    return { healthCheck: next, health: 'starting', healthFailures: 0, healthSuccesses: 0, everHealthy: false };
  }
  return { healthCheck: next };
}
