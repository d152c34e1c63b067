/**
 * A normalized spec written back in the snake_case form of config files and the wire
 * (`grace_period_ms: 10000`), for DescribeProcess, `--json` output and saved config. Reading
 * the result with validateSpec gives the same spec back.
 */
import type { AnyShape } from './fields.js';
import { specShape } from './schema.js';
import { isObject, snakeCase } from './section.js';
import type { ProcessSpec } from './types.js';

export function specToSnakeCase(spec: ProcessSpec): Record<string, unknown> {
  return rename(spec, specShape as AnyShape);
}

function rename(value: object, shape: AnyShape): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    const section = shape[key]?.shape;
    // Map keys (env names, labels) are data, not field names: they stay as they are.
    out[snakeCase(key)] = section && isObject(inner) ? rename(inner, section) : structuredClone(inner);
  }
  return out;
}

const commandLists = ['exec_start_pre', 'exec_start_post', 'exec_stop_post'];

/**
 * The snake_case form shaped as the wire's ProcessSpec message: command lines as `{ argv }`
 * messages, umask as octal text, numeric user and group ids as text.
 */
export function specToWireFields(spec: ProcessSpec): Record<string, unknown> {
  const out = specToSnakeCase(spec);
  for (const key of commandLists) {
    const lines = out[key];
    if (Array.isArray(lines)) out[key] = lines.map((argv: string[]) => ({ argv }));
  }
  if (typeof out.umask === 'number') out.umask = out.umask.toString(8).padStart(3, '0');
  if (typeof out.user === 'number') out.user = String(out.user);
  if (typeof out.group === 'number') out.group = String(out.group);
  return out;
}
