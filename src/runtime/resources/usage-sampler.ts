/**
 * CPU % needs two samples: the CPU time a tree used between them over the wall time between them.
 * The sampler keeps each key's previous sample and turns the next into a rate (100 = one full
 * core; a tree busy on two cores reads 200).
 *
 * A rate across a restart would compare two different trees, so a key whose main pid changed
 * starts over. Counters can also step back (a /proc-sampled member exits without being reaped by
 * another member and its time leaves the tree): the rate clamps at 0 rather than go negative.
 */
import type { ResourceUsage, SampleOptions, UsageTarget } from './usage.js';
import { sampleAll } from './usage.js';

/** One pass over many targets: sampleAll here, or on the sampling thread (usage-thread.ts). */
export type SampleAll = (targets: readonly UsageTarget[]) => Promise<ResourceUsage[]>;

export interface UsageSample extends ResourceUsage {
  /** CPU % since this key's previous sample; absent on its first. */
  readonly cpuPercent?: number;
}

/** CPU % between two samples of the same tree; undefined when no wall time passed. */
export function cpuPercent(previous: ResourceUsage, next: ResourceUsage): number | undefined {
  const wallUs = (next.at - previous.at) * 1000;
  if (!(wallUs > 0)) return undefined;
  const cpuUs = next.cpuUserUs + next.cpuSystemUs - (previous.cpuUserUs + previous.cpuSystemUs);
  return Math.max(0, (cpuUs / wallUs) * 100);
}

export class UsageSampler<Key> {
  readonly #previous = new Map<Key, { pid: number; usage: ResourceUsage }>();
  readonly #sampleAll: SampleAll;

  constructor(options: SampleOptions = {}, pass?: SampleAll) {
    this.#sampleAll = pass ?? ((targets) => sampleAll(targets, options));
  }

  /**
   * Samples every target in one pass. Keys missing from `targets` are forgotten, so a deleted
   * process does not leave its last sample behind.
   */
  async sample(targets: ReadonlyMap<Key, UsageTarget>): Promise<Map<Key, UsageSample>> {
    const keys = [...targets.keys()];
    const usages = await this.#sampleAll([...targets.values()]);
    const samples = new Map<Key, UsageSample>();
    keys.forEach((key, index) => {
      const usage = usages[index] as ResourceUsage;
      const pid = (targets.get(key) as UsageTarget).pid;
      const previous = this.#previous.get(key);
      const percent = previous?.pid === pid ? cpuPercent(previous.usage, usage) : undefined;
      samples.set(key, percent === undefined ? usage : { ...usage, cpuPercent: percent });
      this.#previous.set(key, { pid, usage });
    });
    for (const key of this.#previous.keys()) if (!targets.has(key)) this.#previous.delete(key);
    return samples;
  }

  forget(key: Key): void {
    this.#previous.delete(key);
  }
}
