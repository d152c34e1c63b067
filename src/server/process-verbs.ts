/**
 * The daemon's verbs over its processes: create, start, stop, restart, update, delete, signal —
 * and, for recovery, restore and resume. Each changes what the user asked for (the table of
 * definitions, made durable in the store) and then drives the charts through the process manager.
 * Transport-neutral: the gRPC handlers translate to and from the wire; the errors thrown here
 * carry codes that are mapped to statuses in one place. Reads are process-reads.ts's.
 */
import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { StatevisorError } from '../errors.js';
import type { ProcessManager } from '../manager/process-manager.js';
import type { Logger } from '../manager/logger.js';
import type { Clock } from '../manager/clock.js';
import { isIdle } from '../machines/process-state.js';
import type { WorkloadHandle } from '../runtime/exec/child-handle.js';
import type { WorkloadResources } from '../runtime/exec/workload-resources.js';
import { signalGroup, signalProcess } from '../runtime/os/process-group.js';
import { parseSignal } from '../spec/signal.js';
import { dependencyFields } from '../spec/dependencies.js';
import type { ProcessSpec } from '../spec/types.js';
import { specToSnakeCase } from '../proto/spec-wire.js';
import { unenforcedNote } from './enforcement.js';
import type { ActivationSockets } from './activation-sockets.js';
import type { Desired, DesiredStateStore, RunRecord, Source } from './persistence.js';
import type { ProcessEvents } from './process-events.js';
import type { LiveViews } from './live-views.js';
import { checkLogPaths, type LogFiles } from './log-files.js';
import { checkWorkerModule } from '../runtime/worker/module-check.js';
import type { ProcessEntry, ProcessTable } from './process-table.js';
import type { ProcessView } from './process-view.js';
import { groupOf, type RunSpecs } from './run-specs.js';
import { chartSettings } from './settings.js';
import { classifyUpdate } from './update-fields.js';
import type { Dependencies } from './dependencies.js';

export interface UpdateResult {
  readonly updatedFields: string[];
  /** With a live run, what it lacks until a restart (earlier updates' fields too); else this update's. */
  readonly restartRequiredFields: string[];
  readonly processRestarted: boolean;
  readonly process: ProcessView;
}

export interface ProcessVerbsOptions {
  readonly table: ProcessTable;
  readonly store: Pick<DesiredStateStore, 'putProcess' | 'setDesired' | 'deleteProcess' | 'recordRun'>;
  readonly manager: Pick<
    ProcessManager<ProcessSpec>,
    'updateProcess' | 'reconfigureProcess' | 'startProcess' | 'purgeProcess' | 'getProcessSnapshot'
  >;
  readonly logs: Pick<LogFiles, 'restore' | 'update' | 'remove'>;
  readonly history: Pick<ProcessEvents, 'added' | 'specChanged' | 'deleting' | 'deleted'>;
  readonly views: LiveViews;
  readonly runSpecs: RunSpecs;
  /** The live (or last) workload of a process, to signal it. */
  childOf(id: string): WorkloadHandle | undefined;
  readonly resources?: WorkloadResources | undefined;
  /** Log paths inside it are refused. */
  readonly stateDir: string;
  readonly clock: Pick<Clock, 'now'>;
  readonly logger: Logger;
  /** The logger of one process (`{ process: name }` bound), and when to drop it. */
  readonly processLoggers: { of(id: string): Logger; forget(id: string): void };
  /** The processes' listening sockets (socket activation): bound at create, closed at delete. */
  readonly activation?: Pick<ActivationSockets, 'claim' | 'restore' | 'release'>;
  /** Dependencies between processes: checked at create and update, followed at start, stop and delete. */
  readonly dependencies?: Pick<Dependencies, 'check' | 'checkDelete' | 'stopDependents' | 'awaits'>;
}

export class ProcessVerbs {
  constructor(private readonly options: ProcessVerbsOptions) {}

