/**
 * createClient: one method per RPC, each a few lines — build the request, call, convert. All
 * calls share one channel and nothing else; every per-call value (metadata, deadline, signal)
 * is made inside the call, so concurrent calls are independent.
 */
import { stopDeadlineMs as stopWaitMs } from '../deadlines.js';
import { StatevisorError } from '../errors.js';
import { wire } from '../proto/load.js';
import type { ProcessSpec as WireSpec } from '../proto/generated/statevisor/v1/ProcessSpec.js';
import { openConnection, type ClientOptions, type Connection } from './connect.js';
import * as convert from './convert.js';
import { checkHealth } from './health.js';
import { unary, type CallOptions, type RpcMethod } from './rpc.js';
import { specToWire, updateMaskOf, updateMaskToWire } from '../proto/spec-wire.js';
import type { ProcessSpecInput, ProcessSpecPatch, WireProcessSpecInput } from './spec-types.js';
import { serverStream } from './streams.js';
import type * as T from './types.js';

export interface CreateOptions extends CallOptions {
  /** Start at once (a spec with autoStart starts anyway). */
  start?: boolean;
}

export interface StopOptions extends CallOptions {
  /** Overrides the spec's stop.gracePeriodMs for this stop. */
  gracePeriodMs?: number;
  /** Return once the stop has begun rather than once the process is stopped. */
  noWait?: boolean;
}

export interface DeleteOptions extends CallOptions {
  /** Stop it first if it is running (else a running process is E_INVALID_STATE). */
  force?: boolean;
  /** Move the captured logs aside (logs/deleted/<name>-<time>/) rather than remove them. */
  keepLogs?: boolean;
}

export interface DeleteResult {
  /** Where the captured logs were moved with keepLogs; '' when they were removed. */
  readonly keptLogs: string;
}

export interface ListOptions extends CallOptions {
  /** "key=value,key2=value2": every pair must match. */
  labelSelector?: string;
}

export interface UpdateOptions extends CallOptions {
  /**
   * The spec fields to change, as paths ("restart.delay_ms"; camelCase is converted). When
   * absent, every field the patch sets, down to its leaves.
   */
  updateMask?: string[];
  /** Restart now when a changed field only takes effect on restart. */
  restartProcess?: boolean;
  /** Validate and report what would change, without changing it. */
  dryRun?: boolean;
}

export interface SignalOptions extends CallOptions {
  /** Signal the whole process group rather than the main process. */
  group?: boolean;
}

export interface InspectOptions extends CallOptions {
  /** Readable steps (event, from → to, reason) instead of raw inspection events. */
  steps?: boolean;
  /** XState's internals too: xstate.* events, microsteps, actions, the hooks' actors. */
  all?: boolean;
}

export interface LogsOptions extends CallOptions {
  /**
   * Which captured stream; stdout when absent. 'both': every stream written to a file, each
   * tail as a block (the file written last comes last), then new lines of either as read.
   */
  stream?: T.LogStream | 'both';
  /** Start with the last N lines. */
  tailLines?: number;
  /** Keep streaming new lines until cancelled. */
  follow?: boolean;
}

