/**
 * The request messages of ProcessManager as the fuzzer walks them, read from the same proto
 * descriptors the daemon loads (src/proto/load.ts): every RPC and every field, including the
 * ones added after the fuzzer was written.
 */
import { packageDefinition, wire } from '../../src/proto/load.js';

export type Kind = 'string' | 'bytes' | 'bool' | 'int' | 'double' | 'float' | 'enum' | 'message';

export interface FieldSchema {
  readonly name: string;
  readonly number: number;
  readonly repeated: boolean;
  readonly kind: Kind;
  /** For message fields (and map entries: key = 1, value = 2). */
  readonly message?: MessageSchema;
  readonly map: boolean;
}

export interface MessageSchema {
  readonly name: string;
  readonly fields: readonly FieldSchema[];
}

export interface RpcSchema {
  /** e.g. CreateProcess */
  readonly name: string;
  readonly path: string;
  readonly responseStream: boolean;
  readonly request: MessageSchema;
  responseDeserialize(bytes: Buffer): unknown;
}

interface Descriptor {
  name: string;
  field: { name: string; number: number; label: string; type: string; typeName: string }[];
  nestedType?: Descriptor[];
  options?: { mapEntry?: boolean } | null;
}

const kinds: Record<string, Kind> = {
  TYPE_STRING: 'string',
  TYPE_BYTES: 'bytes',
  TYPE_BOOL: 'bool',
  TYPE_DOUBLE: 'double',
  TYPE_FLOAT: 'float',
  TYPE_ENUM: 'enum',
  TYPE_MESSAGE: 'message',
};

function descriptorOf(fullName: string): Descriptor {
  const entry = (packageDefinition as Record<string, { type?: Descriptor }>)[fullName];
  if (entry?.type === undefined) throw new Error(`no message ${fullName} in the proto`);
  return entry.type;
}

function schemaOf(descriptor: Descriptor, pkg: string): MessageSchema {
  return {
    name: descriptor.name,
    fields: descriptor.field.map((field) => {
      const kind = kinds[field.type] ?? 'int';
      if (kind !== 'message') return { name: field.name, number: field.number, repeated: field.label === 'LABEL_REPEATED', kind, map: false };
      const nested = descriptor.nestedType?.find((n) => n.name === field.typeName);
      const target = nested ?? descriptorOf(field.typeName.includes('.') ? field.typeName.replace(/^\./, '') : `${pkg}.${field.typeName}`);
      return {
        name: field.name,
        number: field.number,
        repeated: field.label === 'LABEL_REPEATED',
        kind,
        message: schemaOf(target, pkg),
        map: nested?.options?.mapEntry === true,
      };
    }),
  };
}

/** Every RPC of statevisor.v1.ProcessManager, with its request's schema. */
export function processManagerRpcs(): RpcSchema[] {
  return Object.entries(wire.statevisor.v1.ProcessManager.service).map(([name, method]) => {
    const typeName = (method as unknown as { requestType: { type: { name: string } } }).requestType.type.name;
    return {
      name,
      path: method.path,
      responseStream: method.responseStream,
      request: schemaOf(descriptorOf(`statevisor.v1.${typeName}`), 'statevisor.v1'),
      responseDeserialize: (bytes: Buffer) => method.responseDeserialize(bytes),
    };
  });
}
