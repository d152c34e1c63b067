/**
 * What of a ProcessSpec the process chart itself needs: restart policy and default grace period.
 * The rest of the spec travels as the chart's config to the exec runtime's hooks.
 */
import type { ProcessSettings } from '../machines/process-types.js';
import type { ProcessSpec } from '../spec/types.js';

export function chartSettings(spec: ProcessSpec): ProcessSettings {
  return {
    restart: {
      ...spec.restart,
      // A oneshot is meant to exit soon: its quick success is not a failed start.
      minUptimeMs: spec.type === 'oneshot' ? 0 : spec.restart.minUptimeMs,
    },
    defaultGracePeriodSecs: spec.stop.gracePeriodMs / 1000,
  };
}