export interface StatevisorClient {
  /** The grpc target, e.g. "unix:/run/statevisor/statevisor.sock". */
  readonly target: string;
  createProcess(spec: ProcessSpecInput | WireProcessSpecInput, options?: CreateOptions): Promise<T.Process>;
  startProcess(nameOrId: string, options?: CallOptions): Promise<T.Process>;
  stopProcess(nameOrId: string, options?: StopOptions): Promise<T.Process>;
  restartProcess(nameOrId: string, options?: CallOptions): Promise<T.Process>;
  deleteProcess(nameOrId: string, options?: DeleteOptions): Promise<DeleteResult>;
  listProcesses(options?: ListOptions): Promise<T.Process[]>;
  describeProcess(nameOrId: string, options?: CallOptions): Promise<T.ProcessDescription>;
  updateProcess(nameOrId: string, spec: ProcessSpecPatch | WireSpec, options?: UpdateOptions): Promise<T.UpdateResult>;
  getResourceUsage(nameOrId: string, options?: CallOptions): Promise<T.ResourceUsage>;
  signalProcess(nameOrId: string, signal: string | number, options?: SignalOptions): Promise<void>;
  getStatus(options?: CallOptions): Promise<T.DaemonStatus>;
  reloadConfig(options?: CallOptions): Promise<T.ReloadResult>;
  /** The chart in XState's config form (what createMachine takes and Stately's editor imports). */
  getMachineDefinition(target: T.MachineDefinitionTarget, options?: CallOptions & { format?: 'json' }): Promise<T.MachineDefinition>;
  /** The chart as Mermaid (a named process's states lit) or SCXML text. */
  getMachineDefinition(target: T.MachineDefinitionTarget, options: CallOptions & { format: 'mermaid' | 'scxml' }): Promise<T.MachineDefinitionText>;
  /** All processes when nameOrId is absent or ''. The current snapshot comes first. */
  watchEvents(nameOrId?: string, options?: CallOptions): AsyncGenerator<T.ProcessEvent, void, undefined>;
  streamLogs(nameOrId: string, options?: LogsOptions): AsyncGenerator<T.LogLine, void, undefined>;
  /**
   * XState inspection events (actor, event, snapshot), parsed; with `steps`, readable steps (one per
   * state change); internals only with `all`. Live actors' current state comes first.
   */
  inspect(nameOrId?: string, options?: InspectOptions): AsyncGenerator<unknown, void, undefined>;
  /** grpc.health.v1 Check; '' is the server as a whole. */
  health(service?: string, options?: CallOptions): Promise<T.ServingStatus>;
  /** Closes the channel; calls after it reject with E_UNAVAILABLE. */
  close(): void;
}

const methods = wire.statevisor.v1.ProcessManager.service;

function invalid(message: string): StatevisorError {
  return new StatevisorError('E_INVALID_ARGUMENT', message);
}

function nameOrIdOf(nameOrId: unknown): string {
  if (typeof nameOrId !== 'string' || nameOrId === '') throw invalid(`nameOrId: expected a process name or id, got ${JSON.stringify(nameOrId)}`);
  return nameOrId;
}

function wholeNumber(value: number | undefined, what: string): number | undefined {
  if (value !== undefined && !(Number.isSafeInteger(value) && value >= 0)) throw invalid(`${what}: expected a whole number, got ${String(value)}`);
  return value;
}

function signalOf(signal: unknown): string {
  if (typeof signal === 'number' && Number.isSafeInteger(signal) && signal > 0) return String(signal);
  if (typeof signal === 'string' && signal !== '') return signal;
  throw invalid(`signal: expected a name ("SIGHUP", "HUP") or a number, got ${JSON.stringify(signal)}`);
}

/**
 * A stop waits for the process to end: its grace period (when the call names none, one that
 * covers the default and more: the process's own is not known here), then the kill and reaping.
 */
function stopDeadlineMs(connection: Connection, options: StopOptions): number {
  if (options.noWait) return connection.defaultDeadlineMs;
  return Math.max(connection.defaultDeadlineMs, stopWaitMs(options.gracePeriodMs));
}

function definitionOf(json: string): T.MachineDefinition {
  const parsed = convert.parseJson(json, 'GetMachineDefinition');
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new StatevisorError('E_INTERNAL', 'GetMachineDefinition: the definition is not a JSON object');
  }
  return parsed as T.MachineDefinition;
}

