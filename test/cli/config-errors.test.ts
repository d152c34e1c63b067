// Issue 10, item 2: `reload` (and `apply -f`) printed only added/removed/modified/unchanged and
// exited 0 while a file of the config dir was refused; only --json showed why.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { newMarker } from '../helpers/leaks.js';
import { startTestDaemon } from '../helpers/daemon-harness.js';
import { cliOn } from './run.js';

/** A config dir of one good file (web.yaml) and one bad one (bad.yaml: `command: 42`). */
function configDir(root: string, marker: string): { dir: string; bad: string } {
  const dir = path.join(root, 'config');
  mkdirSync(dir);
  writeFileSync(path.join(dir, 'web.yaml'), `command: sleep\nargs: ["3600.${marker}"]\n`);
  const bad = path.join(dir, 'bad.yaml');
  writeFileSync(bad, 'command: 42\n');
  return { dir, bad };
}

test('reload prints each error of the config with file, field and reason on stderr, and exits 1', async (t) => {
  const marker = newMarker();
  const root = mkdtempSync(path.join(os.tmpdir(), 'statevisor-config-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const { dir, bad } = configDir(root, marker);
  const withConfig = await startTestDaemon({ marker, configPath: dir });
  t.after(() => withConfig.close());

  const result = await cliOn(withConfig.socket)('reload');
  assert.equal(result.code, 1, `exit code; stderr: ${result.stderr}`);
  assert.equal(result.stdout, 'added: -\nremoved: -\nmodified: -\nunchanged: web\n', 'what happened is still printed');
  assert.deepEqual(result.stderr.trimEnd().split('\n'), [`statevisor: ${bad}: command: got 42, expected a non-empty string`]);

  const json = await cliOn(withConfig.socket)('--json', 'reload');
  assert.equal(json.code, 1);
  assert.deepEqual((JSON.parse(json.stdout) as { errors: string[] }).errors, [`${bad}: command: got 42, expected a non-empty string`]);
  assert.match(json.stderr, /bad\.yaml: command: got 42/);
});

test('apply -f of a directory applies the good files, prints each error on stderr, and exits 1', async (t) => {
  const h = await startTestDaemon();
  t.after(() => h.close());
  const { dir, bad } = configDir(h.dir, h.marker);

  const result = await cliOn(h.socket)('apply', '-f', dir);
  assert.equal(result.code, 1, `exit code; stderr: ${result.stderr}`);
  assert.equal(result.stdout, 'added web\n', 'the good file was applied and reported');
  assert.deepEqual(result.stderr.trimEnd().split('\n'), [`statevisor: ${bad}: command: got 42, expected a non-empty string`]);
  assert.deepEqual((await h.client.listProcesses()).map((p) => p.name), ['web']);

  const again = await cliOn(h.socket)('--json', 'apply', '-f', dir);
  assert.equal(again.code, 1);
  assert.deepEqual(JSON.parse(again.stdout), [{ name: 'web', result: 'unchanged', updatedFields: [], restartRequiredFields: [] }]);
  assert.match(again.stderr, /bad\.yaml: command: got 42/);
});

test('apply -f goes on past a spec the daemon refuses, and reports it with the process name', async (t) => {
  const h = await startTestDaemon();
  t.after(() => h.close());
  const file = path.join(h.dir, 'two.yaml');
  // Valid as a spec, refused by the daemon: a log path inside its state dir.
  writeFileSync(
    file,
    `processes:
  - { name: inside, command: sleep, args: ["3600.${h.marker}"], logs: { stdout: "${h.stateDir}/x.log" } }
  - { name: fine, command: sleep, args: ["3600.${h.marker}"] }
`,
  );
  const result = await cliOn(h.socket)('apply', '-f', file);
  assert.equal(result.code, 1, result.stderr);
  assert.equal(result.stdout, 'added fine\n');
  assert.match(result.stderr, /^statevisor: inside: .*logs\.stdout/);
});
