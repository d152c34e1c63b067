/**
 * The spec's written forms, both directions, in one place: the wire's ProcessSpec message
 * (snake_case, command lines as `{ argv }` messages, umask and numeric ids as text) and the file
 * form (snake_case, values as the normalized spec holds them: DescribeProcess's `--json`, the
 * store's records). The client, the CLI and the daemon all map through here, guided by the
 * schema table (spec/schema.ts): a field's names and wire type come from its one entry there, and
 * test/proto/spec-wire.test.ts checks that table against the .proto.
 *
 * Outbound, types are checked, because protobufjs would coerce silently ("false" → true, "5s" →
 * 5) and the daemon would never see the mistake to reject it; only what the caller set is sent,
 * so that the daemon's defaults apply. Inbound, nothing is judged: the daemon's validator does
 * that (spec/validate.ts, spec/patch.ts), naming any bad field by its wire path.
 */
import { StatevisorError } from '../errors.js';
import type { ProcessSpec as WireSpec, ProcessSpec__Output as WireSpecOutput } from './generated/statevisor/v1/ProcessSpec.js';
import type { AnyShape, Field, WireForm } from '../spec/fields.js';
import { specShape } from '../spec/schema.js';
import { isObject, snakeCase } from '../spec/section.js';
import type { ProcessSpec } from '../spec/types.js';

const topShape = specShape as AnyShape;

/**
 * The wire's written form and the file form differ only in the encodings of the wire form:
 * argv messages, numbers as text.
 */
type Form = 'wire' | 'file';

const wireNameCache = new WeakMap<AnyShape, ReadonlyMap<string, [string, Field<unknown>]>>();

/** A shape's fields by their snake_case (wire) name, with their camelCase key. */
function byWireName(shape: AnyShape): ReadonlyMap<string, [string, Field<unknown>]> {
  let names = wireNameCache.get(shape);
  if (!names) {
    names = new Map(Object.entries(shape).map(([key, field]) => [snakeCase(key), [key, field]]));
    wireNameCache.set(shape, names);
  }
  return names;
}

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function invalid(path: string, value: unknown, expected: string): StatevisorError {
  return new StatevisorError('E_INVALID_ARGUMENT', `${path}: expected ${expected}, got ${show(value)}`);
}

/**
 * A spec or a part of one — the normalized ProcessSpec, a client's camelCase input or patch,
 * or one already in the wire's snake_case — as the wire's message. Throws E_INVALID_ARGUMENT
 * naming the first field of the wrong type, or an unknown one.
 */
export function specToWire(spec: object): WireSpec {
  return messageOut(spec, topShape, 'spec', 'wire') as WireSpec;
}

/**
 * A normalized spec written back in the snake_case form of config files (`grace_period_ms:
 * 10000`), for the store's records. Reading the result with validateSpec gives the same spec back.
 */
export function specToSnakeCase(spec: ProcessSpec): Record<string, unknown> {
  return messageOut(spec, topShape, 'spec', 'file');
}

function messageOut(value: unknown, shape: AnyShape, path: string, form: Form): Record<string, unknown> {
  if (!isObject(value)) throw invalid(path, value, 'an object');
  const fields = byWireName(shape);
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    // Left out and explicitly undefined both mean "not set"; `_restart: "restart"` is
    // proto-loader's virtual oneof marker on a spec read from the wire.
    if (inner === undefined || inner === null || key.startsWith('_')) continue;
    const name = snakeCase(key);
    const field = fields.get(name)?.[1];
    if (!field) {
      throw new StatevisorError('E_INVALID_ARGUMENT', `${path}.${key}: unknown field; expected one of ${Object.keys(shape).join(', ')}`);
    }
    out[name] = field.shape ? messageOut(inner, field.shape, `${path}.${key}`, form) : valueOut(field.wire, inner, `${path}.${key}`, name, form);
  }
  return out;
}

function valueOut(wire: WireForm, value: unknown, path: string, name: string, form: Form): unknown {
  switch (wire.type) {
    case 'map':
      if (!isObject(value)) throw invalid(path, value, 'an object of strings');
      for (const [key, inner] of Object.entries(value)) {
        if (typeof inner !== 'string') throw invalid(`${path}[${JSON.stringify(key)}]`, inner, 'a string');
      }
      // Map keys (env names, labels) are data, not field names: they stay as they are.
      return { ...value };
    case 'list': {
      if (wire.message !== undefined && form === 'wire') return listMessageOut(wire, value, path);
      if (!Array.isArray(value)) throw invalid(path, value, 'an array');
      return value.map((item, index) => valueOut(wire.item, item, `${path}[${index}]`, name, form));
    }
    case 'message':
      // Sections are walked by messageOut from their field; a message in a list (sockets) carries its shape.
      if (wire.shape === undefined) throw new StatevisorError('E_INTERNAL', `${path}: a message field without a shape`);
      return messageOut(value, wire.shape, path, form);
    case 'string':
      if (form === 'wire' && wire.fromNumber && typeof value === 'number') return wire.fromNumber(value);
      if (typeof value === 'string' || form === 'file') return value;
      throw invalid(path, value, 'a string');
    case 'bool':
      if (typeof value === 'boolean' || form === 'file') return value;
      throw invalid(path, value, 'true or false');
    case 'int':
      if (Number.isSafeInteger(value) || form === 'file') return value;
      throw invalid(path, value, name.endsWith('_ms') ? 'an integer number of milliseconds' : 'an integer');
  }
}

