/**
 * scripts/run-tests.mjs, the runner behind `npm test`: only *.test.js files run (a helper module
 * beside them is not counted as a test), a test that hangs fails at the per-test timeout while
 * the tests after it still run, and the exit code says so.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const runner = fileURLToPath(new URL('../../../scripts/run-tests.mjs', import.meta.url));

/** This process's environment without the mark that tells node:test it runs inside a test file. */
function runnerEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const { NODE_TEST_CONTEXT: _inside, ...env } = process.env;
  return { ...env, ...extra };
}

test('the runner runs only *.test.js, fails a hanging test at the per-test timeout, and goes on', { timeout: 60_000 }, async (t) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'statevisor-runner-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(path.join(dir, 'nested'));
  writeFileSync(
    path.join(dir, 'a.test.js'),
    `import { test } from 'node:test';
test('never settles', () => new Promise(() => setInterval(() => {}, 1000)));
test('runs after the hang', () => {});
test('keeps its own longer timeout', { timeout: 5000 }, () => new Promise((resolve) => setTimeout(resolve, 700)));
`,
  );
  writeFileSync(path.join(dir, 'nested', 'b.test.js'), `import { test } from 'node:test';\ntest('nested file runs', () => {});\n`);
  writeFileSync(path.join(dir, 'helper.js'), `import { test } from 'node:test';\ntest('a helper module ran as a test', () => {});\n`);

  const child = spawn(process.execPath, [runner, dir], {
    // The hanging test's interval keeps its file alive after its tests: the file bound ends it.
    env: runnerEnv({ STATEVISOR_TEST_TIMEOUT_MS: '300', STATEVISOR_FILE_TIMEOUT_MS: '5000' }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const [code] = (await once(child, 'exit')) as [number | null];

  assert.equal(code, 1, output);
  assert.match(output, /not ok \d+ - never settles\n\s+---\n(.*\n)*?\s+error: 'test timed out after 300ms'/, output);
  assert.match(output, /^ok \d+ - runs after the hang$/m, output);
  assert.match(output, /^ok \d+ - keeps its own longer timeout$/m, output);
  assert.match(output, /^ok \d+ - nested file runs$/m, output);
  assert.doesNotMatch(output, /a helper module ran as a test/, 'helper.js is not a test file');
});

test('the runner passes options to node --test and keeps its exit code', { timeout: 60_000 }, async (t) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'statevisor-runner-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(path.join(dir, 'c.test.js'), `import { test } from 'node:test';\ntest('chosen', () => {});\ntest('failing', () => { throw new Error('no'); });\n`);
  const child = spawn(process.execPath, [runner, '--test-name-pattern=chosen', dir], { env: runnerEnv(), stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const [code] = (await once(child, 'exit')) as [number | null];
  assert.equal(code, 0, output);
  assert.match(output, /^# pass 1$/m, output);
});
