/**
 * Spec ↔ wire. Keys are renamed camelCase ↔ snake_case field by field, guided by the proto's
 * descriptors: map fields (labels, env) keep their keys exactly, `string[][]` command lines
 * become CommandLine messages, and fields the caller left out are not sent, so the daemon's
 * defaults apply. An already-snake_case spec passes through, since snake_case of snake_case is
 * itself. Types are checked here because protobufjs would coerce silently ("false" → true,
 * "5s" → 5): the daemon would never see the mistake to reject it.
 */
import { StatevisorError } from '../errors.js';
import type { ProcessSpec as WireSpec, ProcessSpec__Output as WireSpecOutput } from '../proto/generated/statevisor/v1/ProcessSpec.js';
import type { ProcessSpecInput, ProcessSpecOutput, ProcessSpecPatch } from './spec-types.js';
import { wireFields, type WireField } from './wire-schema.js';

const specMessage = 'statevisor.v1.ProcessSpec';
const commandLineMessage = 'statevisor.v1.CommandLine';

export function snakeCase(key: string): string {
  return key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

export function camelCase(key: string): string {
  return key.replace(/_([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
}

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function invalid(path: string, value: unknown, expected: string): StatevisorError {
  return new StatevisorError('E_INVALID_ARGUMENT', `${path}: expected ${expected}, got ${show(value)}`);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function scalarToWire(field: WireField, value: unknown, path: string): unknown {
  switch (field.type) {
    case 'TYPE_STRING':
      if (typeof value === 'string') return value;
      throw invalid(path, value, 'a string');
    case 'TYPE_BOOL':
      if (typeof value === 'boolean') return value;
      throw invalid(path, value, 'true or false');
    case 'TYPE_DOUBLE':
    case 'TYPE_FLOAT':
      if (typeof value === 'number' && Number.isFinite(value)) return value;
      throw invalid(path, value, 'a number');
    case 'TYPE_ENUM':
      if (typeof value === 'string' || Number.isSafeInteger(value)) return value;
      throw invalid(path, value, 'an enum name');
    default:
      if (Number.isSafeInteger(value)) return value;
      throw invalid(path, value, field.name.endsWith('_ms') ? 'an integer number of milliseconds' : 'an integer');
  }
}

function stringMap(value: unknown, path: string): Record<string, string> {
  if (!isObject(value)) throw invalid(path, value, 'an object of strings');
  for (const [key, inner] of Object.entries(value)) {
    if (typeof inner !== 'string') throw invalid(`${path}[${JSON.stringify(key)}]`, inner, 'a string');
  }
  return { ...(value as Record<string, string>) };
}

function elementToWire(field: WireField, value: unknown, path: string): unknown {
  if (field.message === commandLineMessage && Array.isArray(value)) return messageToWire({ argv: value }, field.message, path);
  if (field.message) return messageToWire(value, field.message, path);
  return scalarToWire(field, value, path);
}

function fieldToWire(field: WireField, value: unknown, path: string): unknown {
  if (field.map) return stringMap(value, path);
  if (!field.repeated) return elementToWire(field, value, path);
  if (!Array.isArray(value)) throw invalid(path, value, 'an array');
  return value.map((item, index) => elementToWire(field, item, `${path}[${index}]`));
}

function messageToWire(value: unknown, fullName: string, path: string): Record<string, unknown> {
  if (!isObject(value)) throw invalid(path, value, 'an object');
  const fields = wireFields(fullName);
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    // Left out and explicitly undefined both mean "not set".
    if (inner === undefined || inner === null) continue;
    // proto-loader's virtual oneof markers ("_restart": "restart") on a spec read from the wire.
    if (key.startsWith('_')) continue;
    const field = fields.get(snakeCase(key));
    if (!field) {
      const known = [...fields.keys()].map(camelCase).join(', ');
      throw new StatevisorError('E_INVALID_ARGUMENT', `${path}.${key}: unknown field; expected one of ${known}`);
    }
    out[field.name] = fieldToWire(field, inner, `${path}.${key}`);
  }
  return out;
}

export function specToWire(spec: ProcessSpecInput | ProcessSpecPatch | WireSpec): WireSpec {
  return messageToWire(spec, specMessage, 'spec') as WireSpec;
}

function elementFromWire(field: WireField, value: unknown): unknown {
  if (field.message === commandLineMessage) return [...(value as { argv: string[] }).argv];
  if (field.message) return messageFromWire(value as Record<string, unknown>, field.message);
  return value;
}

function messageFromWire(value: Record<string, unknown>, fullName: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  // Walking the schema, not the object, leaves proto-loader's virtual oneof keys behind.
  for (const field of wireFields(fullName).values()) {
    const inner = value[field.name];
    if (inner === undefined || inner === null) continue;
    const key = camelCase(field.name);
    if (field.map) out[key] = { ...(inner as Record<string, string>) };
    else if (field.repeated) out[key] = (inner as unknown[]).map((item) => elementFromWire(field, item));
    else out[key] = elementFromWire(field, inner);
  }
  return out;
}

export function specFromWire(spec: WireSpecOutput): ProcessSpecOutput {
  return messageFromWire(spec as unknown as Record<string, unknown>, specMessage) as unknown as ProcessSpecOutput;
}

/**
 * Update-mask paths in the wire's snake_case ("restart.delayMs" → "restart.delay_ms"). Segments
 * after a map field are map keys and stay as written; unknown paths are left for the daemon to
 * reject with its own message.
 */
export function updateMaskToWire(paths: readonly string[]): string[] {
  return paths.map((path) => {
    const out: string[] = [];
    let message: string | undefined = specMessage;
    for (const segment of path.split('.')) {
      const field: WireField | undefined = message ? wireFields(message).get(snakeCase(segment)) : undefined;
      out.push(field ? field.name : segment);
      message = field?.message;
    }
    return out.join('.');
  });
}

/**
 * The implied mask of AIP-134 made explicit: every field the patch sets, down to the leaves of
 * its sections, so that `{ restart: { delayMs: 500 } }` leaves the rest of `restart` alone.
 * Lists and maps are replaced whole.
 */
export function updateMaskOf(wire: Record<string, unknown>, fullName: string = specMessage, prefix = ''): string[] {
  const fields = wireFields(fullName);
  return Object.entries(wire).flatMap(([name, value]) => {
    const field = fields.get(name);
    const path = prefix + name;
    if (field?.message && !field.repeated && isObject(value) && Object.keys(value).length > 0) {
      return updateMaskOf(value, field.message, `${path}.`);
    }
    return [path];
  });
}
