/**
 * ProcessSpec between the wire and the spec layer. Inbound, only what the caller set is kept
 * (proto3 `optional` presence, non-empty lists and maps), so that defaults apply and a mask
 * can tell "set to 0" from "not sent"; the validator then names any bad field by its wire path.
 */
import type { ProcessSpec as WireSpec } from '../../proto/generated/statevisor/v1/ProcessSpec.js';
import type { ProcessSpec } from '../../spec/types.js';
import { specToWireFields } from '../../spec/snake-case.js';

const commandLists = new Set(['exec_start_pre', 'exec_start_post', 'exec_stop_post']);

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function present(value: unknown): boolean {
  if (value === undefined || value === null || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  if (isPlainObject(value)) return Object.keys(value).length > 0;
  return true;
}

function strip(message: Record<string, unknown>, top: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(message)) {
    // proto-loader adds `_field` virtual members naming which optional fields are set.
    if (key.startsWith('_')) continue;
    if (top && commandLists.has(key) && Array.isArray(value)) {
      if (value.length > 0) out[key] = value.map((line: { argv?: string[] }) => line?.argv ?? []);
      continue;
    }
    // name and command are kept even when empty, so that the validator reports them.
    if (top && (key === 'name' || key === 'command')) {
      out[key] = value;
      continue;
    }
    if (!present(value)) continue;
    const isMap = key === 'labels' || key === 'env';
    out[key] = isPlainObject(value) && !isMap ? strip(value, false) : value;
  }
  return out;
}

/** The wire message as a plain snake_case object of the fields that were set. */
export function specFromWire(spec: WireSpec | null | undefined): Record<string, unknown> {
  if (!spec) return {};
  return strip(spec as unknown as Record<string, unknown>, true);
}

/** Specs are replaced on update, never mutated, so each one is converted once. */
const converted = new WeakMap<ProcessSpec, WireSpec>();

/** A normalized spec in the wire's shape, for Describe and Update replies. */
export function specToWire(spec: ProcessSpec): WireSpec {
  let wire = converted.get(spec);
  if (!wire) {
    wire = convert(spec);
    converted.set(spec, wire);
  }
  return wire;
}

function convert(spec: ProcessSpec): WireSpec {
  return specToWireFields(spec) as WireSpec;
}
