/**
 * The spec each live run was started with. An update stores a restart-required field at once; the
 * run keeps what it began with until a new run starts, so the difference is what a restart would
 * apply ("spec changed, restart pending"). In memory only: a run adopted after a daemon restart
 * is taken to run the stored spec.
 */
import type { ProcessSpec } from '../spec/types.js';
import type { WorkloadResources } from '../runtime/exec/workload-resources.js';
import { classifyUpdate } from './update-fields.js';

/** Limits are rewritten in a live cgroup; a process without one (rlimits, or none) needs a restart. */
export function groupOf(resources: WorkloadResources | undefined, id: string): { liveGroup: boolean; canGroup: boolean } {
  return { liveGroup: resources?.cgroupOf(id) !== undefined, canGroup: resources?.canGroup === true };
}

export class RunSpecs {
  readonly #started = new Map<string, ProcessSpec>();

  constructor(
    private readonly runtime: {
      /** Whether the workload of `id` runs now. */
      isAlive(id: string): boolean;
      readonly resources?: WorkloadResources | undefined;
    },
  ) {}

  started(id: string, spec: ProcessSpec): void {
    this.#started.set(id, spec);
  }

  ended(id: string): void {
    this.#started.delete(id);
  }

  /**
   * The restart-required fields in which `spec` differs from what the live run was started with;
   * undefined when no run is up (the next start takes the stored spec whole).
   */
  pendingFor(id: string, spec: ProcessSpec): string[] | undefined {
    const started = this.#started.get(id);
    if (started === undefined || !this.runtime.isAlive(id)) return undefined;
    return classifyUpdate(started, spec, groupOf(this.runtime.resources, id)).restartRequired;
  }
}