/** A command line, `["/bin/true", "-x"]` or already `{ argv: [...] }`, as its message. */
function listMessageOut(wire: WireForm & { type: 'list' }, value: unknown, path: string): Record<string, unknown> {
  const field = wire.message as string;
  const message = Array.isArray(value) ? { [field]: value } : value;
  if (!isObject(message)) throw invalid(path, value, 'an object');
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(message)) {
    if (inner === undefined || inner === null || key.startsWith('_')) continue;
    if (key !== field) throw new StatevisorError('E_INVALID_ARGUMENT', `${path}.${key}: unknown field; expected one of ${field}`);
    out[field] = valueOut({ type: 'list', item: wire.item }, inner, `${path}.${key}`, field, 'wire');
  }
  return out;
}

export interface FromWireOptions {
  /**
   * Only what the caller set: proto3 cannot tell an empty list, map or string from one not
   * sent, so those are left out (name and command stay, for the validator to report), as are
   * unset sections. So defaults apply, and an update without a mask touches only those fields.
   */
  readonly setOnly?: boolean;
}

/**
 * The wire's message as a spec in camelCase, command lines as arrays: for the client, what the
 * daemon describes; for the daemon, what a request asks for, before its validation.
 * proto-loader's virtual oneof keys are left behind, since the walk follows the schema.
 */
export function specFromWire(wire: WireSpec | WireSpecOutput | null | undefined, options: FromWireOptions = {}): Record<string, unknown> {
  if (!wire) return {};
  return messageIn(wire as Record<string, unknown>, topShape, options.setOnly === true, true);
}

/** A worker's command is optional (its module is shown instead): an empty one was not sent. */
function runsModule(wire: Record<string, unknown>): boolean {
  return (wire.runtime as { kind?: unknown } | null | undefined)?.kind === 'worker';
}

function messageIn(wire: Record<string, unknown>, shape: AnyShape, setOnly: boolean, top: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(shape)) {
    const value = wire[snakeCase(key)];
    if (value === undefined || value === null) continue;
    if (setOnly && !present(value) && !(top && (key === 'name' || (key === 'command' && !runsModule(wire))))) continue;
    out[key] = field.shape ? messageIn(value as Record<string, unknown>, field.shape, setOnly, false) : valueIn(field.wire, value);
  }
  return out;
}

function valueIn(wire: WireForm, value: unknown): unknown {
  if (wire.type === 'map') return { ...(value as Record<string, string>) };
  if (wire.type === 'message' && wire.shape !== undefined) return messageIn(value as Record<string, unknown>, wire.shape, false, false);
  if (wire.type !== 'list') return value;
  // A command line's message: its list.
  if (wire.message !== undefined) return [...((value as Record<string, unknown[]> | null)?.[wire.message] ?? [])];
  return (value as unknown[]).map((item) => valueIn(wire.item, item));
}

function present(value: unknown): boolean {
  if (value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  if (isObject(value)) return Object.keys(value).length > 0;
  return true;
}

/**
 * Update-mask paths in the wire's snake_case ("restart.delayMs" → "restart.delay_ms"). Segments
 * after a map field are map keys and stay as written; unknown paths are left for the daemon to
 * reject with its own message.
 */
export function updateMaskToWire(paths: readonly string[]): string[] {
  return paths.map((path) => {
    const out: string[] = [];
    let shape: AnyShape | undefined = topShape;
    for (const segment of path.split('.')) {
      const field: Field<unknown> | undefined = shape && byWireName(shape).get(snakeCase(segment))?.[1];
      out.push(field ? snakeCase(segment) : segment);
      shape = field ? field.shape : undefined;
    }
    return out.join('.');
  });
}

/**
 * The implied mask of AIP-134 made explicit: every field a wire spec sets, down to the leaves of
 * its sections, so that `{ restart: { delay_ms: 500 } }` leaves the rest of `restart` alone.
 * Lists and maps are replaced whole.
 */
export function updateMaskOf(wire: Record<string, unknown>, shape: AnyShape = topShape, prefix = ''): string[] {
  return Object.entries(wire).flatMap(([name, value]) => {
    const inner = byWireName(shape).get(name)?.[1].shape;
    const path = prefix + name;
    if (inner && isObject(value) && Object.keys(value).length > 0) return updateMaskOf(value, inner, `${path}.`);
    return [path];
  });
}
