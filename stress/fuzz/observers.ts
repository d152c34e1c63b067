/**
 * Streams held open for the whole fuzz run: a WatchEvents and an Inspect of everything that read
 * every message, and a WatchEvents and an Inspect that stop reading at once — the daemon must
 * drop those with RESOURCE_EXHAUSTED rather than buffer for them without limit. Each must end
 * OK, RESOURCE_EXHAUSTED, or CANCELLED by us at the end of the run; never anything else.
 */
import * as grpc from '@grpc/grpc-js';
import type { RpcSchema } from './schema.js';

export interface Observer {
  readonly name: string;
  messages: number;
  status: grpc.StatusObject | undefined;
  /** Resume reading, and cancel if it has not ended within `graceMs`; resolves with how it ended. */
  finish(graceMs: number): Promise<grpc.StatusObject>;
}

const identity = (bytes: Buffer): Buffer => bytes;
const fine = new Set([grpc.status.OK, grpc.status.RESOURCE_EXHAUSTED, grpc.status.CANCELLED]);

export function observe(client: grpc.Client, metadata: grpc.Metadata, rpcs: readonly RpcSchema[]): Observer[] {
  const observers: Observer[] = [];
  for (const rpcName of ['WatchEvents', 'Inspect']) {
    const rpc = rpcs.find((r) => r.name === rpcName)!;
    for (const reading of [true, false]) {
      const call = client.makeServerStreamRequest(rpc.path, identity, identity, Buffer.alloc(0), metadata, {});
      let ended: (status: grpc.StatusObject) => void = () => {};
      const end = new Promise<grpc.StatusObject>((resolve) => (ended = resolve));
      const observer: Observer = {
        name: `${rpcName} ${reading ? 'reading' : 'not reading'}`,
        messages: 0,
        status: undefined,
        async finish(graceMs) {
          call.resume();
          const timer = setTimeout(() => call.cancel(), graceMs);
          const status = await end;
          clearTimeout(timer);
          return status;
        },
      };
      call.on('data', () => (observer.messages += 1));
      call.on('error', () => {});
      call.on('status', (status: grpc.StatusObject) => {
        observer.status = status;
        ended(status);
      });
      if (!reading) call.pause();
      observers.push(observer);
    }
  }
  return observers;
}

/** Observers that ended any other way than OK, RESOURCE_EXHAUSTED or our cancel. */
export function badEnds(observers: readonly Observer[]): Observer[] {
  return observers.filter((o) => o.status === undefined || !fine.has(o.status.code));
}

export function describeEnds(observers: readonly Observer[]): string {
  return observers.map((o) => `${o.name}: ${o.status === undefined ? 'no end' : grpc.status[o.status.code]} after ${o.messages} messages`).join('; ');
}
