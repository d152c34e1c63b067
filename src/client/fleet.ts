/**
 * createFleetClient: one StatevisorClient per host, and the same methods over all of them at
 * once. A call goes to every host in parallel and always resolves, with one result per host in
 * the order the hosts were given — `{ host, ok: true, value }` or `{ host, ok: false, error }` —
 * so that a host that is down costs its own entry, never the whole answer. Each host's calls
 * carry `hostTimeoutMs` as their default deadline: a host that does not answer in time is an
 * E_DEADLINE_EXCEEDED entry while the others' answers stand. Streams (watchEvents, streamLogs,
 * inspect) are merged into one, each item tagged by host; a host whose stream fails — or ends,
 * for a stream meant to run until cancelled — yields one `ok: false` item and drops out, and
 * the merged stream goes on with the others until every host's has ended.
 */
import { StatevisorError } from '../errors.js';
import { status } from '@grpc/grpc-js';
import { createClient, type StatevisorClient } from './client.js';
import { RpcError } from './errors.js';
import type { TlsOptions } from './connect.js';
import type { CallOptions } from './rpc.js';
import type * as T from './types.js';

export interface FleetHost {
  /** How results name this host; its address when absent. Unique within the fleet. */
  name?: string;
  /** "host:port" of the daemon's TCP listener. */
  address: string;
  token?: string;
  tls?: TlsOptions;
}

export interface FleetOptions {
  /** Each host's default call deadline, in ms (5 s): past it, that host is reported as not answering. */
  hostTimeoutMs?: number;
}

export type HostResult<T> = { readonly host: string; readonly ok: true; readonly value: T } | { readonly host: string; readonly ok: false; readonly error: StatevisorError };

export const defaultHostTimeoutMs = 5_000;

type UnaryName = {
  [K in keyof StatevisorClient]: StatevisorClient[K] extends (...args: never[]) => Promise<unknown> ? K : never;
}[keyof StatevisorClient];
type StreamName = 'watchEvents' | 'streamLogs' | 'inspect';
/** getMachineDefinition is overloaded, and Parameters<> would see only its last form. */
type PlainUnaryName = Exclude<UnaryName, 'getMachineDefinition'>;
type StreamItem<K extends StreamName> = ReturnType<StatevisorClient[K]> extends AsyncGenerator<infer Item, void, undefined> ? Item : never;

export type FleetClient = {
  [K in PlainUnaryName]: (...args: Parameters<StatevisorClient[K]>) => Promise<HostResult<Awaited<ReturnType<StatevisorClient[K]>>>[]>;
} & {
  [K in StreamName]: (...args: Parameters<StatevisorClient[K]>) => AsyncGenerator<HostResult<StreamItem<K>>, void, undefined>;
} & {
  getMachineDefinition(target: T.MachineDefinitionTarget, options?: CallOptions & { format?: 'json' }): Promise<HostResult<T.MachineDefinition>[]>;
  getMachineDefinition(target: T.MachineDefinitionTarget, options: CallOptions & { format: 'mermaid' | 'scxml' }): Promise<HostResult<T.MachineDefinitionText>[]>;
  /** The hosts' names, in the order given. */
  readonly hosts: readonly string[];
  /** Closes every host's channel. */
  close(): void;
};

const unaryNames = [
  'createProcess',
  'startProcess',
  'stopProcess',
  'restartProcess',
  'deleteProcess',
  'listProcesses',
  'describeProcess',
  'updateProcess',
  'getResourceUsage',
  'signalProcess',
  'getStatus',
  'reloadConfig',
  'getMachineDefinition',
  'health',
] as const satisfies readonly UnaryName[];
const streamNames = ['watchEvents', 'streamLogs', 'inspect'] as const satisfies readonly StreamName[];

function invalid(message: string): StatevisorError {
  return new StatevisorError('E_INVALID_ARGUMENT', message);
}

function asStatevisorError(error: unknown): StatevisorError {
  if (error instanceof StatevisorError) return error;
  return new StatevisorError('E_INTERNAL', error instanceof Error ? error.message : String(error), { cause: error });
}

/** The call's outcome as a result: a client that throws before sending (a bad argument) is one too. */
async function settle<T>(host: string, call: () => Promise<T>): Promise<HostResult<T>> {
  try {
    return { host, ok: true, value: await call() };
  } catch (error) {
    return { host, ok: false, error: asStatevisorError(error) };
  }
}

interface Member {
  readonly name: string;
  readonly client: StatevisorClient;
}

