/**
 * `statevisor startup systemd`: the unit it prints is accepted by `systemd-analyze verify` and has
 * each setting this daemon needs (Delegate=yes, KillMode=process, Restart=always, the socket's and
 * state dir's directories, ExecReload= as `statevisor reload`, TimeoutStopSec= from the shutdown
 * deadline, Type=notify when systemd-notify is here); --install writes it, refusing to replace
 * other settings without --force. That the unit's ExecStart and ExecReload run as written is
 * test/daemon/service-notify.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli, binary, oneErrorLine } from './run.js';
import { needsSystemdAnalyze } from '../helpers/requirements.js';
import { deadlines, serviceStopTimeoutMs, shutdownDeadlineMs } from '../../src/deadlines.js';
import { execWord, systemdUnit, unitDirectories } from '../../src/cli/startup/systemd-unit.js';
import { daemonNodeFlags } from '../../src/node-flags.js';

const bounded = { timeout: 60_000 };

/** Section → key → every value it was given, in order. */
function parseUnit(text: string): Record<string, Record<string, string[]>> {
  const sections: Record<string, Record<string, string[]>> = {};
  let current: Record<string, string[]> | undefined;
  for (const line of text.split('\n')) {
    if (line.trim() === '' || line.startsWith('#')) continue;
    const header = /^\[(.+)\]$/.exec(line);
    if (header) {
      current = sections[header[1]!] = {};
      continue;
    }
    const at = line.indexOf('=');
    assert.ok(current !== undefined && at > 0, `a key=value line in a section: ${line}`);
    (current[line.slice(0, at)] ??= []).push(line.slice(at + 1));
  }
  return sections;
}

/** `systemd-analyze verify FILE`: its exit code and everything it printed (warnings exit 0). */
function verify(file: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile('/usr/bin/systemd-analyze', ['verify', file], { timeout: 30_000 }, (error, stdout, stderr) =>
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, output: stdout + stderr }),
    );
  });
}

async function assertVerified(dir: string, text: string, name = 'statevisor.service'): Promise<void> {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  const { code, output } = await verify(file);
  assert.equal(code, 0, `systemd-analyze verify failed:\n${output}\n${text}`);
  assert.equal(output, '', `systemd-analyze verify warned (an unknown key or a bad value is only a warning):\n${output}`);
}

function tempDir(t: { after: (fn: () => void) => void }): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'statevisor-startup-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('the default unit passes systemd-analyze verify and has every setting this daemon needs', { ...bounded, skip: needsSystemdAnalyze }, async (t) => {
  const dir = tempDir(t);
  const config = path.join(dir, 'config');
  mkdirSync(config);
  const printed = await runCli(['startup', 'systemd', '--config', config]);
  assert.equal(printed.code, 0, printed.stderr);
  assert.equal(printed.stderr, '', 'nothing to note: the config exists');
  await assertVerified(dir, printed.stdout);

  const service = parseUnit(printed.stdout).Service!;
  const statevisor = realpathSync(binary);
  const socket = '/run/statevisor/statevisor.sock';
  assert.deepEqual(service.ExecStart, [
    // With the daemon's Node flags (src/node-flags.ts), as the executable's first line gives them.
    `${process.execPath} ${daemonNodeFlags.join(' ')} ${statevisor} daemon --socket ${socket} --state-dir /var/lib/statevisor --config ${config}`,
  ]);
  assert.deepEqual(service.ExecReload, [`${process.execPath} ${statevisor} --socket ${socket} reload`]);
  assert.deepEqual(service.Delegate, ['yes']);
  assert.deepEqual(service.KillMode, ['process']);
  assert.deepEqual(service.Restart, ['always']);
  assert.deepEqual(service.RuntimeDirectory, ['statevisor'], 'the default socket is /run/statevisor/statevisor.sock');
  assert.deepEqual(service.StateDirectory, ['statevisor'], 'the default state dir is /var/lib/statevisor');
  assert.deepEqual(service.StateDirectoryMode, ['0700']);
  // The daemon's shutdown with the longest grace period a client assumes, then the stop margin.
  const stopSecs = Number(service.TimeoutStopSec![0]);
  assert.equal(stopSecs, Math.ceil((shutdownDeadlineMs(deadlines.assumedGraceMs) + deadlines.stopMarginMs) / 1000));
  assert.ok(stopSecs * 1000 > shutdownDeadlineMs(deadlines.assumedGraceMs), 'systemd waits longer than the daemon’s own shutdown');
  // systemd-notify is installed wherever systemd-analyze is (the same package).
  assert.deepEqual(service.Type, ['notify']);
  assert.deepEqual(service.NotifyAccess, ['all']);
  assert.deepEqual(parseUnit(printed.stdout).Install, { WantedBy: ['multi-user.target'] });
});

