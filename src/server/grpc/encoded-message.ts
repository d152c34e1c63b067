/**
 * An answer already in its wire bytes. A handler that returns one skips grpc-js's serializer
 * (proto-loader's fromObject + encode): ListProcesses builds its answer from rows it encoded once
 * (list-rows.ts). Every other answer is serialized as before.
 */
import type { ServiceDefinition } from '@grpc/grpc-js';

export class EncodedMessage {
  constructor(readonly bytes: Buffer) {}
}

/** The service with every response serializer passing an EncodedMessage's bytes through. */
export function withEncodedResponses<S extends ServiceDefinition>(service: S): S {
  const passing: Record<string, unknown> = {};
  for (const [name, method] of Object.entries(service)) {
    passing[name] = {
      ...method,
      responseSerialize(value: unknown): Buffer {
        return value instanceof EncodedMessage ? value.bytes : method.responseSerialize(value);
      },
    };
  }
  return passing as S;
}
