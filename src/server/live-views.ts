/**
 * A process as it is now: its definition, its chart's snapshot, its runtime's pid and its last
 * usage sample, put together by viewOf (process-view.ts). Shared by the verbs (whose answers are
 * views), the read side and the event stream.
 */
import type { ProcessSnapshot } from '../manager/process-manager.js';
import { processStateOf, type ProcessState } from '../machines/process-state.js';
import type { UsageSample } from '../runtime/resources/index.js';
import type { ProcessEntry } from './process-table.js';
import { viewOf, type ProcessView } from './process-view.js';

export interface LiveSources {
  snapshotOf(id: string): ProcessSnapshot | undefined;
  /** The pid of the workload of `id`, when one runs. */
  pidOf(id: string): number | undefined;
  latestUsage(id: string): UsageSample | undefined;
  /** A worker thread of `id` runs (no pid of its own, but usage to show). */
  runsThread?(id: string): boolean;
  now(): number;
}

/**
 * What a process's view is made of, each compared by identity: snapshots, specs and usage samples
 * are replaced, never changed, so two views made of equal inputs differ only in their uptime.
 */
export interface ViewInputs {
  readonly spec: ProcessEntry['spec'];
  readonly snapshot: ProcessSnapshot | undefined;
  readonly pid: number | undefined;
  readonly usage: UsageSample | undefined;
}

export function sameInputs(a: ViewInputs, b: ViewInputs): boolean {
  return a.spec === b.spec && a.snapshot === b.snapshot && a.pid === b.pid && a.usage === b.usage;
}

export class LiveViews {
  constructor(private readonly sources: LiveSources) {}

  view(entry: ProcessEntry): ProcessView {
    return this.viewFrom(entry, this.inputsOf(entry));
  }

  inputsOf(entry: ProcessEntry): ViewInputs {
    const pid = this.sources.pidOf(entry.id);
    const running = pid !== undefined || this.sources.runsThread?.(entry.id) === true;
    const usage = running ? this.sources.latestUsage(entry.id) : undefined;
    return { spec: entry.spec, snapshot: this.sources.snapshotOf(entry.id), pid, usage };
  }

  viewFrom(entry: ProcessEntry, inputs: ViewInputs): ProcessView {
    return viewOf(entry, inputs.snapshot, inputs.pid, this.sources.now(), inputs.usage);
  }

  now(): number {
    return this.sources.now();
  }

  state(entry: ProcessEntry): ProcessState {
    return processStateOf(this.sources.snapshotOf(entry.id));
  }

  /** The process's chart as it is now: state value and context (undefined before its first run). */
  chartState(entry: ProcessEntry): { readonly value: unknown; readonly context: unknown } | undefined {
    const snapshot = this.sources.snapshotOf(entry.id);
    return snapshot === undefined ? undefined : { value: snapshot.value, context: snapshot.context };
  }
}
