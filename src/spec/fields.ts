/**
 * The kinds of field a spec is made of. Each reads one raw value, reports what is wrong with it
 * at its path, and returns the normalized value, or undefined when it reported a violation.
 * Null and absent values never reach a field: the section reader treats both as "not given".
 *
 * The kinds naming things of the operating system (paths, signals, accounts) are os-fields.ts.
 *
 * Each kind also says how its value travels in the wire's ProcessSpec message (src/proto/spec-wire.ts)
 * and what a config file may hold there as JSON Schema (src/spec/json-schema.ts), so that the
 * schema table (schema.ts) is the one source of validation, the wire mapping and the editors'
 * schema. A JSON Schema describes the forms people write; the readers stay the judges of the
 * finer rules (NUL characters, a whole number of milliseconds, an exec'able path).
 */
import { maxDurationMs, readDuration, readMilliseconds, type Parsed } from './duration.js';
import { readByteSize } from './byte-size.js';
import { childPath, type Violations } from './violations.js';

export type Read<T> = (value: unknown, at: string, found: Violations) => T | undefined;

/** A JSON Schema (draft-07) object. */
export type JsonSchema = { readonly [keyword: string]: unknown };

/**
 * How a value travels in the ProcessSpec message: the protobuf type of its field. `fromNumber`
 * spells a number the spec holds as the text the wire carries (umask in octal, numeric ids);
 * a list with `message` travels as repeated messages holding it under that one field (argv).
 */
export type WireForm =
  | { readonly type: 'string'; readonly fromNumber?: (value: number) => string }
  | { readonly type: 'int' }
  | { readonly type: 'bool' }
  | { readonly type: 'map' }
  /** `shape`: the message's fields, for a message inside a list (sections are walked by their field). */
  | { readonly type: 'message'; readonly shape?: AnyShape }
  | { readonly type: 'list'; readonly item: WireForm; readonly message?: string };

export interface Field<T> {
  readonly read: Read<T>;
  /** Duration fields (`delayMs`) also take their plain name (`delay`) with a duration string. */
  readonly readPlain?: Read<T>;
  /** Sections: the fields of the nested object. */
  readonly shape?: AnyShape;
  readonly wire: WireForm;
  /** What a file may hold for this field; `plain`: under a duration's plain name. */
  jsonSchema(plain: boolean): JsonSchema;
}

/** One field per property of T, each reading T's type for it. */
export type Shape<T> = { readonly [K in keyof T]-?: Field<NonNullable<T[K]>> };
export type AnyShape = Readonly<Record<string, Field<unknown>>>;

export const pathMax = 4096;
export const processNamePattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;

const string: WireForm = { type: 'string' };
const int: WireForm = { type: 'int' };

export function fromParsed<T>(parse: (value: unknown) => Parsed<T>): Read<T> {
  return (value, at, found) => {
    const parsed = parse(value);
    if (parsed.ok) return parsed.value;
    return found.reject(at, value, parsed.expected);
  };
}


export interface TextOptions {
  max: number;
  /** Accept "" (descriptions, gRPC service names). */
  empty?: boolean;
  pattern?: RegExp;
  /** What the pattern means, for the violation. */
  like?: string;
  /** YAML turns `8080` and `true` into numbers and booleans; args, env and label values take them back. */
  scalars?: boolean;
}

export function text(options: TextOptions): Field<string> {
  const expected = options.like ?? `a ${options.empty ? '' : 'non-empty '}string`;
  return {
    read(value, at, found) {
      const raw =
        options.scalars && (typeof value === 'number' || typeof value === 'boolean') && Number.isFinite(Number(value))
          ? String(value)
          : value;
      if (typeof raw !== 'string' || (!options.empty && raw === '')) return found.reject(at, value, expected);
      if (raw.length > options.max) return found.reject(at, value, `${expected} of at most ${options.max} characters`);
      if (raw.includes('\0')) return found.reject(at, value, `${expected} without NUL characters`);
      if (options.pattern && !options.pattern.test(raw)) return found.reject(at, value, expected);
      return raw;
    },
    wire: string,
    jsonSchema: () => ({
      type: options.scalars ? ['string', 'number', 'boolean'] : 'string',
      ...(!options.empty && { minLength: 1 }),
      maxLength: options.max,
      ...(options.pattern && { pattern: options.pattern.source }),
      description: expected,
    }),
  };
}