function openMembers(hosts: readonly FleetHost[], hostTimeoutMs: number): Member[] {
  if (!Array.isArray(hosts) || hosts.length === 0) throw invalid('hosts: expected at least one { address }');
  const seen = new Set<string>();
  const members: Member[] = [];
  try {
    hosts.forEach((host, i) => {
      const name = host.name ?? host.address;
      if (typeof name !== 'string' || name === '') throw invalid(`hosts[${i}].name: expected a non-empty string, got ${JSON.stringify(name)}`);
      if (seen.has(name)) throw invalid(`hosts[${i}].name: "${name}" names two hosts; give each a name of its own`);
      seen.add(name);
      try {
        const { address, token, tls } = host;
        members.push({ name, client: createClient({ address, deadlineMs: hostTimeoutMs, ...(token !== undefined && { token }), ...(tls !== undefined && { tls }) }) });
      } catch (error) {
        throw invalid(`hosts[${i}] (${name}): ${(error as Error).message}`);
      }
    });
  } catch (error) {
    for (const member of members) member.client.close();
    throw error;
  }
  return members;
}

/**
 * Every host's stream as one: items in the order they arrive. Leaving the loop early aborts
 * `stop`, whose signal every host's call carries.
 */
export interface HostStream<Item> {
  readonly host: string;
  readonly items: AsyncGenerator<Item, void, undefined>;
  /** For a stream that runs until cancelled: what its end means, yielded as that host's error. */
  readonly ended?: () => StatevisorError;
}

export async function* mergeStreams<Item>(
  streams: readonly HostStream<Item>[],
  stop: AbortController,
): AsyncGenerator<HostResult<Item>, void, undefined> {
  type Next = { index: number; step: IteratorResult<Item, void> } | { index: number; error: unknown };
  const pending = new Map<number, Promise<Next>>();
  const pull = (index: number): void => {
    pending.set(
      index,
      streams[index]!.items.next().then(
        (step) => ({ index, step }),
        (error: unknown) => ({ index, error }),
      ),
    );
  };
  streams.forEach((_, index) => pull(index));
  try {
    while (pending.size > 0) {
      const next = await Promise.race(pending.values());
      const host = streams[next.index]!.host;
      pending.delete(next.index);
      if ('error' in next) {
        yield { host, ok: false, error: asStatevisorError(next.error) };
        continue;
      }
      if (next.step.done) {
        const ended = streams[next.index]!.ended;
        if (ended) yield { host, ok: false, error: ended() };
        continue;
      }
      pull(next.index);
      yield { host, ok: true, value: next.step.value };
    }
  } finally {
    // A generator parked in next() would queue a return() behind it: aborting the calls' signal
    // is what ends them, each host's parked next() then rejecting with E_CANCELLED, unread.
    stop.abort(new Error('the merged stream was closed'));
  }
}

/** Events and inspection run until cancelled, and so do logs with `follow`: their end is a host dropping out. */
function followed(method: StreamName, options: CallOptions & { follow?: boolean }): boolean {
  return method !== 'streamLogs' || options.follow === true;
}

/** As a transport failure reads (UNAVAILABLE, no daemon error code): the host stopped answering. */
function streamEnded(method: StreamName): RpcError {
  const rpc = { watchEvents: 'WatchEvents', streamLogs: 'StreamLogs', inspect: 'Inspect' }[method];
  return new RpcError('E_UNAVAILABLE', `${rpc}: the daemon ended the stream (it stopped?)`, status.UNAVAILABLE, rpc);
}

export function createFleetClient(hosts: readonly FleetHost[], options: FleetOptions = {}): FleetClient {
  const hostTimeoutMs = options.hostTimeoutMs ?? defaultHostTimeoutMs;
  if (!(hostTimeoutMs > 0)) throw invalid(`hostTimeoutMs: expected a positive number of milliseconds, got ${String(hostTimeoutMs)}`);
  const members = openMembers(hosts, hostTimeoutMs);
  const fleet: Record<string, unknown> = {
    hosts: members.map((m) => m.name),
    close() {
      for (const member of members) member.client.close();
    },
  };
  for (const method of unaryNames) {
    fleet[method] = (...args: unknown[]) =>
      Promise.all(members.map((m) => settle(m.name, () => (m.client[method] as (...a: unknown[]) => Promise<unknown>)(...args))));
  }
  for (const method of streamNames) {
    // Every stream method takes (nameOrId, options): the merged stream adds its own signal.
    fleet[method] = (nameOrId?: string, callOptions: CallOptions = {}) => {
      const stop = new AbortController();
      const signal = callOptions.signal === undefined ? stop.signal : AbortSignal.any([callOptions.signal, stop.signal]);
      const open = (m: Member) => (m.client[method] as (n?: string, o?: CallOptions) => AsyncGenerator<unknown, void, undefined>)(nameOrId, { ...callOptions, signal });
      const ended = followed(method, callOptions) ? () => streamEnded(method) : undefined;
      return mergeStreams(members.map((m) => ({ host: m.name, items: open(m), ...(ended && { ended }) })), stop);
    };
  }
  return fleet as FleetClient;
}
