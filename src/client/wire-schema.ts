/**
 * The fields of a wire message, read from the loaded .proto's descriptors, so that converting a
 * spec needs no hand-kept list of field names, sections or maps: a field added to the .proto is
 * accepted by the client as soon as the proto is regenerated.
 */
import { packageDefinition } from '../proto/load.js';

export interface WireField {
  /** snake_case, as in the .proto. */
  name: string;
  /** 'TYPE_STRING', 'TYPE_INT64', 'TYPE_BOOL', 'TYPE_MESSAGE'… */
  type: string;
  repeated: boolean;
  /** map<string, string>: its keys are data, never renamed. */
  map: boolean;
  /** Full name of the message type, for message fields that are not maps. */
  message: string | undefined;
}

interface FieldDescriptor {
  name: string;
  type: string;
  label: string;
  typeName: string;
}

interface MessageDescriptor {
  field: FieldDescriptor[];
  nestedType: { name: string; options?: { mapEntry?: boolean } | null }[];
}

function descriptorOf(fullName: string): MessageDescriptor {
  const definition = packageDefinition[fullName];
  if (!definition || !('format' in definition) || definition.format !== 'Protocol Buffer 3 DescriptorProto') {
    throw new Error(`${fullName} is not a message of the loaded proto`);
  }
  return definition.type as MessageDescriptor;
}

/** proto-loader names field types relative to the field's package; resolve to a full name. */
function resolveTypeName(typeName: string, scope: string): string {
  const bare = typeName.replace(/^\./, '');
  if (packageDefinition[bare]) return bare;
  const pkg = scope.slice(0, scope.lastIndexOf('.'));
  return `${pkg}.${bare}`;
}

const cache = new Map<string, ReadonlyMap<string, WireField>>();

export function wireFields(fullName: string): ReadonlyMap<string, WireField> {
  const known = cache.get(fullName);
  if (known) return known;
  const descriptor = descriptorOf(fullName);
  const fields = new Map<string, WireField>();
  for (const field of descriptor.field) {
    const isMessage = field.type === 'TYPE_MESSAGE';
    const entry = descriptor.nestedType.find((nested) => nested.name === field.typeName);
    const map = isMessage && entry?.options?.mapEntry === true;
    fields.set(field.name, {
      name: field.name,
      type: field.type,
      repeated: field.label === 'LABEL_REPEATED',
      map,
      message: isMessage && !map ? resolveTypeName(field.typeName, fullName) : undefined,
    });
  }
  cache.set(fullName, fields);
  return fields;
}
