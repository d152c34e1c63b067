/**
 * A worker's module, checked where it will run — on the daemon's machine — when the process is
 * created or updated: the file must exist (named runtime.module), and, imported in a throwaway
 * thread of a tinypool pool, must export a function under runtime.export. This is where tinypool
 * fits the worker runtime: short, independent tasks in isolated, recycled threads, off the
 * daemon's event loop. (The workloads themselves each get a Worker of their own: worker-syncer.ts.)
 *
 * Importing runs the module's top level: a module whose top level does not finish within
 * `importTimeoutMs` is refused, as its starts would hang the same way.
 */
import { statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type Tinypool from 'tinypool';
import type { ProcessSpec } from '../../spec/types.js';
import { SpecValidationError, Violations } from '../../spec/violations.js';
import type { ModuleCheck, ModuleVerdict } from './module-checker.js';
import { moduleUrlOf } from './worker-run.js';

export const importTimeoutMs = 10_000;

/**
 * A fresh thread per check (a changed module is read anew), none kept when idle. tinypool is
 * loaded at the first check: a daemon without worker workloads never pays for it (~5 MB).
 */
let pool: Tinypool | undefined;

async function checkPool(): Promise<Tinypool> {
  const { default: Pool } = await import('tinypool');
  pool ??= new Pool({
    filename: new URL('./module-checker.js', import.meta.url).href,
    isolateWorkers: true,
    minThreads: 0,
    maxThreads: 2,
    idleTimeout: 1_000,
    // A module's top level that eats memory must not grow the daemon unbounded.
    resourceLimits: { maxOldGenerationSizeMb: 256 },
  });
  return pool;
}

function refuse(spec: ProcessSpec, field: string, value: unknown, expected: string): never {
  const found = new Violations();
  found.add(field, value, expected);
  throw new SpecValidationError(found, { name: spec.name });
}

/**
 * Modules already found good, by file, size, modification time and export: a fleet of workloads
 * on one module imports it once, not once per create (a thread each, ~50 ms on 2 cores).
 */
const passed = new Set<string>();
const passedMax = 1_024;

/** The file: exists and is a file (synchronous, cheap); its identity for `passed`. */
function moduleFile(spec: ProcessSpec, module: string): string {
  let file: string;
  try {
    file = module.startsWith('file:') ? fileURLToPath(module) : module;
  } catch (error) {
    return refuse(spec, 'runtime.module', module, `a file: URL of a local file (${(error as Error).message})`);
  }
  try {
    const stats = statSync(file);
    if (stats.isFile()) return `${file}\0${stats.size}\0${stats.mtimeMs}`;
  } catch {
    // Missing or unreadable: refused below.
  }
  return refuse(spec, 'runtime.module', module, "a JavaScript module file that exists on the daemon's machine");
}

export async function checkWorkerModule(spec: ProcessSpec): Promise<void> {
  const module = spec.runtime.module;
  if (spec.runtime.kind !== 'worker' || module === undefined) return;
  const exportName = spec.runtime.export ?? 'default';
  const key = `${moduleFile(spec, module)}\0${exportName}`;
  if (passed.has(key)) return;
  const task: ModuleCheck = { moduleUrl: moduleUrlOf(module), exportName };
  let verdict: ModuleVerdict;
  try {
    verdict = (await (await checkPool()).run(task, { signal: AbortSignal.timeout(importTimeoutMs) })) as ModuleVerdict;
  } catch (error) {
    const why = (error as Error).name === 'AbortError' || (error as Error).name === 'TimeoutError' ? `its top level did not finish within ${importTimeoutMs} ms` : (error as Error).message;
    return refuse(spec, 'runtime.module', module, `a module that imports (${why})`);
  }
  if (!verdict.ok) refuse(spec, verdict.field, verdict.field === 'runtime.export' ? exportName : module, verdict.message);
  if (passed.size >= passedMax) passed.clear();
  passed.add(key);
}