test('the daemon flags reach ExecStart as absolute paths; RuntimeDirectory= and StateDirectory= follow --socket and --state-dir', { ...bounded, skip: needsSystemdAnalyze }, async (t) => {
  const dir = tempDir(t);
  const cwd = process.cwd();
  const printed = await runCli([
    '--socket', '/run/other/sv.sock', '--token-file', 'token',
    'startup', 'systemd', '--state-dir', '/var/lib/sv/main', '--tcp', '0.0.0.0:7000', '--tls-cert', 'server.pem', '--tls-key', 'server.key', '--tls-client-ca', 'ca.pem',
  ]);
  assert.equal(printed.code, 0, printed.stderr);
  await assertVerified(dir, printed.stdout);
  // The daemon reads them at start: each missing one is noted (the unit is still written).
  for (const [flag, file] of [['--token-file', 'token'], ['--tls-cert', 'server.pem'], ['--tls-key', 'server.key'], ['--tls-client-ca', 'ca.pem']]) {
    assert.ok(
      printed.stderr.includes(`statevisor: note: ${flag} ${cwd}/${file} does not exist (yet): the daemon does not start without it\n`),
      `${flag} noted: ${printed.stderr}`,
    );
  }
  const service = parseUnit(printed.stdout).Service!;
  assert.match(
    service.ExecStart![0]!,
    new RegExp(
      ` daemon --socket /run/other/sv.sock --state-dir /var/lib/sv/main --tcp 0\\.0\\.0\\.0:7000 --token-file ${cwd}/token ` +
        `--tls-cert ${cwd}/server\\.pem --tls-key ${cwd}/server\\.key --tls-client-ca ${cwd}/ca\\.pem$`,
    ),
  );
  assert.match(service.ExecReload![0]!, / --socket \/run\/other\/sv\.sock reload$/);
  assert.deepEqual(service.RuntimeDirectory, ['other']);
  assert.deepEqual(service.StateDirectory, ['sv/main']);

  const elsewhere = parseUnit((await runCli(['--socket', '/srv/sv/sv.sock', 'startup', 'systemd', '--state-dir', '/srv/sv/state'])).stdout).Service!;
  assert.equal(elsewhere.RuntimeDirectory, undefined, 'systemd makes and removes only directories under /run');
  assert.equal(elsewhere.StateDirectory, undefined);
});

test('RuntimeDirectory= is only a directory of its own directly in /run: systemd removes it when the unit stops', () => {
  assert.deepEqual(unitDirectories('/run/statevisor/statevisor.sock', '/var/lib/statevisor'), { runtime: 'statevisor', state: 'statevisor' });
  assert.deepEqual(unitDirectories('/run/user/0/statevisor.sock', '/var/lib/a/b'), { state: 'a/b' });
  assert.deepEqual(unitDirectories('/run/statevisor.sock', '/var/lib'), {});
  assert.deepEqual(unitDirectories('/running/x/sv.sock', '/var/library/x'), {});
});

test('a word of a command line is escaped for systemd: %, $ (but in the executable), spaces, quotes, backslashes and a lone ;', () => {
  assert.equal(execWord('/usr/bin/node'), '/usr/bin/node');
  assert.equal(execWord('/srv/100%/x'), '/srv/100%%/x');
  assert.equal(execWord('/srv/$HOME'), '/srv/$$HOME');
  // The executable's path is taken literally: a doubled $ there would name another file.
  assert.equal(execWord('/srv/$HOME/node', { executable: true }), '/srv/$HOME/node');
  assert.equal(execWord('/srv/100%/node', { executable: true }), '/srv/100%%/node');
  assert.equal(execWord('/srv/my dir'), '"/srv/my dir"');
  assert.equal(execWord('a"b\\c'), '"a\\"b\\\\c"');
  assert.equal(execWord(';'), '";"');
  assert.equal(execWord(''), '""');
  assert.throws(() => execWord('a\nb'), /line break/);
});

test('a unit whose paths hold spaces, % and $ still passes systemd-analyze verify (the executable is found)', { ...bounded, skip: needsSystemdAnalyze }, async (t) => {
  const dir = tempDir(t);
  const odd = path.join(dir, 'my 100% $HOME');
  mkdirSync(odd);
  // verify looks for the executable: a wrongly split or unescaped path is "not executable".
  symlinkSync(process.execPath, path.join(odd, 'node'));
  const text = systemdUnit({
    node: path.join(odd, 'node'),
    statevisor: realpathSync(binary),
    socket: '/run/statevisor/statevisor.sock',
    stateDir: path.join(odd, 'state'),
    config: path.join(odd, 'config'),
    notify: false,
    version: 'test',
  });
  await assertVerified(dir, text);
  const service = parseUnit(text).Service!;
  assert.deepEqual(service.Type, ['simple'], 'without systemd-notify the daemon cannot say when it is ready');
  assert.equal(service.NotifyAccess, undefined);
});