  /** Acknowledged once durable: a crash after the reply cannot lose the process. `spec` was validated at its edge. */
  async create(spec: ProcessSpec, options: { start?: boolean; source?: Source } = {}): Promise<ProcessView> {
    const { table, views } = this.options;
    checkLogPaths(spec, this.options.stateDir);
    this.options.dependencies?.check(spec);
    await checkWorkerModule(spec);
    const start = options.start === true || spec.autoStart;
    const entry: ProcessEntry = {
      id: randomUUID(),
      spec,
      createdAt: this.options.clock.now(),
      source: options.source ?? 'api',
      desired: start ? 'running' : 'stopped',
    };
    // Bound before anything is stored: an address in use fails the create, and a client may
    // connect from now on, before the process runs.
    await this.options.activation?.claim(entry.id, spec);
    table.add(entry);
    try {
      await this.record(entry);
    } catch (error) {
      table.remove(entry.id);
      this.options.activation?.release(entry.id);
      throw error;
    }
    this.options.processLoggers.of(entry.id).info({ id: entry.id }, 'created');
    this.options.history.added(entry, `created${unenforcedNote(spec, this.options.resources)}`);
    if (start) this.beginRun(entry);
    return views.view(entry);
  }

  async start(nameOrId: string): Promise<ProcessView> {
    const entry = this.options.table.get(nameOrId);
    const state = this.options.views.state(entry);
    if (!isIdle(state)) {
      throw new StatevisorError('E_INVALID_STATE', `process '${entry.spec.name}' is already ${state}`);
    }
    await this.setDesired(entry, 'running');
    this.beginRun(entry);
    return this.options.views.view(entry);
  }

  /** Resolves once the process is stopped (or at once with noWait). Stopping a stopped process is a no-op. */
  async stop(nameOrId: string, options: { gracePeriodMs?: number; noWait?: boolean } = {}): Promise<ProcessView> {
    const entry = this.options.table.get(nameOrId);
    if (options.gracePeriodMs !== undefined && (!Number.isFinite(options.gracePeriodMs) || options.gracePeriodMs < 0)) {
      throw new StatevisorError('E_INVALID_ARGUMENT', `grace_period_ms: got ${options.gracePeriodMs}, expected a non-negative number of milliseconds`);
    }
    await this.setDesired(entry, 'stopped');
    // What requires or binds to it stops first (systemd: stopping a requirement stops its
    // dependents); with noWait they stop beside it, and the call returns at once all the same.
    const dependents = this.options.dependencies?.stopDependents(entry);
    if (options.noWait) this.persist(dependents ?? Promise.resolve(), entry.id, 'stop what depends on it');
    else await dependents;
    return this.halt(entry, options);
  }

  async restart(nameOrId: string): Promise<ProcessView> {
    const entry = this.options.table.get(nameOrId);
    await this.setDesired(entry, 'running');
    await this.halt(entry);
    this.beginRun(entry);
    return this.options.views.view(entry);
  }

  /** Forgets a process; its captured logs are removed, or with keepLogs moved aside (where to is returned). */
  async delete(nameOrId: string, options: { force?: boolean; keepLogs?: boolean } = {}): Promise<{ keptLogs?: string }> {
    const { table, history, manager } = this.options;
    const entry = table.get(nameOrId);
    // Taken while the process still has its name in the table.
    const log = this.options.processLoggers.of(entry.id);
    const state = this.options.views.state(entry);
    const idle = isIdle(state);
    if (!options.force) this.options.dependencies?.checkDelete(entry);
    if (!idle && !options.force) {
      throw new StatevisorError(
        'E_INVALID_STATE',
        `process '${entry.spec.name}' is ${state}: stop it first or delete with force`,
      );
    }
    await this.options.store.deleteProcess(entry.id);
    if (!idle) await this.halt(entry);
    const gone = history.deleting(entry);
    manager.purgeProcess(entry.id);
    table.remove(entry.id);
    this.options.activation?.release(entry.id);
    this.options.runSpecs.ended(entry.id);
    const keptLogs = await this.options.logs.remove(entry.id, entry.spec, { keep: options.keepLogs === true, at: this.options.clock.now() });
    log.info({ id: entry.id, ...(keptLogs !== undefined && { keptLogs }) }, 'deleted');
    this.options.processLoggers.forget(entry.id);
    history.deleted(entry.id, gone);
    return keptLogs === undefined ? {} : { keptLogs };
  }

