/**
 * Reading one object of a spec (the spec itself, restart, stop, ...) against its shape. Each
 * field answers to its camelCase name, its snake_case name, and, for durations, its plain name
 * (`grace_period: "5s"` beside `grace_period_ms: 5000`). Anything else is reported by the key
 * as written, with the nearest known name, so that a typo is never silently ignored.
 */
import type { AnyShape, Field, JsonSchema, Shape } from './fields.js';
import { childPath, type Violations } from './violations.js';

export interface Alias {
  /** The camelCase property of the normalized spec. */
  readonly key: string;
  /** Written by its plain duration name: the value is a duration string, not milliseconds. */
  readonly plain: boolean;
}

export function snakeCase(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

const aliasCache = new WeakMap<AnyShape, ReadonlyMap<string, Alias>>();

export function aliasesOf(shape: AnyShape): ReadonlyMap<string, Alias> {
  let aliases = aliasCache.get(shape);
  if (!aliases) {
    const built = new Map<string, Alias>();
    for (const [key, field] of Object.entries(shape)) {
      built.set(key, { key, plain: false }).set(snakeCase(key), { key, plain: false });
      if (field.readPlain) {
        const plain = key.replace(/Ms$/, '');
        built.set(plain, { key, plain: true }).set(snakeCase(plain), { key, plain: true });
      }
    }
    aliasCache.set(shape, built);
    aliases = built;
  }
  return aliases;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The fields given, read and normalized; fields that were absent, null or invalid are left out
 * (invalid ones are reported). Undefined when `raw` is not an object at all.
 */
export function readSection<T>(raw: unknown, shape: Shape<T>, at: string, found: Violations): Partial<T> | undefined {
  const fields = shape as AnyShape;
  if (!isObject(raw)) return found.reject(at, raw, `an object with fields such as ${Object.keys(fields).slice(0, 3).map(snakeCase).join(', ')}`);
  const aliases = aliasesOf(fields);
  const givenAs = new Map<string, string>();
  const out: Record<string, unknown> = {};
  for (const [written, value] of Object.entries(raw)) {
    const alias = aliases.get(written);
    if (!alias) {
      found.add(childPath(at, written), value, unknownFieldHint(written, fields));
      continue;
    }
    const path = childPath(at, snakeCase(written));
    const earlier = givenAs.get(alias.key);
    if (earlier !== undefined) {
      found.add(path, value, `only one of ${earlier} and ${written} (the same field)`);
      continue;
    }
    givenAs.set(alias.key, written);
    if (value === null || value === undefined) continue;
    const field = fields[alias.key] as Field<unknown>;
    const read = alias.plain && field.readPlain ? field.readPlain(value, path, found) : field.read(value, path, found);
    if (read !== undefined) out[alias.key] = read;
  }
  return out as Partial<T>;
}

/** A field holding a nested object. */
export function section<T>(shape: Shape<T>): Field<Partial<T>> {
  return {
    shape: shape as AnyShape,
    read: (value, at, found) => readSection(value, shape, at, found),
    wire: { type: 'message', shape: shape as AnyShape },
    jsonSchema: () => shapeSchema(shape as AnyShape),
  };
}

/**
 * The JSON Schema of one object of a spec, as config files spell it: snake_case names, and a
 * duration by its `_ms` name or its plain name (not both). camelCase is read too, but is not
 * offered to editors: files are written in snake_case.
 */
export function shapeSchema(shape: AnyShape): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  const once: JsonSchema[] = [];
  for (const [key, field] of Object.entries(shape)) {
    properties[snakeCase(key)] = field.jsonSchema(false);
    if (field.readPlain) {
      const plain = snakeCase(key.replace(/Ms$/, ''));
      properties[plain] = field.jsonSchema(true);
      once.push({ not: { required: [plain, snakeCase(key)] } });
    }
  }
  return { type: 'object', properties, additionalProperties: false, ...(once.length > 0 && { allOf: once }) };
}

/** Names other tools use for the same thing, pointed at ours. */
const renamed: Readonly<Record<string, string>> = {
  cwd: 'working_dir',
  directory: 'working_dir',
  environment: 'env',
  autostart: 'auto_start',
  depends_on: 'requires and after',
  restart_policy: 'restart.policy',
  stopsignal: 'stop.signal',
  stop_signal: 'stop.signal',
  kill_timeout: 'stop.grace_period',
  startsecs: 'restart.min_uptime',
  healthcheck: 'health_check',
  readiness_probe: 'health_check',
  liveness_probe: 'health_check',
};

function unknownFieldHint(written: string, fields: AnyShape): string {
  const known = [...aliasesOf(fields).keys()].filter((k) => k === snakeCase(k));
  const replacement = renamed[written.toLowerCase()];
  if (replacement) return `no field of this name (use ${replacement})`;
  for (const [key, field] of Object.entries(fields)) {
    if (field.shape && aliasesOf(field.shape).has(written)) return `no field of this name here (use ${snakeCase(key)}.${snakeCase(written)})`;
  }
  const nearest = known
    .map((name) => ({ name, distance: editDistance(written.toLowerCase(), name) }))
    .sort((a, b) => a.distance - b.distance)[0];
  const cutoff = Math.max(1, Math.floor(written.length / 3));
  if (nearest && nearest.distance <= cutoff) return `no field of this name (did you mean ${nearest.name}?)`;
  return known.length <= 12 ? `no field of this name (known: ${known.join(', ')})` : 'no field of this name';
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 3 || a.length > 64) return Infinity;
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? Infinity;
}
