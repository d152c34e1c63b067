/**
 * The daemon's verbs over its processes: the process manager (charts) driving the exec runtime,
 * and the table of definitions. Transport-neutral: the gRPC handlers translate to and from the
 * wire; the errors thrown here carry codes that are mapped to statuses in one place.
 */
import { randomUUID } from 'node:crypto';
import { StatevisorError } from '../errors.js';
import { createProcessManager, type ProcessManager } from '../manager/process-manager.js';
import type { Logger } from '../manager/logger.js';
import type { MetricsCollector } from '../manager/metrics.js';
import type { Clock } from '../manager/clock.js';
import { systemClock } from '../manager/clock.js';
import { ExecSyncer } from '../runtime/exec/exec-syncer.js';
import { SpawnPacer } from '../runtime/exec/spawn-pacer.js';
import { baseEnvOf } from '../runtime/exec/child-env.js';
import { signalGroup, signalProcess } from '../runtime/os/process-group.js';
import { parseSignal } from '../spec/signal.js';
import type { ProcessSpec } from '../spec/types.js';
import { enforcementOf, unenforcedNote, type Enforcement } from './enforcement.js';
import { UsageMonitor } from './usage-monitor.js';
import type { UsageSample, UsageTarget } from '../runtime/resources/index.js';
import type { WorkloadResources } from '../runtime/exec/workload-resources.js';
import type { Desired, DesiredStateStore, Source } from './persistence.js';
import { specToSnakeCase } from '../spec/wire.js';
import type { EventHub, ProcessEventRecord } from './events.js';
import { ProcessEvents, type TransitionRecord } from './process-events.js';
import { Inspector } from './inspector.js';
import { checkLogPaths, LogFiles, readableLogFile, readableLogFiles, type LogStream } from './log-files.js';
import { ProcessTable, type ProcessEntry } from './process-table.js';
import { stateOf, viewOf, type ProcessState, type ProcessView } from './process-view.js';
import { chartSettings } from './settings.js';
import { classifyUpdate } from './update-fields.js';

/**
 * Restarts per second across the daemon. Chosen by the crash-load bench (200 zero-delay crash
 * loops, 50 clients calling the API, 2 cores): at 100/s restarts took a third of the loop and the
 * API's p99 was 470 ms; at 50/s 285 ms, at 20/s 255 ms — below 50/s the API's own cost under 50
 * clients dominates, so 50 keeps a crash loop's restarts fast while bounding what they cost.
 */
export const defaultRestartRate = 50;

export interface SupervisionOptions {
  readonly logger: Logger;
  readonly logsDir: string;
  /** Where the pipes that carry children's output live. */
  readonly pipesDir: string;
  /** Marks children so that a later daemon finds the survivors of this one. */
  readonly stateDir: string;
  readonly store: DesiredStateStore;
  readonly clock?: Clock;
  /** What every child's environment starts from (default: baseEnvOf(process.env)). */
  readonly baseEnv?: NodeJS.ProcessEnv;
  /** cgroups and rlimits of this machine; without it, limits are reported as not enforced. */
  readonly resources?: WorkloadResources;
  /** setpriv(1), found at start; without it a `user:` child gets no supplementary groups. */
  readonly setpriv?: string;
  /** Time between usage samples of every running process. */
  readonly usageIntervalMs?: number;
  /** Restarts per second across the daemon (crash loops are paced beyond it); 0: no limit. */
  readonly restartRate?: number;
  /** The process manager's metrics (Prometheus, with --http); none by default. */
  readonly metrics?: MetricsCollector;
}

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

export interface UpdateResult {
  readonly updatedFields: string[];
  /** With a live run, what it lacks until a restart (earlier updates' fields too); else this update's. */
  readonly restartRequiredFields: string[];
  readonly processRestarted: boolean;
  readonly process: ProcessView;
}

export class Supervision {
  readonly manager: ProcessManager<ProcessSpec>;
  readonly exec: ExecSyncer;
  private readonly table = new ProcessTable();
  private readonly clock: Clock;
  private readonly history: ProcessEvents;
  /** Inspect's stream of the actor system's XState inspection events. */
  readonly inspector: Inspector;
  readonly logs: LogFiles;
  /** Open log streams, ended when the daemon stops. */
  readonly logStreams = new Set<AbortController>();
  private readonly recoveries = new Map<string, string>();
  /**
   * The spec each live run was started with. An update stores a restart-required field at once;
   * the run keeps what it began with until a new run starts, so the difference is what a
   * restart would apply. In memory only: a run adopted after a daemon restart is taken to run
   * the stored spec.
   */
  private readonly runSpecs = new Map<string, ProcessSpec>();
  readonly usage: UsageMonitor;

