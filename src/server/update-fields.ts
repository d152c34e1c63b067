/**
 * Which spec changes apply to a live process at once (hot) and which need a restart to take
 * effect. Hot fields are read by the chart or by a hook at the time they matter: the restart
 * guard reads the policy when a run ends, the terminating hook reads the stop signal when it
 * stops. A restart-required field is stored at once and used by the next run.
 */
import { isDeepStrictEqual } from 'node:util';
import type { ProcessSpec } from '../spec/types.js';
import { effectiveKillMode } from '../runtime/exec/kill-mode.js';

const hotTopLevel = new Set(['name', 'description', 'labels', 'autoStart', 'restart', 'stop', 'healthCheck', 'startTimeoutMs']);
/** The log pump applies a new rotation policy to the files it is writing; new targets wait for a run. */
const hotPaths = new Set(['logs.max_bytes', 'logs.max_files']);
/** Sections compared field by field, so a reply names e.g. `restart.policy`, not `restart`. */
const sections = new Set(['restart', 'stop', 'logs', 'healthCheck', 'resources', 'runtime']);

function snake(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** Millisecond fields are named as on the wire (`delay_ms`), which is what update masks name. */
function changedPaths(before: ProcessSpec, after: ProcessSpec): string[] {
  const paths: string[] = [];
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]) as Set<keyof ProcessSpec>;
  for (const key of keys) {
    const a = before[key];
    const b = after[key];
    if (isDeepStrictEqual(a, b)) continue;
    if (sections.has(key) && typeof a === 'object' && typeof b === 'object' && a && b && !Array.isArray(a)) {
      const inner = new Set([...Object.keys(a), ...Object.keys(b)]);
      for (const field of inner) {
        const x = (a as unknown as Record<string, unknown>)[field];
        const y = (b as unknown as Record<string, unknown>)[field];
        if (!isDeepStrictEqual(x, y)) paths.push(`${snake(key)}.${snake(field)}`);
      }
    } else {
      paths.push(snake(key));
    }
  }
  return paths.sort();
}

export function classifyUpdate(
  before: ProcessSpec,
  after: ProcessSpec,
  /** liveGroup: the running process has a cgroup; canGroup: this machine can make one. */
  options: { liveGroup?: boolean; canGroup?: boolean } = {},
): { updated: string[]; restartRequired: string[] } {
  const updated = changedPaths(before, after);
  const restartRequired = updated.filter((path) => {
    const top = path.split('.')[0]!.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
    // Limits are hot only where the runtime can rewrite them in a live cgroup, and a stop can
    // signal a whole cgroup only if the run was started in one.
    if (top === 'resources') return options.liveGroup !== true;
    if (path === 'stop.kill_mode' && effectiveKillMode(after.stop, options.canGroup === true) === 'control-group') {
      return options.liveGroup !== true;
    }
    return !hotTopLevel.has(top) && !hotPaths.has(path);
  });
  return { updated, restartRequired };
}