test('--install writes the unit, leaves the same unit alone, and replaces one with other settings only with --force', bounded, async (t) => {
  const dir = tempDir(t);
  const file = path.join(dir, 'statevisor.service');
  const config = path.join(dir, 'config');
  mkdirSync(config);
  const installed = await runCli(['startup', 'systemd', '--install', '--unit-file', file, '--state-dir', '/var/lib/statevisor']);
  assert.equal(installed.code, 0, installed.stderr);
  assert.equal(installed.stdout, `wrote ${file}\nto enable and start it: systemctl daemon-reload && systemctl enable --now ${file}\n`);
  const printed = await runCli(['startup', 'systemd']);
  assert.equal(readFileSync(file, 'utf8'), printed.stdout, 'the file holds what startup systemd prints');

  const again = await runCli(['startup', 'systemd', '--install', '--unit-file', file]);
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout, /already holds this unit/);

  const other = await runCli(['startup', 'systemd', '--install', '--unit-file', file, '--config', config]);
  assert.equal(other.code, 1);
  assert.match(oneErrorLine(other), /exists with other settings; to replace it: statevisor startup systemd --install --force/);
  assert.equal(readFileSync(file, 'utf8'), printed.stdout, 'a refused install leaves the file as it was');

  const forced = await runCli(['startup', 'systemd', '--install', '--force', '--unit-file', file, '--config', config]);
  assert.equal(forced.code, 0, forced.stderr);
  assert.ok(readFileSync(file, 'utf8').includes(`--config ${config}\n`));
});

test('in a directory systemd loads units from, the commands name the unit; a file not named .service, or in no directory, is refused', bounded, async (t) => {
  const { enableCommands } = await import('../../src/cli/commands/startup.js');
  assert.deepEqual(enableCommands('/etc/systemd/system/statevisor.service'), ['systemctl daemon-reload', 'systemctl enable --now statevisor']);
  assert.deepEqual(enableCommands('/etc/systemd/system/sv-2.service'), ['systemctl daemon-reload', 'systemctl enable --now sv-2']);
  const dir = tempDir(t);
  const refused = await runCli(['startup', 'systemd', '--install', '--unit-file', path.join(dir, 'statevisor.conf')]);
  assert.equal(refused.code, 2);
  assert.match(oneErrorLine(refused), /--unit-file: a service unit's file name ends in \.service, got "statevisor\.conf"/);
  const nowhere = await runCli(['startup', 'systemd', '--install', '--unit-file', path.join(dir, 'missing', 'statevisor.service')]);
  assert.equal(nowhere.code, 2);
  assert.match(oneErrorLine(nowhere), /--unit-file: .*missing is not a directory \(is systemd installed\?\)/);
});

test('flags that cannot make a working daemon are refused before anything is written', bounded, async () => {
  const cases: [string[], RegExp][] = [
    [['--tcp', '0.0.0.0:7000'], /--tcp needs --token-file or --tls-client-ca/],
    [['--tls-cert', 'c.pem', '--tls-key', 'k.pem'], /go with --tcp/],
    [['--tcp', ':7000', '--tls-client-ca', 'ca.pem'], /--tls-client-ca needs --tls-cert and --tls-key/],
    [['--tcp', ':7000', '--token-file', 't', '--tls-cert', 'c.pem'], /--tls-cert and --tls-key go together/],
    [['--force'], /--force goes with --install/],
  ];
  for (const [args, message] of cases) {
    const result = await runCli(['startup', 'systemd', ...args]);
    assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
    assert.match(oneErrorLine(result), message);
    assert.equal(result.stdout, '');
  }
});

test('--help lists startup with an example, and startup systemd --help its flags', bounded, async () => {
  const help = await runCli(['--help']);
  assert.match(help.stdout, /\n {2}startup +run the daemon as a system service/);
  assert.match(help.stdout, /\$ sudo statevisor startup systemd --install --config \/etc\/statevisor/);
  const systemd = await runCli(['startup', 'systemd', '--help']);
  for (const flag of ['--install', '--unit-file', '--force', '--state-dir', '--config', '--tcp', '--tls-cert', '--tls-key', '--tls-client-ca']) {
    assert.match(systemd.stdout, new RegExp(`${flag}\\b`), flag);
  }
  assert.match(systemd.stdout, /Delegate=yes/);
});

test('TimeoutStopSec= covers the daemon shutdown of the assumed grace period, plus the margin', () => {
  assert.equal(serviceStopTimeoutMs(), shutdownDeadlineMs(deadlines.assumedGraceMs) + deadlines.stopMarginMs);
  assert.equal(shutdownDeadlineMs(10_000), 17_500, 'the default grace period of 10 s: 12.5 s, then 5 s of cleanup');
});
