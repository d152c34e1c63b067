/**
 * `statevisor completion`: the bash script, sourced into a real bash with COMP_WORDS/COMP_CWORD set
 * as bash sets them at Tab, completes commands, flags, a flag's choices and process names asked of
 * a real daemon (through a `statevisor` on PATH that is this build); the zsh and fish scripts parse
 * in their shells (skipped, saying how to install the shell, where it is missing).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startTestDaemon } from '../helpers/daemon-harness.js';
import { binary, runCli, testEnv } from './run.js';

function shellAt(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    try {
      execFileSync('test', ['-x', path.join(dir, name)]);
      return path.join(dir, name);
    } catch {
      // not here
    }
  }
  return undefined;
}

const needsShell = (name: string): string | false => (shellAt(name) === undefined ? `needs ${name} (not on PATH): apt-get install -y ${name}` : false);

/** A directory with a `statevisor` that runs this build, for the scripts to call at Tab. */
function statevisorOnPath(t: { after: (fn: () => void) => void }): { dir: string; env: NodeJS.ProcessEnv } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'statevisor-completion-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const shim = path.join(dir, 'statevisor');
  writeFileSync(shim, `#!/bin/sh\nexec '${process.execPath}' '${binary}' "$@"\n`);
  chmodSync(shim, 0o755);
  return { dir, env: { ...testEnv(), PATH: `${dir}:${process.env.PATH ?? ''}` } };
}

/** COMPREPLY after Tab with the cursor at the end of `line` (its last word may be ''). */
function complete(script: string, env: NodeJS.ProcessEnv, line: string[]): Promise<string[]> {
  const words = line.map((word) => `'${word}'`).join(' ');
  const program = `source '${script}'\nCOMP_WORDS=(${words}); COMP_CWORD=${line.length - 1}\n_statevisor\nprintf '%s\\n' "\${COMPREPLY[@]}"`;
  return new Promise((resolve, reject) =>
    execFile('bash', ['--norc', '-c', program], { env, timeout: 30_000 }, (error, stdout, stderr) =>
      error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout.split('\n').filter((word) => word !== '').sort()),
    ),
  );
}

test('the bash script completes a command, a flag, a flag value and process names from the running daemon', { timeout: 120_000 }, async (t) => {
  const h = await startTestDaemon();
  t.after(() => h.close());
  for (const name of ['alpha-web', 'alpha-worker', 'beta']) await h.client.createProcess({ name, command: 'sleep', args: h.sleepArgs() });
  const { dir, env } = statevisorOnPath(t);
  const script = path.join(dir, 'statevisor.bash');
  const printed = await runCli(['completion', 'bash']);
  assert.equal(printed.code, 0, printed.stderr);
  writeFileSync(script, printed.stdout);

  assert.deepEqual(await complete(script, env, ['statevisor', 'des']), ['describe']);
  assert.deepEqual(await complete(script, env, ['statevisor', 'ls', '--sel']), ['--selector']);
  assert.deepEqual(await complete(script, env, ['statevisor', 'logs', '--fo']), ['--follow']);
  assert.deepEqual(await complete(script, env, ['statevisor', '--js']), ['--json'], 'global flags before the command');
  assert.deepEqual(await complete(script, env, ['statevisor', 'inspect', '--format', 'm']), ['mermaid']);
  assert.deepEqual(await complete(script, env, ['statevisor', 'completion', '']), ['bash', 'fish', 'zsh']);
  // The socket typed on the line is the one asked.
  assert.deepEqual(await complete(script, env, ['statevisor', '--socket', h.socket, 'logs', 'alpha']), ['alpha-web', 'alpha-worker']);
  assert.deepEqual(await complete(script, { ...env, STATEVISOR_SOCKET: h.socket }, ['statevisor', 'start', 'beta', '']), ['alpha-web', 'alpha-worker', 'beta'], 'start takes several');
  assert.deepEqual(await complete(script, { ...env, STATEVISOR_SOCKET: h.socket }, ['statevisor', 'describe', 'beta', '']), [], 'describe takes one');
  assert.deepEqual(await complete(script, { ...env, STATEVISOR_SOCKET: h.socket }, ['statevisor', 'create', '']), [], "create's name is a new one");
  // No daemon: nothing offered, nothing printed into the line.
  assert.deepEqual(await complete(script, env, ['statevisor', '--socket', path.join(dir, 'none.sock'), 'logs', '']), []);
});

