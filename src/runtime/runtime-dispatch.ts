/**
 * One process chart, two runtimes: each process's hooks go to the runtime its spec names
 * (runtime.kind: exec or worker). A run is ended by the runtime that started it, even if an
 * update changed the spec's kind meanwhile.
 */
import type {
  CleanupContext,
  ConditionResult,
  ConnectionContext,
  HealthCheckContext,
  HealthCheckResult,
  ProcessSyncer,
  StageContext,
  StatusReporter,
  StopPostContext,
  SyncProcessContext,
  TerminatingContext,
} from '../manager/syncer.js';
import type { ProcessSpec, RuntimeKind } from '../spec/types.js';

export type Runtimes = Readonly<Record<RuntimeKind, ProcessSyncer<ProcessSpec>>>;

export class RuntimeDispatch implements ProcessSyncer<ProcessSpec> {
  /** The runtime of each process's current run. */
  readonly #started = new Map<string, ProcessSyncer<ProcessSpec>>();

  constructor(private readonly runtimes: Runtimes) {}

  #of(spec: ProcessSpec): ProcessSyncer<ProcessSpec> {
    return this.runtimes[spec.runtime.kind];
  }

  #running(id: string, spec: ProcessSpec): ProcessSyncer<ProcessSpec> {
    return this.#started.get(id) ?? this.#of(spec);
  }

  syncProcess(context: SyncProcessContext, spec: ProcessSpec) {
    const runtime = context.updateType === 'create' ? this.#of(spec) : this.#running(context.id, spec);
    if (context.updateType === 'create') this.#started.set(context.id, runtime);
    return runtime.syncProcess(context, spec);
  }

  syncTerminatingProcess(context: TerminatingContext, spec: ProcessSpec, gracePeriodSecs: number, onStatus: StatusReporter) {
    return this.#running(context.id, spec).syncTerminatingProcess(context, spec, gracePeriodSecs, onStatus);
  }

  async syncTerminatedProcess(context: CleanupContext, spec: ProcessSpec) {
    await this.#running(context.id, spec).syncTerminatedProcess(context, spec);
    this.#started.delete(context.id);
  }

  checkHealth(context: HealthCheckContext, spec: ProcessSpec): Promise<HealthCheckResult> | HealthCheckResult {
    const runtime = this.#running(context.id, spec);
    return runtime.checkHealth?.(context, spec) ?? { healthy: false, message: `the ${spec.runtime.kind} runtime runs no health checks` };
  }

  checkStartConditions(context: StageContext, spec: ProcessSpec): Promise<ConditionResult> | ConditionResult {
    return this.#of(spec).checkStartConditions?.(context, spec) ?? { met: true };
  }

  async runStartPre(context: StageContext, spec: ProcessSpec): Promise<void> {
    await this.#of(spec).runStartPre?.(context, spec);
  }

  async runStartPost(context: StageContext, spec: ProcessSpec): Promise<void> {
    await this.#running(context.id, spec).runStartPost?.(context, spec);
  }

  async runStopPost(context: StopPostContext, spec: ProcessSpec): Promise<void> {
    await this.#running(context.id, spec).runStopPost?.(context, spec);
  }

  async waitForConnection(context: ConnectionContext, spec: ProcessSpec): Promise<void> {
    await this.#of(spec).waitForConnection?.(context, spec);
  }
}
