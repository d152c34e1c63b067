/**
 * Spec files for `create -f` and `apply -f`: read and validated here with src/spec's loader (the
 * daemon's own), so that a bad file is reported whole, with every field at fault, before any
 * process is touched. What is sent is the normalized spec in the wire's snake_case, defaults
 * included, so that `apply` compares every field.
 */
import type { WireProcessSpecInput } from '../client/index.js';
import { loadSpecs, specToWireFields, type ProcessSpec } from '../spec/index.js';
import { UsageError } from './errors.js';

/** The normalized spec as the wire spells it (umask as octal text, ids as text, argv messages). */
export function specToWire(spec: ProcessSpec): WireProcessSpecInput {
  return specToWireFields(spec) as unknown as WireProcessSpecInput;
}

/** A file of one spec or several (or a directory of them); every problem at once, as a usage error. */
export async function readSpecFile(file: string): Promise<ProcessSpec[]> {
  let loaded;
  try {
    loaded = await loadSpecs(file);
  } catch (error) {
    throw new UsageError(`-f: cannot read ${file}: ${(error as Error).message}`);
  }
  if (loaded.errors.length > 0) {
    const problems = loaded.errors.map((e) => `${e.file}${e.field ? `: ${e.field}` : ''}: ${e.message}`);
    throw new UsageError(problems.join('; '));
  }
  if (loaded.specs.length === 0) throw new UsageError(`-f: ${file} holds no process specs`);
  return loaded.specs;
}
