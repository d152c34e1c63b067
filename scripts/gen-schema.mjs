// After `tsc`: writes the spec's JSON Schema (schema/process-spec.schema.json) from the compiled
// schema table, so that the package ships the schema the code validates against, and editors
// pointed at the file (`# yaml-language-server: $schema=…`) complete and check config files.
// Writes only when the text changed; test/spec/json-schema.test.ts fails on a stale file.
//
// Usage: node scripts/gen-schema.mjs   (from the project root, after `tsc`)
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { specJsonSchemaText, specSchemaFile } = await import(path.join(root, 'dist/src/spec/json-schema.js'));
const file = path.join(root, specSchemaFile);
const text = specJsonSchemaText();
let current;
try {
  current = readFileSync(file, 'utf8');
} catch {
  current = undefined;
}
if (current !== text) {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
  console.log(`gen-schema: wrote ${specSchemaFile}`);
}