export function createClient(options: ClientOptions = {}): StatevisorClient {
  const connection = openConnection(options);
  const call = <Request, Response>(method: RpcMethod<Request, Response>, request: Request, callOptions?: CallOptions, deadlineMs?: number) =>
    unary(connection, method, request, callOptions, deadlineMs);

  return {
    target: connection.target,

    async createProcess(spec, { start = false, ...callOptions } = {}) {
      const response = await call(methods.CreateProcess, { spec: specToWire(spec), start }, callOptions);
      return convert.requireProcess(response.process, 'CreateProcess');
    },

    async startProcess(nameOrId, callOptions) {
      const response = await call(methods.StartProcess, { name_or_id: nameOrIdOf(nameOrId) }, callOptions);
      return convert.requireProcess(response.process, 'StartProcess');
    },

    async stopProcess(nameOrId, stopOptions = {}) {
      const { gracePeriodMs, noWait = false, ...callOptions } = stopOptions;
      const request = { name_or_id: nameOrIdOf(nameOrId), grace_period_ms: wholeNumber(gracePeriodMs, 'gracePeriodMs'), no_wait: noWait };
      const response = await call(methods.StopProcess, request, callOptions, stopDeadlineMs(connection, stopOptions));
      return convert.requireProcess(response.process, 'StopProcess');
    },

    async restartProcess(nameOrId, callOptions) {
      // A restart waits for a whole stop, like stopProcess without noWait.
      const response = await call(methods.RestartProcess, { name_or_id: nameOrIdOf(nameOrId) }, callOptions, stopDeadlineMs(connection, {}));
      return convert.requireProcess(response.process, 'RestartProcess');
    },

    async deleteProcess(nameOrId, { force = false, keepLogs = false, ...callOptions } = {}) {
      const deadline = force ? stopDeadlineMs(connection, {}) : undefined;
      const response = await call(methods.DeleteProcess, { name_or_id: nameOrIdOf(nameOrId), force, keep_logs: keepLogs }, callOptions, deadline);
      return { keptLogs: response.kept_logs };
    },

    async listProcesses({ labelSelector = '', ...callOptions } = {}) {
      const response = await call(methods.ListProcesses, { label_selector: labelSelector }, callOptions);
      return response.processes.map(convert.toProcess);
    },

    async describeProcess(nameOrId, callOptions) {
      const response = await call(methods.DescribeProcess, { name_or_id: nameOrIdOf(nameOrId) }, callOptions);
      return convert.toDescription(response);
    },

    async updateProcess(nameOrId, spec, { updateMask, restartProcess = false, dryRun = false, ...callOptions } = {}) {
      const wireSpec = specToWire(spec);
      const paths = updateMask ? updateMaskToWire(updateMask) : updateMaskOf(wireSpec as Record<string, unknown>);
      // An empty mask reads as "every field" to some servers (AIP-134): never send one by accident.
      if (paths.length === 0) throw invalid('updateMask: no fields to update; set some in the patch or name them');
      const request = {
        name_or_id: nameOrIdOf(nameOrId),
        spec: wireSpec,
        update_mask: { paths },
        restart_process: restartProcess,
        dry_run: dryRun,
      };
      const deadline = restartProcess && !dryRun ? stopDeadlineMs(connection, {}) : undefined;
      return convert.toUpdateResult(await call(methods.UpdateProcess, request, callOptions, deadline));
    },

    async getResourceUsage(nameOrId, callOptions) {
      return convert.toResourceUsage(await call(methods.GetResourceUsage, { name_or_id: nameOrIdOf(nameOrId) }, callOptions));
    },

    async signalProcess(nameOrId, signal, { group = false, ...callOptions } = {}) {
      await call(methods.SignalProcess, { name_or_id: nameOrIdOf(nameOrId), signal: signalOf(signal), group }, callOptions);
    },

    async getStatus(callOptions) {
      return convert.toStatus(await call(methods.GetStatus, {}, callOptions));
    },

    async reloadConfig(callOptions) {
      return convert.toReloadResult(await call(methods.ReloadConfig, {}, callOptions));
    },

    getMachineDefinition: (async (target: T.MachineDefinitionTarget, { format = 'json', ...callOptions }: CallOptions & { format?: T.DefinitionFormat } = {}) => {
      const request = 'kind' in target ? { kind: target.kind, format } : { name_or_id: nameOrIdOf(target.nameOrId), format };
      const response = await call(methods.GetMachineDefinition, request, callOptions);
      if (format === 'json') return definitionOf(response.definition_json);
      return { format, text: response.text, activeStates: [...response.active_states] } satisfies T.MachineDefinitionText;
    }) as StatevisorClient['getMachineDefinition'],

    watchEvents(nameOrId = '', callOptions) {
      return serverStream(connection, methods.WatchEvents, { name_or_id: nameOrId }, (m) => convert.toProcessEvent(m.event), callOptions);
    },

    // A generator itself, so that a bad argument surfaces where iteration fails, like any error.
    async *streamLogs(nameOrId, { stream = 'stdout', tailLines = 0, follow = false, ...callOptions } = {}) {
      const request = { name_or_id: nameOrIdOf(nameOrId), stream, tail_lines: wholeNumber(tailLines, 'tailLines'), follow };
      yield* serverStream(connection, methods.StreamLogs, request, convert.toLogLine, callOptions);
    },

    inspect(nameOrId = '', { steps = false, all = false, ...callOptions } = {}) {
      const request = { name_or_id: nameOrId, steps, all };
      return serverStream(connection, methods.Inspect, request, (m) => convert.parseJson(m.event_json, 'Inspect'), callOptions);
    },

    health(service = '', callOptions) {
      return checkHealth(connection, service, callOptions);
    },

    close() {
      connection.close();
    },
  };
}
