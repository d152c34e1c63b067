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

export class LiveViews {
  constructor(private readonly sources: LiveSources) {}

  view(entry: ProcessEntry): ProcessView {
    const pid = this.sources.pidOf(entry.id);
    const running = pid !== undefined || this.sources.runsThread?.(entry.id) === true;
    const usage = running ? this.sources.latestUsage(entry.id) : undefined;
    return viewOf(entry, this.sources.snapshotOf(entry.id), pid, this.sources.now(), usage);
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
