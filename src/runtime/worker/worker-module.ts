/**
 * A worker's module must be there when the process is created (or updated), not only found
 * missing at its first start: the error names runtime.module. Checked by the daemon, where the
 * module will be loaded — not where the spec was written.
 */
import { statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ProcessSpec } from '../../spec/types.js';
import { SpecValidationError, Violations } from '../../spec/violations.js';

export function checkWorkerModule(spec: ProcessSpec): void {
  const module = spec.runtime.module;
  if (spec.runtime.kind !== 'worker' || module === undefined) return;
  const found = new Violations();
  let file: string | undefined;
  try {
    file = module.startsWith('file:') ? fileURLToPath(module) : module;
  } catch (error) {
    found.add('runtime.module', module, `a file: URL of a local file (${(error as Error).message})`);
  }
  if (file !== undefined) {
    let isFile = false;
    try {
      isFile = statSync(file).isFile();
    } catch {
      // Missing or unreadable: said below.
    }
    if (!isFile) found.add('runtime.module', module, 'a JavaScript module file that exists on the daemon\'s machine');
  }
  if (!found.empty) throw new SpecValidationError(found, { name: spec.name });
}
