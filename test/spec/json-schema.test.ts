/**
 * The JSON Schema editors use (src/spec/json-schema.ts): valid draft-07, shipped as the file the
 * generator writes and printed by `statevisor schema`, accepting what the validator accepts in
 * the documented form (the demo files, the README's example, every normalized spec) and
 * rejecting the mistakes a schema can see.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import ajvModule from 'ajv';
import { parse as parseYaml } from 'yaml';
import { specJsonSchema, specJsonSchemaText, specSchemaFile, validateSpec } from '../../src/spec/index.js';
import { specToSnakeCase } from '../../src/proto/spec-wire.js';
import { runCli } from '../cli/run.js';
import { variants } from './support.js';

const root = new URL('../../../', import.meta.url);
const Ajv = ajvModule.default;
// Strict: an unknown or misspelt keyword is an error, not ignored. Not ajv's own style rules
// (a `required` beside its `properties`, a `type` beside every keyword): JSON Schema has none.
const ajv = new Ajv({ strict: true, strictRequired: false, strictTypes: false, allErrors: true });
const check = ajv.compile(specJsonSchema());

function accepts(document: unknown, what: string): void {
  assert.ok(check(document), `${what}: ${ajv.errorsText(check.errors)}`);
}

function rejects(document: unknown, what: string): void {
  assert.equal(check(document), false, `${what} is rejected`);
}

describe('the spec JSON Schema', () => {
  test('is a valid draft-07 schema', () => {
    assert.equal(ajv.validateSchema(specJsonSchema()), true, ajv.errorsText(ajv.errors));
    assert.equal(specJsonSchema().$schema, 'http://json-schema.org/draft-07/schema#');
  });

  test('the package file is what the generator writes (npm run build rewrites it)', () => {
    assert.equal(readFileSync(new URL(specSchemaFile, root), 'utf8'), specJsonSchemaText());
  });

  test('statevisor schema prints it', async () => {
    const printed = await runCli(['schema']);
    assert.equal(printed.code, 0, printed.stderr);
    assert.equal(printed.stdout, specJsonSchemaText());
  });

  test('accepts the demo files and points them at itself', () => {
    const dir = new URL('examples/demo/', root);
    const files = readdirSync(dir).filter((name) => name.endsWith('.yaml'));
    assert.ok(files.length >= 4);
    for (const name of files) {
      const text = readFileSync(new URL(name, dir), 'utf8');
      assert.match(text, /^# yaml-language-server: \$schema=\.\.\/\.\.\/schema\/process-spec\.schema\.json\n/, name);
      accepts(parseYaml(text), name);
    }
  });

  test('accepts the workers demo files, whose modules are written beside them (./)', () => {
    const dir = new URL('examples/workers/', root);
    const files = readdirSync(dir).filter((name) => name.endsWith('.yaml'));
    assert.equal(files.length, 3);
    for (const name of files) accepts(parseYaml(readFileSync(new URL(name, dir), 'utf8')), name);
  });

  test("accepts the README's spec example", () => {
    const readme = readFileSync(new URL('README.md', root), 'utf8');
    const example = /A process spec \(YAML[^\n]*\n\n```yaml\n([\s\S]*?)```/.exec(readme)?.[1];
    assert.ok(example, 'the README has its spec example');
    const document = parseYaml(example);
    validateSpec(document);
    accepts(document, 'the README example');
  });

  test('accepts every normalized spec in its file form, one, in a list, or under processes', () => {
    for (const spec of variants) accepts(specToSnakeCase(spec), spec.name);
    const specs = variants.map(specToSnakeCase);
    accepts(specs, 'a list');
    accepts({ processes: specs }, 'processes');
  });

  test('rejects wrong types, unknown fields and what the validator would refuse', () => {
    const base = { name: 'web', command: '/bin/true' };
    accepts(base, 'the smallest spec');
    accepts({ command: '/bin/true' }, 'a single spec takes its name from its file');
    const wrong: [string, unknown][] = [
      ['a number as the command', { ...base, command: 42 }],
      ['a string as a flag', { ...base, auto_start: 'yes' }],
      ['an unknown policy', { ...base, restart: { policy: 'sometimes' } }],
      ['a misspelt field', { ...base, restrat: { policy: 'always' } }],
      ['camelCase (read by the daemon, but not the documented form)', { ...base, autoStart: true }],
      ['a duration without a unit', { ...base, stop: { grace_period: '5' } }],
      ['a duration string under the _ms name', { ...base, stop: { grace_period_ms: '5s' } }],
      ['one duration given twice', { ...base, stop: { grace_period: '5s', grace_period_ms: 5000 } }],
      ['a size that is not one', { ...base, resources: { memory_bytes: '5 parsecs' } }],
      ['no command', { name: 'web' }],
      ['an http check without url', { ...base, health_check: { type: 'http' } }],
      ['a tcp check with a url', { ...base, health_check: { type: 'tcp', port: 80, url: 'http://x/' } }],
      ['an exec runtime with a module', { ...base, runtime: { kind: 'exec', module: '/w.js' } }],
      ['a reserved environment variable', { ...base, env: { STATEVISOR_PROCESS_ID: 'x' } }],
      ['a relative log path', { ...base, logs: { stdout: 'out.log' } }],
      ['a list entry without a name', [{ command: '/bin/true' }]],
      ['more beside processes', { processes: [base], version: 1 }],
    ];
    for (const [what, document] of wrong) rejects(document, what);
  });

  test('a worker needs no command: its module is', () => {
    accepts({ name: 'w', runtime: { kind: 'worker', module: '/srv/w.js' } }, 'a worker');
    rejects({ name: 'w', runtime: { kind: 'worker' } }, 'a worker without module');
  });
});