  constructor(private readonly options: SupervisionOptions) {
    this.clock = options.clock ?? systemClock;
    this.history = new ProcessEvents({
      find: (id) => (this.table.has(id) ? this.table.get(id) : undefined),
      view: (entry) => this.view(entry),
      state: (entry) => this.state(entry),
      now: () => this.clock.now(),
    });
    this.logs = new LogFiles({
      logsDir: options.logsDir,
      pipesDir: options.pipesDir,
      stateDir: options.stateDir,
      onWarning: (id, message) =>
        options.logger.warn({ process: this.table.has(id) ? this.table.get(id).spec.name : id }, message),
    });
    this.exec = new ExecSyncer({
      output: this.logs,
      pacer: new SpawnPacer({ restartsPerSecond: options.restartRate ?? defaultRestartRate }),
      stateDir: options.stateDir,
      onRun: (id, run, spec) => {
        this.runSpecs.set(id, spec);
        const runCount = this.manager.getProcessSnapshot(id)?.context.runCount ?? 0;
        const record = { pid: run.pid, pgid: run.pgid, startTime: run.startTime, startedAt: run.startedAt, runCount };
        this.persist(options.store.recordRun(id, record), id, 'record the run');
        this.usage.soon();
      },
      now: () => this.clock.now(),
      baseEnv: options.baseEnv ?? baseEnvOf(process.env),
      ...(options.resources !== undefined && { resources: options.resources }),
      ...(options.setpriv !== undefined && { setpriv: options.setpriv }),
      onWarning: (id, message) =>
        options.logger.warn({ process: this.table.has(id) ? this.table.get(id).spec.name : id }, message),
      // No clearRun on exit: a stale run record is harmless (recovery checks pid + start time
      // before adopting), and a crash loop would otherwise pay a second fdatasync per restart.
      onExit: (id, exit) => {
        this.runSpecs.delete(id);
        this.history.exited(id, exit);
        this.manager.reportWorkloadExit(id, exit);
      },
    });
    this.manager = createProcessManager<ProcessSpec>({
      syncer: this.exec,
      logger: options.logger,
      clock: this.clock,
      // A running OS process needs no periodic sync: exits arrive as events, so no resync timer
      // per process (1,000 idle timers made every actor stop scan them all).
      resyncIntervalMs: 0,
      ...(options.metrics !== undefined && { metrics: options.metrics }),
      processLabel: (id) => (this.table.has(id) ? this.table.get(id).spec.name : id),
    });
    this.inspector = new Inspector(this.manager.actor.system);
    this.usage = new UsageMonitor({ targets: () => this.usageTargets() }, options.usageIntervalMs, (error) =>
      options.logger.warn({ err: (error as Error).message }, 'usage sample failed'),
    );
    this.usage.start();
    this.manager.actor.on('*', (fact) => {
      if (!('id' in fact)) return;
      if (fact.type === 'run.ended' && fact.outcome !== 'stopped' && this.table.has(fact.id)) {
        // A run that ended by itself and will not restart is over: a daemon restart must not
        // bring it back (a one-shot job runs once, a process that gave up stays FAILED).
        const entry = this.table.get(fact.id);
        entry.desired = 'stopped';
        this.persist(options.store.setDesired(fact.id, 'stopped'), fact.id, 'record that the run ended');
      }
      this.history.onFact(fact);
    });
  }

  /** WatchEvents' stream of every process's events. */
  get events(): EventHub {
    return this.history.hub;
  }

  /** The current state of every process (or one), as the first events a watcher receives. */
  snapshotEvents(processId?: string): ProcessEventRecord[] {
    return this.history.snapshot(processId === undefined ? this.table.all() : [this.table.get(processId)]);
  }

  view(entry: ProcessEntry): ProcessView {
    const pid = this.exec.child(entry.id);
    const alive = pid?.alive === true;
    return viewOf(entry, this.manager.getProcessSnapshot(entry.id), alive ? pid.pid : undefined, this.clock.now(), alive ? this.usage.latest(entry.id) : undefined);
  }

  private usageTargets(): Map<string, UsageTarget> {
    const targets = new Map<string, UsageTarget>();
    for (const entry of this.table.all()) {
      const target = this.usageTarget(entry.id);
      if (target !== undefined) targets.set(entry.id, target);
    }
    return targets;
  }

  private usageTarget(id: string): UsageTarget | undefined {
    const child = this.exec.child(id);
    if (!child?.alive) return undefined;
    const cgroup = this.options.resources?.cgroupOf(id);
    return { pid: child.pid, ...(cgroup !== undefined && { cgroup }) };
  }

