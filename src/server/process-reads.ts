/**
 * The daemon's read side: list, describe, counts by state, resource usage, the files a process's
 * output is in, and the snapshot a watcher of events receives first. Nothing here changes a
 * process; the verbs are process-verbs.ts's.
 */
import { StatevisorError } from '../errors.js';
import type { ProcessState } from '../machines/process-state.js';
import type { WorkloadHandle } from '../runtime/exec/child-handle.js';
import type { WorkloadResources } from '../runtime/exec/workload-resources.js';
import type { UsageSample, UsageTarget } from '../runtime/resources/index.js';
import type { ProcessSpec } from '../spec/types.js';
import { enforcementOf, type Enforcement } from './enforcement.js';
import type { ProcessEventRecord } from './events.js';
import type { LiveViews, ViewInputs } from './live-views.js';
import { readableLogFile, readableLogFiles, type LogStream } from './log-files.js';
import type { ProcessEvents, TransitionRecord } from './process-events.js';
import type { ProcessEntry, ProcessTable } from './process-table.js';
import type { ProcessView } from './process-view.js';
import type { RunSpecs } from './run-specs.js';
import type { UsageMonitor } from './usage-monitor.js';

export interface Description {
  readonly process: ProcessView;
  readonly spec: ProcessSpec;
  /** Restart-required fields changed since the live run started: "spec changed, restart pending". */
  readonly restartPending: readonly string[];
  readonly enforcement: readonly Enforcement[];
  readonly transitions: readonly TransitionRecord[];
  /** What the daemon did with this process when it started after a stop or crash. */
  readonly recovery: string;
}

export interface ProcessReadsOptions {
  readonly table: ProcessTable;
  readonly views: LiveViews;
  readonly history: Pick<ProcessEvents, 'transitionsOf' | 'snapshot'>;
  readonly runSpecs: Pick<RunSpecs, 'pendingFor'>;
  readonly usage: Pick<UsageMonitor, 'now'>;
  /** The live (or last) workload of a process, to measure it. */
  childOf(id: string): WorkloadHandle | undefined;
  /** A running workload that measures itself (a worker thread: no pid of its own to read in /proc). */
  measuredOf?(id: string): UsageTarget | undefined;
  /** What recovery did with a process, if anything. */
  recoveryOf(id: string): string | undefined;
  readonly resources?: WorkloadResources | undefined;
  readonly setpriv?: string | undefined;
  readonly logsDir: string;
}

export class ProcessReads {
  constructor(private readonly options: ProcessReadsOptions) {}

  entry(nameOrId: string): ProcessEntry {
    return this.options.table.get(nameOrId);
  }

  has(nameOrId: string): boolean {
    return this.options.table.has(nameOrId);
  }

  view(entry: ProcessEntry): ProcessView {
    return this.options.views.view(entry);
  }

  /** A process's chart as it is now (undefined before its first run); E_NOT_FOUND for an unknown one. */
  chartState(nameOrId: string): { readonly value: unknown; readonly context: unknown } | undefined {
    return this.options.views.chartState(this.options.table.get(nameOrId));
  }

  get size(): number {
    return this.options.table.size;
  }

  list(labelSelector = ''): ProcessView[] {
    return this.#selected(labelSelector).map((e) => this.options.views.view(e));
  }

  /** list's rows as what their views are made of, for answers that reuse what did not change (list-rows.ts). */
  listInputs(labelSelector = ''): { entry: ProcessEntry; inputs: ViewInputs }[] {
    return this.#selected(labelSelector).map((entry) => ({ entry, inputs: this.options.views.inputsOf(entry) }));
  }

  viewFrom(entry: ProcessEntry, inputs: ViewInputs): ProcessView {
    return this.options.views.viewFrom(entry, inputs);
  }

  now(): number {
    return this.options.views.now();
  }

  #selected(labelSelector: string): ProcessEntry[] {
    const wanted = parseLabelSelector(labelSelector);
    const all = this.options.table.all();
    return wanted.length === 0 ? all : all.filter((e) => wanted.every(([k, v]) => e.spec.labels[k] === v));
  }

  describe(nameOrId: string): Description {
    const entry = this.options.table.get(nameOrId);
    return {
      process: this.options.views.view(entry),
      spec: entry.spec,
      restartPending: this.options.runSpecs.pendingFor(entry.id, entry.spec) ?? [],
      enforcement: enforcementOf(entry.spec, this.options.resources, this.options.setpriv),
      transitions: this.options.history.transitionsOf(entry.id),
      recovery: this.options.recoveryOf(entry.id) ?? '',
    };
  }

  countsByState(): Record<string, number> {
    const counts: Partial<Record<ProcessState, number>> = {};
    for (const entry of this.options.table.all()) {
      const state = this.options.views.state(entry);
      counts[state] = (counts[state] ?? 0) + 1;
    }
    return counts;
  }

  /** GetResourceUsage: fresh figures for the whole tree of a running process. */
  async resourceUsage(nameOrId: string): Promise<{ usage: UsageSample; spec: ProcessSpec }> {
    const entry = this.options.table.get(nameOrId);
    const target = this.usageTarget(entry.id);
    if (target === undefined) {
      throw new StatevisorError(
        'E_INVALID_STATE',
        `process '${entry.spec.name}' is ${this.options.views.state(entry)}: no running process to measure`,
      );
    }
    return { usage: await this.options.usage.now(entry.id, target), spec: entry.spec };
  }

  /** What the usage monitor samples each cycle: every running workload. */
  usageTargets(): Map<string, UsageTarget> {
    const targets = new Map<string, UsageTarget>();
    for (const entry of this.options.table.all()) {
      const target = this.usageTarget(entry.id);
      if (target !== undefined) targets.set(entry.id, target);
    }
    return targets;
  }

  /** The file holding one output stream of a process (E_INVALID_STATE when it has none). */
  logFileOf(nameOrId: string, stream: LogStream): string {
    return readableLogFile(this.options.logsDir, this.options.table.get(nameOrId).spec, stream);
  }

  /** Both output streams of a process, those written to a file (E_INVALID_STATE when neither is). */
  logFilesOf(nameOrId: string): { stream: LogStream; file: string }[] {
    return readableLogFiles(this.options.logsDir, this.options.table.get(nameOrId).spec);
  }

  /** The current state of every process (or one), as the first events a watcher receives. */
  snapshotEvents(processId?: string): ProcessEventRecord[] {
    const { table, history } = this.options;
    return history.snapshot(processId === undefined ? table.all() : [table.get(processId)]);
  }

  private usageTarget(id: string): UsageTarget | undefined {
    const measured = this.options.measuredOf?.(id);
    if (measured !== undefined) return measured;
    const child = this.options.childOf(id);
    if (!child?.alive) return undefined;
    const cgroup = this.options.resources?.cgroupOf(id);
    return { pid: child.pid, ...(cgroup !== undefined && { cgroup }) };
  }
}

/** "a=b,c=d": every pair must match. */
export function parseLabelSelector(selector: string): [string, string][] {
  if (selector.trim() === '') return [];
  return selector.split(',').map((pair) => {
    const match = /^\s*([^=\s]+)\s*=\s*([^=]*?)\s*$/.exec(pair);
    if (!match) {
      throw new StatevisorError('E_INVALID_ARGUMENT', `label_selector: got "${pair}", expected key=value pairs separated by commas`);
    }
    return [match[1]!, match[2]!];
  });
}