export const processName = text({
  max: 63,
  pattern: processNamePattern,
  like: `a process name matching ${processNamePattern.source}`,
});

/** Every integer of the schema has both bounds: none is left to MAX_SAFE_INTEGER. */
export function integer({ min = 0, max }: { min?: number; max: number }): Field<number> {
  const expected = `an integer from ${min} to ${max}`;
  return {
    read(value, at, found) {
      // proto3 JSON sends 64-bit integers as decimal strings; other protobuf readers as bigints.
      const number =
        (typeof value === 'string' && /^\d{1,16}$/.test(value)) || typeof value === 'bigint' ? Number(value) : value;
      if (typeof number !== 'number' || !Number.isSafeInteger(number) || number < min || number > max) {
        return found.reject(at, value, expected);
      }
      return number;
    },
    wire: int,
    jsonSchema: () => ({ type: 'integer', minimum: min, maximum: max, description: expected }),
  };
}

export const flag: Field<boolean> = {
  read(value, at, found) {
    if (typeof value === 'boolean') return value;
    return found.reject(at, value, 'true or false');
  },
  wire: { type: 'bool' },
  jsonSchema: () => ({ type: 'boolean' }),
};

/** One of `values`; a synonym is read as the value it names. */
export function oneOf<const T extends string>(values: readonly T[], synonyms: Readonly<Record<string, T>> = {}): Field<T> {
  const listed = [...values, ...Object.entries(synonyms).map(([synonym, value]) => `${synonym} (a synonym of ${value})`)];
  const expected = `one of ${listed.join(', ')}`;
  return {
    read(value, at, found) {
      if ((values as readonly unknown[]).includes(value)) return value as T;
      // Own properties only: "constructor" or "__proto__" is not a synonym.
      if (typeof value === 'string' && Object.hasOwn(synonyms, value)) return synonyms[value];
      return found.reject(at, value, expected);
    },
    wire: string,
    jsonSchema: () => ({ type: 'string', enum: [...values, ...Object.keys(synonyms)], description: expected }),
  };
}

/** What a duration string may look like ("250ms", "1.5s", "1h30m", "0"), as readDuration reads it. */
const durationText = '^\\s*(0|((\\d+(\\.\\d+)?|\\.\\d+)(ms|h|m|s))+)\\s*$';

export function duration({ min = 0 } = {}): Field<number> {
  const atLeast = (parse: (value: unknown) => Parsed<number>) => (value: unknown): Parsed<number> => {
    const parsed = parse(value);
    if (parsed.ok && parsed.value < min) return { ok: false, expected: `a duration of at least ${min}ms` };
    return parsed;
  };
  const milliseconds = { type: 'integer', minimum: min, maximum: maxDurationMs };
  return {
    read: fromParsed(atLeast(readMilliseconds)),
    readPlain: fromParsed(atLeast(readDuration)),
    wire: int,
    jsonSchema: (plain) =>
      plain
        ? {
            anyOf: [milliseconds, { type: 'string', pattern: durationText }],
            description: 'a duration such as "250ms", "5s", "1.5s", "2m" or "1h", or an integer number of milliseconds',
          }
        : { ...milliseconds, description: 'an integer number of milliseconds' },
  };
}

