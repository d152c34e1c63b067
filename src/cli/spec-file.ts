/**
 * Spec files for `create -f` and `apply -f`: read and validated here with src/spec's loader (the
 * daemon's own), so that a bad file is reported whole, with every field at fault, before any
 * process is touched. What is sent is the normalized spec, defaults included, so that `apply`
 * compares every field; the client maps it to the wire.
 */
import { loadSpecs, type ProcessSpec } from '../spec/index.js';
import { UsageError } from './errors.js';

export interface SpecFileContents {
  specs: ProcessSpec[];
  /** One per problem: "FILE: FIELD: reason" (no field for a file-level problem). */
  errors: string[];
}

/**
 * The good specs of a file or directory and every problem of the bad ones, as `apply -f` and the
 * daemon's reload take them: a bad file never hides the good ones. Only a path that cannot be
 * read at all, or that holds nothing, is a usage error.
 */
export async function readSpecFileContents(file: string): Promise<SpecFileContents> {
  let loaded;
  try {
    loaded = await loadSpecs(file);
  } catch (error) {
    throw new UsageError(`-f: cannot read ${file}: ${(error as Error).message}`);
  }
  const errors = loaded.errors.map((e) => `${e.file}${e.field ? `: ${e.field}` : ''}: ${e.message}`);
  if (loaded.specs.length === 0 && errors.length === 0) throw new UsageError(`-f: ${file} holds no process specs`);
  return { specs: loaded.specs, errors };
}

/** A file of one spec or several (or a directory of them), all good; every problem at once, as a usage error. */
export async function readSpecFile(file: string): Promise<ProcessSpec[]> {
  const { specs, errors } = await readSpecFileContents(file);
  if (errors.length > 0) throw new UsageError(errors.join('; '));
  return specs;
}
