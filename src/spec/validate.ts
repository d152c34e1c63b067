/**
 * The boundary: anything that claims to be a ProcessSpec (a config file, a gRPC request, CLI
 * flags) comes through here, and everything above src/spec/ trusts what comes out.
 */
import { completeSpec } from './complete.js';
import { specShape } from './schema.js';
import { readSection } from './section.js';
import type { ProcessSpec } from './types.js';
import { SpecValidationError, Violations } from './violations.js';

export interface ValidateOptions {
  /** Where the spec came from (a file path, "request"), for the error message. */
  source?: string;
  /** The name to use when the spec has none (a config file's name). */
  defaultName?: string;
}

/**
 * Read a spec written in snake_case or camelCase, durations as `*_ms` integers or as duration
 * strings under the plain name, and return it normalized with every default applied. Throws a
 * SpecValidationError (code E_SPEC_INVALID) listing every violation found.
 */
export function validateSpec(input: unknown, options: ValidateOptions = {}): ProcessSpec {
  const found = new Violations();
  const given = readSection(input, specShape, '', found);
  // Not an object at all: that is the one thing to say.
  if (given === undefined) throw new SpecValidationError(found, { source: options.source });
  const spec = completeSpec(given, found, options.defaultName);
  if (!found.empty) {
    throw new SpecValidationError(found, { source: options.source, name: given.name ?? options.defaultName });
  }
  return spec;
}