  /** GetResourceUsage: fresh figures for the whole tree of a running process. */
  async resourceUsage(nameOrId: string): Promise<{ usage: UsageSample; spec: ProcessSpec }> {
    const entry = this.table.get(nameOrId);
    const target = this.usageTarget(entry.id);
    if (target === undefined) {
      throw new StatevisorError('E_INVALID_STATE', `process '${entry.spec.name}' is ${this.state(entry)}: no running process to measure`);
    }
    return { usage: await this.usage.now(entry.id, target), spec: entry.spec };
  }

  private state(entry: ProcessEntry): ProcessState {
    return stateOf(this.manager.getProcessSnapshot(entry.id));
  }

  entry(nameOrId: string): ProcessEntry {
    return this.table.get(nameOrId);
  }

  has(nameOrId: string): boolean {
    return this.table.has(nameOrId);
  }

  /** Run records are bookkeeping for recovery: a failed write is logged, never fatal. */
  private persist(write: Promise<void>, id: string, what: string): void {
    write.catch((error: unknown) =>
      this.options.logger.error({ id, err: (error as Error).message }, `could not ${what}`),
    );
  }

  private record(entry: ProcessEntry): Promise<void> {
    return this.options.store.putProcess({
      id: entry.id,
      spec: specToSnakeCase(entry.spec),
      createdAt: entry.createdAt,
      desired: entry.desired,
      source: entry.source,
    });
  }

  /** Add a definition restored from the store (no write: it is already durable). */
  restore(entry: ProcessEntry): void {
    this.table.add(entry);
    this.history.added(entry);
    this.persist(this.logs.restore(entry.id, entry.spec), entry.id, 'reattach its log pipes');
  }

  /** The file holding one output stream of a process (E_INVALID_STATE when it has none). */
  logFileOf(nameOrId: string, stream: LogStream): string {
    const entry = this.table.get(nameOrId);
    return readableLogFile(this.options.logsDir, entry.spec, stream);
  }

  /** Both output streams of a process, those written to a file (E_INVALID_STATE when neither is). */
  logFilesOf(nameOrId: string): { stream: LogStream; file: string }[] {
    return readableLogFiles(this.options.logsDir, this.table.get(nameOrId).spec);
  }

  noteRecovery(id: string, what: string): void {
    this.recoveries.set(id, what);
    this.options.logger.info({ process: this.table.has(id) ? this.table.get(id).spec.name : id, recovery: what }, 'recovered');
  }

  /** Begin a run of a restored process (recovery decides which). */
  resume(entry: ProcessEntry): void {
    this.beginRun(entry);
  }

  /** Acknowledged once durable: a crash after the reply cannot lose the process. `spec` was validated at its edge. */
  async create(spec: ProcessSpec, options: { start?: boolean; source?: Source } = {}): Promise<ProcessView> {
    checkLogPaths(spec, this.options.stateDir);
    const start = options.start === true || spec.autoStart;
    const entry: ProcessEntry = {
      id: randomUUID(),
      spec,
      createdAt: this.clock.now(),
      source: options.source ?? 'api',
      desired: start ? 'running' : 'stopped',
    };
    this.table.add(entry);
    try {
      await this.record(entry);
    } catch (error) {
      this.table.remove(entry.id);
      throw error;
    }
    this.options.logger.info({ process: spec.name, id: entry.id }, 'created');
    this.history.added(entry, `created${unenforcedNote(spec, this.options.resources)}`);
    if (start) this.beginRun(entry);
    return this.view(entry);
  }

  private async setDesired(entry: ProcessEntry, desired: Desired): Promise<void> {
    if (entry.desired === desired) return;
    entry.desired = desired;
    await this.options.store.setDesired(entry.id, desired);
  }

  private beginRun(entry: ProcessEntry): void {
    const settings = chartSettings(entry.spec);
    if (this.manager.getProcessSnapshot(entry.id) === undefined) {
      this.manager.updateProcess({ id: entry.id, type: 'create', config: entry.spec, settings });
      return;
    }
    this.manager.reconfigureProcess(entry.id, settings);
    this.manager.startProcess(entry.id, entry.spec);
  }

  async start(nameOrId: string): Promise<ProcessView> {
    const entry = this.table.get(nameOrId);
    const state = this.state(entry);
    if (!['CREATED', 'STOPPED', 'EXITED', 'FAILED'].includes(state)) {
      throw new StatevisorError('E_INVALID_STATE', `process '${entry.spec.name}' is already ${state}`);
    }
    await this.setDesired(entry, 'running');
    this.beginRun(entry);
    return this.view(entry);
  }

