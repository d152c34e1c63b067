/**
 * Dependencies between processes, as a spec spells them: `after`, `requires` and `wants` entries
 * may name a condition on the other process (`db:healthy`), like process-compose's
 * `depends_on.condition`; without one it is `started`. `before`, `binds_to` and `conflicts` take
 * plain names. This file reads the entries; dependency-graph.ts reasons about a set of specs.
 */
import { processNamePattern } from './fields.js';
import type { ProcessSpec } from './types.js';

export const dependencyConditions = ['started', 'healthy', 'completed_successfully'] as const;
export type DependencyCondition = (typeof dependencyConditions)[number];

/** The fields that relate a process to others, in the order Describe lists them. */
export const dependencyFields = ['after', 'before', 'requires', 'wants', 'bindsTo', 'conflicts'] as const;
export type DependencyField = (typeof dependencyFields)[number];

/** The fields whose entries may carry a condition. */
export const conditionedFields: readonly DependencyField[] = ['after', 'requires', 'wants'];

export interface Dependency {
  readonly name: string;
  readonly condition: DependencyCondition;
}

export const dependencyEntryPattern = new RegExp(
  `${processNamePattern.source.slice(0, -1)}(:(${dependencyConditions.join('|')}))?$`,
);

/** `db:healthy` → db, healthy; `db` → db, started. The entry was validated at the edge. */
export function parseDependency(entry: string): Dependency {
  const colon = entry.indexOf(':');
  if (colon < 0) return { name: entry, condition: 'started' };
  return { name: entry.slice(0, colon), condition: entry.slice(colon + 1) as DependencyCondition };
}

/** The names a field of a spec refers to (conditions dropped). */
export function namesOf(spec: ProcessSpec, field: DependencyField): string[] {
  return spec[field].map((entry) => parseDependency(entry).name);
}

/** "db (healthy)" — how a wait is shown. */
export function describeDependency(dependency: Dependency): string {
  return `${dependency.name} (${dependency.condition})`;
}
