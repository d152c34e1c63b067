/**
 * Environment files (`envFiles:` in a spec), in the dialect people already write for systemd's
 * EnvironmentFile= and docker's --env-file:
 *
 *   # comment                  KEY=value   # inline comment (after whitespace)
 *   export KEY=value           KEY='literal $HOME \n'
 *   KEY="line\nbreak \"quoted\" back\\slash"
 *
 * No variable expansion: a value means what it says, wherever the file is read. A path with a
 * leading '-' may be missing, as in systemd.
 */
import { readFile } from 'node:fs/promises';
import { StatevisorError } from '../../errors.js';

const keyPattern = /^[A-Za-z_][A-Za-z0-9_]*$/;
const escapes: Readonly<Record<string, string>> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' };

/** The variables defined by `text`; `source` names the file in errors. Later lines win. */
export function parseEnvFile(text: string, source: string): Record<string, string> {
  const variables = new Map<string, string>();
  // A BOM left by an editor would otherwise become part of the first key and fail it.
  const lines = text.replace(/^\uFEFF/, '').split('\n');
  lines.forEach((raw, index) => {
    const fail = (problem: string): never => {
      throw new StatevisorError('E_START_FAILED', `env file ${source}, line ${index + 1}: ${problem}`);
    };
    const line = raw.replace(/\r$/, '').trimStart();
    if (line === '' || line.startsWith('#')) return;
    const body = line.replace(/^export\s+/, '');
    const equals = body.indexOf('=');
    if (equals < 0) fail(`expected KEY=VALUE, found '${body.trimEnd()}'`);
    const key = body.slice(0, equals).trim();
    if (!keyPattern.test(key)) fail(`invalid key '${key}' (letters, digits and '_', not starting with a digit)`);
    variables.set(key, parseValue(body.slice(equals + 1), fail));
  });
  // fromEntries defines own properties, so a key like __proto__ is data, not a prototype.
  return Object.fromEntries(variables);
}

function parseValue(text: string, fail: (problem: string) => never): string {
  const start = text.trimStart();
  if (start.startsWith("'")) {
    const end = start.indexOf("'", 1);
    if (end < 0) fail('unterminated single-quoted value');
    expectNothingAfter(start.slice(end + 1), fail);
    return start.slice(1, end);
  }
  if (start.startsWith('"')) {
    let value = '';
    for (let i = 1; i < start.length; i++) {
      const char = start[i] as string;
      if (char === '"') {
        expectNothingAfter(start.slice(i + 1), fail);
        return value;
      }
      if (char === '\\' && i + 1 < start.length) {
        const next = start[++i] as string;
        // An unknown escape keeps its backslash, as in the shell: "C:\dir" stays C:\dir.
        value += escapes[next] ?? `\\${next}`;
      } else {
        value += char;
      }
    }
    return fail('unterminated double-quoted value');
  }
  // '#' starts a comment only after whitespace: KEY=a#b is 'a#b', as in the shell.
  const comment = text.search(/\s#/);
  return (comment < 0 ? text : text.slice(0, comment)).trim();
}

function expectNothingAfter(rest: string, fail: (problem: string) => never): void {
  if (!/^\s*(#.*)?$/.test(rest)) fail(`unexpected '${rest.trim()}' after the closing quote`);
}

/**
 * The variables of `paths`, read in order, later files overriding earlier ones. A path written
 * '-/etc/app.env' is optional: a missing file contributes nothing. A missing required file, or
 * any other read error, fails the start.
 */
export async function readEnvFiles(paths: readonly string[]): Promise<Record<string, string>> {
  const files = await Promise.all(paths.map(readOne));
  // Merged through a Map for the reason parseEnvFile() gives: Object.assign would treat a
  // __proto__ key as the prototype.
  return Object.fromEntries(new Map(files.flatMap((variables) => Object.entries(variables))));
}

async function readOne(entry: string): Promise<Record<string, string>> {
  const optional = entry.startsWith('-');
  const path = optional ? entry.slice(1) : entry;
  if (path === '') throw new StatevisorError('E_START_FAILED', `env file path '${entry}' is empty`);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      if (optional) return {};
      throw new StatevisorError('E_START_FAILED', `env file '${path}' not found`, { cause: error });
    }
    throw new StatevisorError('E_START_FAILED', `cannot read env file '${path}': ${code ?? String(error)}`, {
      cause: error,
    });
  }
  return parseEnvFile(text, path);
}
