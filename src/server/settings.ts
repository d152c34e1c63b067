/**
 * What of a ProcessSpec the process chart itself needs: restart policy, default grace period,
 * the stages a run has work in (conditions, hooks, a runtime directory) and the health check's timings (the probe itself runs in the exec runtime's checkHealth hook).
 * The rest of the spec travels as the chart's config to the exec runtime's hooks.
 */
import type { HealthSettings, ProcessSettings, RunStages } from '../machines/process-types.js';
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
    startOnConnection: spec.startOn === 'connection',
    stages: runStages(spec),
  };
}

/** The run's optional stages with work to do: a stage without is skipped by the chart at no cost. */
export function runStages(spec: ProcessSpec): RunStages {
  const runtimeDirectory = spec.runtimeDirectory !== undefined;
  return {
    conditionCheck: spec.conditionPathExists.length > 0,
    startPre: spec.execStartPre.length > 0 || runtimeDirectory,
    startPost: spec.execStartPost.length > 0,
    stopPost: spec.execStopPost.length > 0 || runtimeDirectory,
  };
}

function healthSettings(check: HealthCheckSpec | undefined): HealthSettings | null {
  if (check === undefined) return null;
  const { intervalMs, timeoutMs, startPeriodMs, failureThreshold, successThreshold, restartAfter } = check;
  return { intervalMs, timeoutMs, startPeriodMs, failureThreshold, successThreshold, restartAfter };
}