/** Bytes: an integer, or a size string ("512MiB", "200MB"). */
export function byteSize({ min = 0 } = {}): Field<number> {
  const read = (value: unknown): Parsed<number> => {
    // proto3 JSON sends 64-bit integers as decimal strings: readByteSize reads those as bytes.
    const parsed = readByteSize(value);
    if (parsed.ok && parsed.value < min) return { ok: false, expected: `a size of at least ${min} bytes` };
    return parsed;
  };
  return {
    read: fromParsed(read),
    wire: int,
    jsonSchema: () => ({
      anyOf: [
        { type: 'integer', minimum: min, maximum: Number.MAX_SAFE_INTEGER },
        // The units of byte-size.ts, in any case: B, K, KB, KiB, M, … T, TB, TiB.
        { type: 'string', pattern: '^\\s*\\d+(\\.\\d+)?\\s*([KkMmGgTt][Ii]?[Bb]?|[Bb])?\\s*$' },
      ],
      description: 'a size such as "512MiB", "200MB", "1G" or an integer number of bytes',
    }),
  };
}

export interface ListOptions {
  max: number;
  /** Accept one item written without the list around it. */
  single?: boolean;
  /** Drop repeated items, keeping the first. */
  unique?: boolean;
  /** Reject an empty list. */
  nonEmpty?: boolean;
  /** On the wire, a message holding the list under this one field (CommandLine's argv). */
  message?: string;
}

export function list<T>(item: Field<T>, options: ListOptions): Field<T[]> {
  return {
    read(value, at, found) {
      const items = options.single && !Array.isArray(value) ? [value] : value;
      const expected = `a list of at most ${options.max} items`;
      if (!Array.isArray(items)) return found.reject(at, value, options.nonEmpty ? `a non-empty list` : 'a list');
      if (items.length > options.max) return found.reject(at, value, expected);
      if (options.nonEmpty && items.length === 0) return found.reject(at, value, 'a non-empty list');
      const out: T[] = [];
      let valid = true;
      items.forEach((raw, index) => {
        const path = options.single && !Array.isArray(value) ? at : childPath(at, index);
        const read = raw === null || raw === undefined ? found.reject(path, raw, 'a value') : item.read(raw, path, found);
        if (read === undefined) valid = false;
        else if (!options.unique || !out.includes(read)) out.push(read);
      });
      return valid ? out : undefined;
    },
    wire: { type: 'list', item: item.wire, ...(options.message !== undefined && { message: options.message }) },
    jsonSchema: () => {
      const array = {
        type: 'array',
        items: item.jsonSchema(false),
        ...(options.nonEmpty && { minItems: 1 }),
        maxItems: options.max,
      };
      return options.single ? { anyOf: [item.jsonSchema(false), array] } : array;
    },
  };
}

export interface MapOptions {
  max: number;
  key: RegExp;
  keyMax: number;
  like: string;
  /** Keys a spec may not set, with why (the daemon's own environment markers). */
  reserved?: { readonly keys: readonly string[]; readonly why: (key: string) => string };
}

export function map<T>(item: Field<T>, options: MapOptions): Field<Record<string, T>> {
  return {
    read(value, at, found) {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        return found.reject(at, value, `a map of ${options.like} to values`);
      }
      const entries = Object.entries(value);
      if (entries.length > options.max) return found.reject(at, value, `at most ${options.max} entries`);
      let valid = true;
      const out: [string, T][] = [];
      for (const [key, raw] of entries) {
        const path = childPath(at, key);
        if (key.length > options.keyMax || !options.key.test(key)) {
          found.add(path, key, `a key that is ${options.like} of at most ${options.keyMax} characters`);
          valid = false;
          continue;
        }
        if (options.reserved?.keys.includes(key)) {
          found.add(path, raw, options.reserved.why(key));
          valid = false;
          continue;
        }
        const read = raw === null || raw === undefined ? found.reject(path, raw, 'a value') : item.read(raw, path, found);
        if (read === undefined) valid = false;
        else out.push([key, read]);
      }
      // fromEntries defines "__proto__" as a plain key instead of swapping the prototype.
      return valid ? Object.fromEntries(out) : undefined;
    },
    wire: { type: 'map' },
    jsonSchema: () => ({
      type: 'object',
      maxProperties: options.max,
      propertyNames: {
        maxLength: options.keyMax,
        pattern: options.key.source,
        ...(options.reserved && { not: { enum: [...options.reserved.keys] } }),
      },
      additionalProperties: item.jsonSchema(false),
      description: `a map of ${options.like} to values`,
    }),
  };
}