  /** `next`: the whole new spec, validated at its edge (validateSpecPatch against this one's spec). */
  async update(nameOrId: string, next: ProcessSpec, options: { restartProcess?: boolean; dryRun?: boolean } = {}): Promise<UpdateResult> {
    const { table, views } = this.options;
    const entry = table.get(nameOrId);
    // The table's name index relies on it; validateSpecPatch refuses a rename too.
    if (next.name !== entry.spec.name) {
      throw new StatevisorError('E_INVALID_ARGUMENT', `name: got ${JSON.stringify(next.name)}, expected ${JSON.stringify(entry.spec.name)} (a process cannot be renamed)`);
    }
    checkLogPaths(next, this.options.stateDir);
    // Only a change of them is checked: an update of other fields goes through beside a dependency force-deleted since.
    if (dependencyFields.some((field) => !isDeepStrictEqual(next[field], entry.spec[field]))) this.options.dependencies?.check(next);
    await checkWorkerModule(next);
    const { updated, restartRequired: changed } = classifyUpdate(entry.spec, next, groupOf(this.options.resources, entry.id));
    // A live run is judged against the spec it started with, so that a field stored by an earlier
    // update without a restart still asks for one (and restart_process gives it), though it is
    // unchanged now.
    const restartRequired = this.options.runSpecs.pendingFor(entry.id, next) ?? changed;
    const restarting = options.restartProcess === true && restartRequired.length > 0;
    if (options.dryRun || (updated.length === 0 && !restarting)) {
      return { updatedFields: updated, restartRequiredFields: restartRequired, processRestarted: false, process: views.view(entry) };
    }
    if (updated.length > 0) await this.applySpec(entry, next, updated);
    const running = !isIdle(views.state(entry));
    let processRestarted = false;
    if (restarting && running) {
      await this.restart(entry.id);
      processRestarted = true;
    }
    this.options.processLoggers.of(entry.id).info({ updated, restartRequired, processRestarted }, 'updated');
    return { updatedFields: updated, restartRequiredFields: restartRequired, processRestarted, process: views.view(entry) };
  }

  signal(nameOrId: string, signal: string | number, options: { group?: boolean } = {}): void {
    const entry = this.options.table.get(nameOrId);
    let name: string;
    try {
      name = parseSignal(signal);
    } catch (error) {
      throw new StatevisorError('E_INVALID_ARGUMENT', `signal: ${(error as Error).message}`);
    }
    const child = this.options.childOf(entry.id);
    if (!child?.alive) {
      throw new StatevisorError('E_INVALID_STATE', `process '${entry.spec.name}' has no running process to signal`);
    }
    const delivered = options.group
      ? signalGroup(child.pgid, name as NodeJS.Signals)
      : signalProcess(child.pid, name as NodeJS.Signals);
    if (!delivered) throw new StatevisorError('E_INVALID_STATE', `process '${entry.spec.name}' exited before the signal`);
  }

  /** Add a definition restored from the store (no write: it is already durable). */
  restore(entry: ProcessEntry): void {
    this.options.table.add(entry);
    this.options.history.added(entry);
    this.persist(this.options.activation?.restore(entry.id, entry.spec, this.options.processLoggers.of(entry.id)) ?? Promise.resolve(), entry.id, 'bind its sockets');
    this.persist(this.options.logs.restore(entry.id, entry.spec), entry.id, 'reattach its log pipes');
  }

  /** Begin a run of a restored process (recovery decides which). */
  resume(entry: ProcessEntry): void {
    this.beginRun(entry);
  }

