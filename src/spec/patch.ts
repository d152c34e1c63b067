/**
 * UpdateProcess with a field mask (AIP-134): only the fields the mask names are taken from the
 * request; a named field absent from the request goes back to its default; everything else is
 * kept from the current spec. Without a mask, the fields present in the request are the mask
 * (a null resets one). "*" names every field: a full replacement.
 */
import { completeSpec } from './complete.js';
import type { AnyShape } from './fields.js';
import { specShape } from './schema.js';
import { aliasesOf, isObject, readSection } from './section.js';
import type { ProcessSpec, SpecInput } from './types.js';
import { SpecValidationError, Violations } from './violations.js';

/** A mask path as camelCase keys of the normalized spec: ['stop', 'gracePeriodMs']. */
type KeyPath = readonly string[];

const topShape = specShape as AnyShape;

export function validateSpecPatch(
  input: unknown,
  base: ProcessSpec,
  fieldPaths: readonly string[],
  options: { source?: string } = {},
): ProcessSpec {
  const found = new Violations();
  const explicit = fieldPaths.length > 0;
  const mask = explicit ? resolveMask(fieldPaths, found) : impliedMask(input, topShape);
  const given = readSection(explicit ? prune(input, mask, topShape) : input, specShape, '', found);
  if (given === undefined) throw new SpecValidationError(found, { source: options.source, name: base.name });

  const merged: SpecInput = structuredClone(base);
  for (const keys of mask) {
    if (keys[0] === 'name') {
      if (given.name !== undefined && given.name !== base.name) {
        found.add('name', given.name, `${JSON.stringify(base.name)} (a process cannot be renamed)`);
      }
      continue;
    }
    apply(merged, given, keys);
  }
  const spec = completeSpec(merged, found);
  if (!found.empty) throw new SpecValidationError(found, { source: options.source, name: base.name });
  return spec;
}

/** Mask paths in snake_case or camelCase, durations by either name: `stop.grace_period`. */
function resolveMask(paths: readonly string[], found: Violations): KeyPath[] {
  const resolved: KeyPath[] = [];
  for (const path of paths) {
    if (path === '*') {
      resolved.push(...Object.keys(topShape).map((key) => [key]));
      continue;
    }
    const keys = resolvePath(path);
    if (keys) resolved.push(keys);
    else found.add('update_mask', path, 'a ProcessSpec field path such as restart.policy, stop.grace_period or env');
  }
  return resolved;
}

function resolvePath(path: string): KeyPath | undefined {
  const keys: string[] = [];
  let shape: AnyShape | undefined = topShape;
  for (const segment of path.split('.')) {
    const key: string | undefined = shape && aliasesOf(shape).get(segment)?.key;
    if (!shape || key === undefined) return undefined;
    keys.push(key);
    shape = shape[key]?.shape;
  }
  return keys;
}

/** Without a mask: every field written in the request, down into sections. */
function impliedMask(raw: unknown, shape: AnyShape): KeyPath[] {
  if (!isObject(raw)) return [];
  const paths: KeyPath[] = [];
  for (const [written, value] of Object.entries(raw)) {
    const key = aliasesOf(shape).get(written)?.key;
    if (key === undefined) continue;
    const inner = shape[key]?.shape;
    if (inner && isObject(value)) paths.push(...impliedMask(value, inner).map((rest) => [key, ...rest]));
    else paths.push([key]);
  }
  return paths;
}

/** The request cut down to the masked fields, keys as written, so that only those are read. */
function prune(raw: unknown, mask: readonly KeyPath[], shape: AnyShape): unknown {
  if (!isObject(raw)) return raw;
  const out: Record<string, unknown> = {};
  for (const [written, value] of Object.entries(raw)) {
    const key = aliasesOf(shape).get(written)?.key;
    const wanted = mask.filter((keys) => keys[0] === key);
    if (key === undefined || wanted.length === 0) continue;
    const inner = shape[key]?.shape;
    const whole = !inner || wanted.some((keys) => keys.length === 1);
    out[written] = whole ? value : prune(value, wanted.map((keys) => keys.slice(1)), inner);
  }
  return out;
}

/** Copy one masked field from the request into the spec, or remove it so its default applies. */
function apply(target: Record<string, unknown>, given: Record<string, unknown> | undefined, keys: KeyPath): void {
  const [key, ...rest] = keys;
  if (key === undefined) return;
  const value = given?.[key];
  if (rest.length === 0) {
    if (value === undefined) delete target[key];
    else target[key] = value;
    return;
  }
  let inner = target[key];
  if (!isObject(inner)) {
    if (value === undefined) return;
    inner = target[key] = {};
  }
  apply(inner as Record<string, unknown>, isObject(value) ? value : undefined, rest);
}