  /** Resolves once the process is stopped (or at once with noWait). Stopping a stopped process is a no-op. */
  async stop(nameOrId: string, options: { gracePeriodMs?: number; noWait?: boolean } = {}): Promise<ProcessView> {
    const entry = this.table.get(nameOrId);
    if (options.gracePeriodMs !== undefined && (!Number.isFinite(options.gracePeriodMs) || options.gracePeriodMs < 0)) {
      throw new StatevisorError('E_INVALID_ARGUMENT', `grace_period_ms: got ${options.gracePeriodMs}, expected a non-negative number of milliseconds`);
    }
    await this.setDesired(entry, 'stopped');
    return this.halt(entry, options);
  }

  /** Stop the current run without changing what the user asked for (restart, delete, shutdown). */
  private async halt(entry: ProcessEntry, options: { gracePeriodMs?: number; noWait?: boolean } = {}): Promise<ProcessView> {
    const done = new Promise<void>((resolve) =>
      this.manager.updateProcess({
        id: entry.id,
        type: 'terminate',
        terminate: {
          ...(options.gracePeriodMs !== undefined && { gracePeriodSecs: options.gracePeriodMs / 1000 }),
          onCompleted: () => resolve(),
        },
      }),
    );
    if (!options.noWait) await done;
    return this.view(entry);
  }

  async restart(nameOrId: string): Promise<ProcessView> {
    const entry = this.table.get(nameOrId);
    await this.setDesired(entry, 'running');
    await this.halt(entry);
    this.beginRun(entry);
    return this.view(entry);
  }

  /** Forgets a process; its captured logs are removed, or with keepLogs moved aside (where to is returned). */
  async delete(nameOrId: string, options: { force?: boolean; keepLogs?: boolean } = {}): Promise<{ keptLogs?: string }> {
    const entry = this.table.get(nameOrId);
    const state = this.state(entry);
    const idle = ['CREATED', 'STOPPED', 'EXITED', 'FAILED'].includes(state);
    if (!idle && !options.force) {
      throw new StatevisorError(
        'E_INVALID_STATE',
        `process '${entry.spec.name}' is ${state}: stop it first or delete with force`,
      );
    }
    await this.options.store.deleteProcess(entry.id);
    if (!idle) await this.halt(entry);
    const gone = this.history.deleting(entry);
    this.manager.purgeProcess(entry.id);
    this.table.remove(entry.id);
    this.runSpecs.delete(entry.id);
    const keptLogs = await this.logs.remove(entry.id, entry.spec, { keep: options.keepLogs === true, at: this.clock.now() });
    this.options.logger.info({ process: entry.spec.name, id: entry.id, ...(keptLogs !== undefined && { keptLogs }) }, 'deleted');
    this.history.deleted(entry.id, gone);
    return keptLogs === undefined ? {} : { keptLogs };
  }

  list(labelSelector = ''): ProcessView[] {
    const wanted = parseLabelSelector(labelSelector);
    return this.table
      .all()
      .filter((e) => wanted.every(([k, v]) => e.spec.labels[k] === v))
      .map((e) => this.view(e));
  }

  describe(nameOrId: string): Description {
    const entry = this.table.get(nameOrId);
    return {
      process: this.view(entry),
      spec: entry.spec,
      restartPending: this.restartPending(entry.id, entry.spec) ?? [],
      enforcement: enforcementOf(entry.spec, this.options.resources, this.options.setpriv),
      transitions: this.history.transitionsOf(entry.id),
      recovery: this.recoveries.get(entry.id) ?? '',
    };
  }

  /** `next`: the whole new spec, validated at its edge (validateSpecPatch against this one's spec). */
  async update(nameOrId: string, next: ProcessSpec, options: { restartProcess?: boolean; dryRun?: boolean } = {}): Promise<UpdateResult> {
    const entry = this.table.get(nameOrId);
    // The table's name index relies on it; validateSpecPatch refuses a rename too.
    if (next.name !== entry.spec.name) {
      throw new StatevisorError('E_INVALID_ARGUMENT', `name: got ${JSON.stringify(next.name)}, expected ${JSON.stringify(entry.spec.name)} (a process cannot be renamed)`);
    }
    checkLogPaths(next, this.options.stateDir);
    const { updated, restartRequired: changed } = classifyUpdate(entry.spec, next, this.groupOf(entry.id));
    // A live run is judged against the spec it started with, so that a field stored by an earlier
    // update without a restart still asks for one (and restart_process gives it), though it is
    // unchanged now.
    const restartRequired = this.restartPending(entry.id, next) ?? changed;
    const restarting = options.restartProcess === true && restartRequired.length > 0;
    if (options.dryRun || (updated.length === 0 && !restarting)) {
      return { updatedFields: updated, restartRequiredFields: restartRequired, processRestarted: false, process: this.view(entry) };
    }
    if (updated.length > 0) await this.applySpec(entry, next, updated);
    const running = !['CREATED', 'STOPPED', 'EXITED', 'FAILED'].includes(this.state(entry));
    let processRestarted = false;
    if (restarting && running) {
      await this.restart(entry.id);
      processRestarted = true;
    }
    this.options.logger.info({ process: next.name, updated, restartRequired, processRestarted }, 'updated');
    return { updatedFields: updated, restartRequiredFields: restartRequired, processRestarted, process: this.view(entry) };
  }