test('__complete names prints nothing and exits 0 when no daemon answers', async (t) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'statevisor-completion-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const result = await runCli(['--socket', path.join(dir, 'none.sock'), '__complete', 'names']);
  assert.deepEqual(result, { stdout: '', stderr: '', code: 0 });
  const help = await runCli(['--help']);
  assert.doesNotMatch(help.stdout, /__complete/, 'the hidden command is not listed');
  assert.match(help.stdout, /completion <shell>/);
});

/**
 * What _statevisor offers in zsh for `line`, with zsh's completion builtins replaced by functions
 * that print what they are given: the script's walk over the words is tested without a terminal.
 */
function completeZsh(script: string, env: NodeJS.ProcessEnv, line: string[]): Promise<string[]> {
  const words = line.map((word) => `'${word}'`).join(' ');
  const program = [
    'compdef() { :; }',
    'compadd() { if [[ $1 == -a ]]; then print -l -- ${(P)2}; else shift; print -l -- "$@"; fi }',
    '_describe() { local a; for a in ${@:3}; do [[ $a == -- ]] || print -l -- ${(P)a}; done }',
    '_files() { print -- "<files>" }',
    `source '${script}'`,
    `words=(${words}); CURRENT=${line.length}`,
    '_statevisor',
  ].join('\n');
  const prefix = line.at(-1)!;
  return new Promise((resolve, reject) =>
    execFile('zsh', ['-f', '-c', program], { env, timeout: 30_000 }, (error, stdout, stderr) =>
      error && error.code !== 1
        ? reject(new Error(`${error.message}\n${stderr}`))
        : resolve(
            stdout
              .split('\n')
              .map((entry) => entry.replace(/(?<!\\):.*$/, ''))
              .filter((word) => word !== '' && (word === '<files>' || word.startsWith(prefix)))
              .sort(),
          ),
    ),
  );
}

test('the zsh script offers a command, a flag, a flag value, files for a path and process names from the running daemon', { skip: needsShell('zsh'), timeout: 120_000 }, async (t) => {
  const h = await startTestDaemon();
  t.after(() => h.close());
  for (const name of ['alpha-web', 'beta']) await h.client.createProcess({ name, command: 'sleep', args: h.sleepArgs() });
  const { dir, env } = statevisorOnPath(t);
  const script = path.join(dir, '_statevisor');
  writeFileSync(script, (await runCli(['completion', 'zsh'])).stdout);

  assert.deepEqual(await completeZsh(script, env, ['statevisor', 'des']), ['describe']);
  assert.deepEqual(await completeZsh(script, env, ['statevisor', 'logs', '--fo']), ['--follow']);
  assert.deepEqual(await completeZsh(script, env, ['statevisor', 'inspect', '--format', 'm']), ['mermaid']);
  assert.deepEqual(await completeZsh(script, env, ['statevisor', 'create', '--cwd', '']), ['<files>']);
  assert.deepEqual(await completeZsh(script, env, ['statevisor', '--socket', h.socket, 'stop', '']), ['alpha-web', 'beta']);
  assert.deepEqual(await completeZsh(script, env, ['statevisor', '--socket', h.socket, 'describe', 'beta', '']), []);
});

for (const shell of ['zsh', 'fish'] as const) {
  test(`the ${shell} script parses (${shell} -n)`, { skip: needsShell(shell) }, async (t) => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'statevisor-completion-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const printed = await runCli(['completion', shell]);
    assert.equal(printed.code, 0, printed.stderr);
    const script = path.join(dir, `statevisor.${shell}`);
    writeFileSync(script, printed.stdout);
    execFileSync(shell, ['-n', script]);
    assert.match(printed.stdout, shell === 'zsh' ? /^#compdef statevisor\n/ : /__fish_seen_subcommand_from describe/);
  });
}

test('completion refuses a shell it does not know, naming the choices', async () => {
  const result = await runCli(['completion', 'tcsh']);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /Allowed choices are bash, zsh, fish/);
});
