/**
 * What of a ProcessSpec the process chart itself needs: restart policy, default grace period and
 * the health check's timings (the probe itself runs in the exec runtime's checkHealth hook).
 * The rest of the spec travels as the chart's config to the exec runtime's hooks.
 */
import type { HealthSettings, ProcessSettings } from '../machines/process-types.js';
import type { HealthCheckSpec, ProcessSpec } from '../spec/types.js';

/** `awaitsDependencies`: whether a run waits for others first (dependencies.ts knows, from every spec). */
export function chartSettings(spec: ProcessSpec, awaitsDependencies = false): ProcessSettings {
  return {
    restart: {
      ...spec.restart,
      // A oneshot is meant to exit soon: even its quick failure is not a failed start.
      minUptimeMs: spec.type === 'oneshot' ? 0 : spec.restart.minUptimeMs,
    },
    defaultGracePeriodSecs: spec.stop.gracePeriodMs / 1000,
    healthCheck: healthSettings(spec.healthCheck),
    startTimeoutMs: spec.startTimeoutMs,
    awaitsDependencies,
  };
}

function healthSettings(check: HealthCheckSpec | undefined): HealthSettings | null {
  if (check === undefined) return null;
  const { intervalMs, timeoutMs, startPeriodMs, failureThreshold, successThreshold, restartAfter } = check;
  return { intervalMs, timeoutMs, startPeriodMs, failureThreshold, successThreshold, restartAfter };
}