  /**
   * A run that ended by itself and will not restart is over: a daemon restart must not bring it
   * back (a one-shot job runs once, a process that gave up stays FAILED).
   */
  runEnded(id: string): void {
    if (!this.options.table.has(id)) return;
    this.options.table.get(id).desired = 'stopped';
    this.persist(this.options.store.setDesired(id, 'stopped'), id, 'record that the run ended');
  }

  /** A workload started (spawned or adopted): its run recorded for recovery, its spec kept for "restart pending". */
  runStarted(id: string, run: RunRecord, spec: ProcessSpec): void {
    this.options.runSpecs.started(id, spec);
    this.persist(this.options.store.recordRun(id, run), id, 'record the run');
  }

  /** Bookkeeping for recovery: a failed write is logged, never fatal. */
  private persist(write: Promise<void>, id: string, what: string): void {
    write.catch((error: unknown) => this.options.logger.error({ id, err: (error as Error).message }, `could not ${what}`));
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

  private async setDesired(entry: ProcessEntry, desired: Desired): Promise<void> {
    if (entry.desired === desired) return;
    entry.desired = desired;
    await this.options.store.setDesired(entry.id, desired);
  }

  private beginRun(entry: ProcessEntry): void {
    const { manager } = this.options;
    const settings = this.settingsOf(entry.spec);
    if (manager.getProcessSnapshot(entry.id) === undefined) {
      manager.updateProcess({ id: entry.id, type: 'create', config: entry.spec, settings });
      return;
    }
    manager.reconfigureProcess(entry.id, settings);
    manager.startProcess(entry.id, entry.spec);
  }

  /** Stop the current run without changing what the user asked for (restart, delete). */
  private async halt(entry: ProcessEntry, options: { gracePeriodMs?: number; noWait?: boolean } = {}): Promise<ProcessView> {
    const done = new Promise<void>((resolve) =>
      this.options.manager.updateProcess({
        id: entry.id,
        type: 'terminate',
        terminate: {
          ...(options.gracePeriodMs !== undefined && { gracePeriodSecs: options.gracePeriodMs / 1000 }),
          onCompleted: () => resolve(),
        },
      }),
    );
    if (!options.noWait) await done;
    return this.options.views.view(entry);
  }

  /** Store a changed spec, then apply its hot fields to the live cgroup, the log files and the chart. */
  private async applySpec(entry: ProcessEntry, next: ProcessSpec, updated: readonly string[]): Promise<void> {
    const { resources, manager } = this.options;
    const { liveGroup } = groupOf(resources, entry.id);
    // The live cgroup first: a limit the kernel refuses (memory below what is in use: EBUSY)
    // fails the update before anything is stored.
    const limitsChanged = liveGroup && updated.some((field) => field.startsWith('resources.'));
    if (limitsChanged) await resources!.update(entry.id, next.resources);
    const previous = entry.spec;
    // New sockets are bound (and an address in use refuses the update) before anything is stored.
    if (updated.some((field) => field === 'sockets')) await this.options.activation?.claim(entry.id, next);
    this.options.table.setSpec(entry, next);
    try {
      await this.record(entry);
    } catch (error) {
      this.options.table.setSpec(entry, previous);
      await this.options.activation?.claim(entry.id, previous).catch(() => undefined);
      if (limitsChanged) await resources!.update(entry.id, previous.resources).catch(() => undefined);
      throw error;
    }
    await this.options.logs.update(entry.id, next);
    this.options.history.specChanged(entry, `updated ${updated.join(', ')}${unenforcedNote(next, resources)}`);
    const live = manager.getProcessSnapshot(entry.id) !== undefined;
    if (live) {
      // Hot fields reach the hooks (stop signal, kill mode, the probe) and the chart (restart
      // policy, grace, health timings). The config first: a new health check probes at once,
      // and must probe what the new spec says.
      manager.updateProcess({ id: entry.id, type: 'update', config: next });
      manager.reconfigureProcess(entry.id, this.settingsOf(next));
    }
  }

  private settingsOf(spec: ProcessSpec) {
    return chartSettings(spec, this.options.dependencies?.awaits(spec) === true);
  }
}
