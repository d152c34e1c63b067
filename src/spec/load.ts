/**
 * Config files: YAML or JSON, holding one process spec, a list of them, or `{ processes: [...] }`;
 * and config directories, one process per file, read in alphabetical order, each file's name
 * (without extension) the default process name. A bad file or entry never hides the good ones:
 * the caller gets both the specs and every error, each with its file and field.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { parse as parseYaml, type ScalarTag } from 'yaml';
import { isObject } from './section.js';
import type { ProcessSpec } from './types.js';
import { validateSpec } from './validate.js';
import { describeProblem, SpecValidationError } from './violations.js';

export interface LoadError {
  file: string;
  /** snake_case path in the file (`processes[1].restart.policy`); absent for file-level errors. */
  field?: string;
  message: string;
}

export interface LoadResult {
  specs: ProcessSpec[];
  errors: LoadError[];
}

export const specFileExtensions: readonly string[] = ['.yaml', '.yml', '.json'];

/** Far beyond any real config; keeps a wrong path (a log, a core dump) from being read whole. */
const maxFileBytes = 4 * 1024 * 1024;

/**
 * YAML 1.2 reads `umask: 022` as the decimal 22. Leading-zero integers are kept as strings, so
 * that the umask field can read them as octal and integer fields as the decimal they look like.
 */
const leadingZeroIsText: ScalarTag = {
  tag: 'tag:yaml.org,2002:int',
  default: true,
  test: /^0\d+$/,
  resolve: (source: string) => source,
};

/** Never throws for the file's own problems (unreadable, malformed, invalid): they are in `errors`. */
export async function loadSpecFile(file: string): Promise<LoadResult> {
  const result: LoadResult = { specs: [], errors: [] };
  const document = await readDocument(file, result.errors);
  if (document === undefined) return result;
  const { entries, prefix } = entriesOf(document, file, result.errors);
  const defaultName = entries.length === 1 && prefix === undefined ? stem(file) : undefined;
  const seen = new Map<string, string>();
  entries.forEach((entry, index) => {
    const at = prefix === undefined ? '' : `${prefix}[${index}]`;
    const spec = validateEntry(entry, file, at, defaultName, result.errors);
    if (!spec) return;
    const earlier = seen.get(spec.name);
    if (earlier !== undefined) {
      result.errors.push({ file, field: fieldIn(at, 'name'), message: `name ${JSON.stringify(spec.name)} is already used by ${earlier}` });
      return;
    }
    seen.set(spec.name, at);
    result.specs.push(spec);
  });
  return result;
}

/** Throws only when the directory itself cannot be listed; every file's problems are in `errors`. */
export async function loadSpecDirectory(dir: string): Promise<LoadResult> {
  const result: LoadResult = { specs: [], errors: [] };
  // Code-point order, not the locale's: the same directory loads the same way on every machine.
  // Dotfiles are editors' and tools' leftovers, never config.
  const names = (await readdir(dir))
    .filter((name) => !name.startsWith('.') && specFileExtensions.includes(extname(name)))
    .sort();
  const seen = new Map<string, string>();
  for (const name of names) {
    const file = join(dir, name);
    if (!(await stat(file).catch(() => undefined))?.isFile()) continue;
    const document = await readDocument(file, result.errors);
    if (document === undefined) continue;
    if (Array.isArray(document) || (isObject(document) && 'processes' in document)) {
      result.errors.push({ file, message: 'a file in a config directory holds one process, not a list' });
      continue;
    }
    const spec = validateEntry(document, file, '', stem(file), result.errors);
    if (!spec) continue;
    const earlier = seen.get(spec.name);
    if (earlier !== undefined) {
      result.errors.push({ file, field: 'name', message: `name ${JSON.stringify(spec.name)} is already used by ${earlier}` });
      continue;
    }
    seen.set(spec.name, file);
    result.specs.push(spec);
  }
  return result;
}

/** `--config PATH`: a file or a directory of them. */
export async function loadSpecs(path: string): Promise<LoadResult> {
  return (await stat(path)).isDirectory() ? loadSpecDirectory(path) : loadSpecFile(path);
}

async function readDocument(file: string, errors: LoadError[]): Promise<unknown> {
  const extension = extname(file);
  if (!specFileExtensions.includes(extension)) {
    errors.push({ file, message: `unsupported file type ${JSON.stringify(extension)}: expected ${specFileExtensions.join(', ')}` });
    return undefined;
  }
  let text: string;
  try {
    const size = (await stat(file)).size;
    if (size > maxFileBytes) {
      errors.push({ file, message: `file of ${size} bytes: expected at most ${maxFileBytes}` });
      return undefined;
    }
    text = await readFile(file, 'utf8');
  } catch (error) {
    errors.push({ file, message: `cannot read: ${(error as Error).message}` });
    return undefined;
  }
  let document: unknown;
  try {
    document =
      extension === '.json'
        ? JSON.parse(text)
        : parseYaml(text, { customTags: (tags) => [leadingZeroIsText, ...tags], prettyErrors: true });
  } catch (error) {
    const firstLine = String((error as Error).message).split('\n')[0];
    errors.push({ file, message: `invalid ${extension === '.json' ? 'JSON' : 'YAML'}: ${firstLine}` });
    return undefined;
  }
  if (document === null || document === undefined) {
    errors.push({ file, message: 'the file is empty' });
    return undefined;
  }
  return document;
}

/** The specs a file holds, and the path prefix their violations get (none for a single spec). */
function entriesOf(document: unknown, file: string, errors: LoadError[]): { entries: unknown[]; prefix?: string } {
  if (Array.isArray(document)) return { entries: document, prefix: '' };
  if (!isObject(document) || !('processes' in document)) return { entries: [document] };
  for (const key of Object.keys(document)) {
    if (key !== 'processes') errors.push({ file, field: key, message: 'no field of this name beside processes' });
  }
  const { processes } = document;
  if (Array.isArray(processes)) return { entries: processes, prefix: 'processes' };
  errors.push({ file, field: 'processes', message: 'expected a list of process specs' });
  return { entries: [] };
}

function validateEntry(
  entry: unknown,
  file: string,
  at: string,
  defaultName: string | undefined,
  errors: LoadError[],
): ProcessSpec | undefined {
  try {
    return validateSpec(moduleBesideFile(entry, file), defaultName === undefined ? { source: file } : { source: file, defaultName });
  } catch (error) {
    if (!(error instanceof SpecValidationError)) throw error;
    for (const violation of error.violations) {
      errors.push({ file, field: fieldIn(at, violation.field), message: describeProblem(violation) });
    }
    return undefined;
  }
}

/**
 * A worker's `runtime.module` written `./service.mjs` or `../lib/service.mjs` in a config file
 * is beside that file, so that a config directory carries its modules with it.
 */
function moduleBesideFile(entry: unknown, file: string): unknown {
  if (!isObject(entry) || !isObject(entry.runtime)) return entry;
  const module = entry.runtime.module;
  if (typeof module !== 'string' || !/^\.\.?\//.test(module)) return entry;
  return { ...entry, runtime: { ...entry.runtime, module: resolve(dirname(file), module) } };
}

/** `processes[1]` + `restart.policy` → `processes[1].restart.policy` */
function fieldIn(prefix: string, field: string): string {
  if (!prefix) return field;
  if (!field) return prefix;
  return field.startsWith('[') ? `${prefix}${field}` : `${prefix}.${field}`;
}

function stem(file: string): string {
  return basename(file, extname(file));
}