  /** Limits are rewritten in a live cgroup; a process without one (rlimits, or none) needs a restart. */
  private groupOf(id: string): { liveGroup: boolean; canGroup: boolean } {
    return { liveGroup: this.options.resources?.cgroupOf(id) !== undefined, canGroup: this.options.resources?.canGroup === true };
  }

  /**
   * The restart-required fields in which `spec` differs from what the live run was started with;
   * undefined when no run is up (the next start takes the stored spec whole).
   */
  private restartPending(id: string, spec: ProcessSpec): string[] | undefined {
    const started = this.runSpecs.get(id);
    if (started === undefined || this.exec.child(id)?.alive !== true) return undefined;
    return classifyUpdate(started, spec, this.groupOf(id)).restartRequired;
  }

  /** Store a changed spec, then apply its hot fields to the live cgroup, the log files and the chart. */
  private async applySpec(entry: ProcessEntry, next: ProcessSpec, updated: readonly string[]): Promise<void> {
    const { liveGroup } = this.groupOf(entry.id);
    // The live cgroup first: a limit the kernel refuses (memory below what is in use: EBUSY)
    // fails the update before anything is stored.
    const limitsChanged = liveGroup && updated.some((field) => field.startsWith('resources.'));
    if (limitsChanged) await this.options.resources!.update(entry.id, next.resources);
    const previous = entry.spec;
    entry.spec = next;
    try {
      await this.record(entry);
    } catch (error) {
      entry.spec = previous;
      if (limitsChanged) await this.options.resources!.update(entry.id, previous.resources).catch(() => undefined);
      throw error;
    }
    await this.logs.update(entry.id, next);
    this.history.specChanged(entry, `updated ${updated.join(', ')}${unenforcedNote(next, this.options.resources)}`);
    const live = this.manager.getProcessSnapshot(entry.id) !== undefined;
    if (live) {
      // Hot fields reach the hooks (stop signal, kill mode, the probe) and the chart (restart
      // policy, grace, health timings). The config first: a new health check probes at once,
      // and must probe what the new spec says.
      this.manager.updateProcess({ id: entry.id, type: 'update', config: next });
      this.manager.reconfigureProcess(entry.id, chartSettings(next));
    }
  }

  signal(nameOrId: string, signal: string | number, options: { group?: boolean } = {}): void {
    const entry = this.table.get(nameOrId);
    let name: string;
    try {
      name = parseSignal(signal);
    } catch (error) {
      throw new StatevisorError('E_INVALID_ARGUMENT', `signal: ${(error as Error).message}`);
    }
    const child = this.exec.child(entry.id);
    if (!child?.alive) {
      throw new StatevisorError('E_INVALID_STATE', `process '${entry.spec.name}' has no running process to signal`);
    }
    const delivered = options.group
      ? signalGroup(child.pgid, name as NodeJS.Signals)
      : signalProcess(child.pid, name as NodeJS.Signals);
    if (!delivered) throw new StatevisorError('E_INVALID_STATE', `process '${entry.spec.name}' exited before the signal`);
  }

  countsByState(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const entry of this.table.all()) {
      const state = this.state(entry);
      counts[state] = (counts[state] ?? 0) + 1;
    }
    return counts;
  }

  get size(): number {
    return this.table.size;
  }

  async shutdown(timeoutMs: number): Promise<void> {
    this.usage.stop();
    for (const stream of this.logStreams) stream.abort(new Error('the daemon is stopping'));
    try {
      await this.manager.shutdown({ timeoutMs });
    } finally {
      await this.logs.close();
      await this.options.resources?.releaseAll().catch((error: unknown) =>
        this.options.logger.warn({ err: (error as Error).message }, 'cgroups not removed'),
      );
    }
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
