import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasCode } from '../../../src/errors.js';
import {
  joinFailureExitCode,
  shellQuote,
  wrapCommand,
} from '../../../src/runtime/resources/index.js';
import { waitUntil } from '../../helpers/leaks.js';
import { MarkedChildren } from './fixtures.js';

/** The value of one row of /proc/<pid>/limits ("Max address space"), soft column. */
function softLimit(pid: number, row: string): string | undefined {
  const line = readFileSync(`/proc/${pid}/limits`, 'utf8').split('\n').find((entry) => entry.startsWith(row));
  return line?.slice(26).trim().split(/\s+/)[0];
}

describe('wrapCommand', () => {
  const children = new MarkedChildren();
  let dir: string | undefined;
  afterEach(async () => {
    await children.cleanup();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
    dir = undefined;
  });

  test('shellQuote survives quotes, spaces, $, backquotes and newlines', () => {
    const nasty = [`it's`, `a b`, `$HOME`, `"x"`, '`id`', 'two\nlines', `'`, '', `\\`];
    const script = 'process.stdout.write(JSON.stringify(process.argv.slice(1)))';
    const line = [process.execPath, '-e', script, ...nasty].map(shellQuote).join(' ');
    const result = spawnSync('/bin/sh', ['-c', line], { encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual(JSON.parse(result.stdout), nasty);
  });

  test('runs the program with its arguments unchanged, under the same pid, with the procs file written', async () => {
    dir = await mkdtemp(join(tmpdir(), 'statevisor-wrap-'));
    const procs = join(dir, "odd 'cgroup'.procs");
    const wrapped = wrapCommand('sleep', [children.sleepArg], { cgroupProcsFiles: [procs] });
    assert.equal(wrapped.command, '/bin/sh');
    const { child } = children.spawn(wrapped.command, wrapped.args);
    // The wrapper writes $$; exec keeps it, so the file names the pid spawn() returned.
    await waitUntil('the wrapper wrote its pid', async () => (await readFile(procs, 'utf8').catch(() => '')) !== '');
    assert.equal((await readFile(procs, 'utf8')).trim(), String(child.pid));
    await waitUntil('sleep replaced the shell', () =>
      readFileSync(`/proc/${child.pid}/cmdline`, 'latin1').split('\0')[0] === 'sleep',
    );
    assert.deepEqual(readFileSync(`/proc/${child.pid}/cmdline`, 'latin1').split('\0').slice(0, 2), [
      'sleep',
      children.sleepArg,
    ]);
  });

  test('an unwritable cgroup.procs exits 225 with a message, and the program never runs', async () => {
    dir = await mkdtemp(join(tmpdir(), 'statevisor-wrap-'));
    const ran = join(dir, 'ran');
    const wrapped = wrapCommand('/bin/sh', ['-c', `touch '${ran}'`, children.marker], {
      cgroupProcsFiles: [join(dir, 'missing-dir', 'cgroup.procs')],
    });
    const { exit, stderr } = children.spawn(wrapped.command, wrapped.args);
    assert.deepEqual(await exit, { code: joinFailureExitCode, signal: null });
    assert.match(stderr(), /statevisor: cannot join cgroup: .*missing-dir\/cgroup\.procs/);
    await assert.rejects(stat(ran), { code: 'ENOENT' });
  });

  test('a second procs file failing still stops the program', async () => {
    dir = await mkdtemp(join(tmpdir(), 'statevisor-wrap-'));
    const first = join(dir, 'cgroup.procs');
    await writeFile(first, '');
    const wrapped = wrapCommand('sleep', [children.sleepArg], {
      cgroupProcsFiles: [first, join(dir, 'nope', 'cgroup.procs')],
    });
    const { exit } = children.spawn(wrapped.command, wrapped.args);
    assert.equal((await exit).code, joinFailureExitCode);
  });

  test('rlimits are in place when the program starts', async () => {
    const wrapped = wrapCommand('sleep', [children.sleepArg], {
      cgroupProcsFiles: [],
      rlimits: { addressSpaceKb: 512 * 1024, processes: 77 },
    });
    const { child } = children.spawn(wrapped.command, wrapped.args);
    await waitUntil('sleep replaced the shell', () =>
      readFileSync(`/proc/${child.pid}/cmdline`, 'latin1').startsWith('sleep\0'),
    );
    assert.equal(softLimit(child.pid as number, 'Max address space'), String(512 * 1024 * 1024));
    assert.equal(softLimit(child.pid as number, 'Max processes'), '77');
  });

  test('a limit that is not a positive integer is refused before anything runs', () => {
    assert.throws(
      () => wrapCommand('true', [], { cgroupProcsFiles: [], rlimits: { addressSpaceKb: 1.5 } }),
      (error: Error) => hasCode(error, 'E_INVALID_ARGUMENT'),
    );
  });
});
