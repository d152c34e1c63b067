/**
 * Which spec changes apply to a live process at once (hot) and which need a restart to take
 * effect. Hot fields are read by the chart or by a hook at the time they matter: the restart
 * guard reads the policy when a run ends, the terminating hook reads the stop signal when it
 * stops. A restart-required field is stored at once and used by the next run.
 */
import { isDeepStrictEqual } from 'node:util';
import type { AnyShape } from '../spec/fields.js';
import { specShape } from '../spec/schema.js';
import { snakeCase } from '../spec/section.js';
import type { ProcessSpec } from '../spec/types.js';
import { effectiveKillMode } from '../runtime/exec/kill-mode.js';

/**
 * Read from the table whenever they matter — when another process starts or stops, when the
 * target leaves its run — so a change is in force at once; after, requires and wants are read
 * when a run starts (waitingForDependencies): the next run's.
 */
const liveDependencyFields = ['before', 'bindsTo', 'conflicts'];

const hotTopLevel = new Set(['name', 'description', 'labels', 'autoStart', 'restart', 'stop', 'healthCheck', 'startTimeoutMs', ...liveDependencyFields]);
/** The log pump applies a new rotation policy to the files it is writing; new targets wait for a run. */
const hotPaths = new Set(['logs.max_bytes', 'logs.max_files']);
/** A changed field: its top-level key, and its path as the wire names it. */
interface Change {
  readonly top: string;
  readonly path: string;
}

/**
 * Sections (the schema's) are compared field by field, so a reply names e.g. `restart.policy`,
 * not `restart`. Millisecond fields are named as on the wire (`delay_ms`), which is what update
 * masks name.
 */
function changes(before: ProcessSpec, after: ProcessSpec): Change[] {
  const found: Change[] = [];
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]) as Set<keyof ProcessSpec>;
  for (const key of keys) {
    const a = before[key];
    const b = after[key];
    if (isDeepStrictEqual(a, b)) continue;
    const section = (specShape as AnyShape)[key]?.shape !== undefined;
    if (section && typeof a === 'object' && typeof b === 'object' && a && b && !Array.isArray(a)) {
      const inner = new Set([...Object.keys(a), ...Object.keys(b)]);
      for (const field of inner) {
        const x = (a as unknown as Record<string, unknown>)[field];
        const y = (b as unknown as Record<string, unknown>)[field];
        if (!isDeepStrictEqual(x, y)) found.push({ top: key, path: `${snakeCase(key)}.${snakeCase(field)}` });
      }
    } else {
      found.push({ top: key, path: snakeCase(key) });
    }
  }
  return found.sort((x, y) => (x.path < y.path ? -1 : x.path > y.path ? 1 : 0));
}

export function classifyUpdate(
  before: ProcessSpec,
  after: ProcessSpec,
  /** liveGroup: the running process has a cgroup; canGroup: this machine can make one. */
  options: { liveGroup?: boolean; canGroup?: boolean } = {},
): { updated: string[]; restartRequired: string[] } {
  const changed = changes(before, after);
  const restartRequired = changed.filter(({ top, path }) => {
    // Limits are hot only where the runtime can rewrite them in a live cgroup, and a stop can
    // signal a whole cgroup only if the run was started in one.
    if (top === 'resources') return options.liveGroup !== true;
    if (path === 'stop.kill_mode' && effectiveKillMode(after.stop, options.canGroup === true) === 'control-group') {
      return options.liveGroup !== true;
    }
    return !hotTopLevel.has(top) && !hotPaths.has(path);
  });
  return { updated: changed.map((c) => c.path), restartRequired: restartRequired.map((c) => c.path) };
}
