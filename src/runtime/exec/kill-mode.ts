/**
 * Which kill mode a stop uses. A spec that names one gets it. An unset kill_mode means the
 * default of the machine the daemon runs on: control-group where a cgroup can be made — as
 * systemd does, since `setsid` or a double fork is all it takes for a child to leave its process
 * group and session, and then only its cgroup still holds it — else process-group, the widest
 * reach there is without one. Describe names the mode that applies and why (server/enforcement.ts).
 */
import type { KillMode, StopSpec } from '../../spec/types.js';

export function defaultKillMode(canGroup: boolean): KillMode {
  return canGroup ? 'control-group' : 'process-group';
}

/** The mode a stop of this spec uses on a machine that can (or cannot) make a cgroup. */
export function effectiveKillMode(stop: StopSpec, canGroup: boolean): KillMode {
  return stop.killMode ?? defaultKillMode(canGroup);
}
