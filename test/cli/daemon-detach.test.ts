/**
 * `statevisor daemon --detach` and `--stop`, with the real executable as a user types them: the
 * daemon comes up in its own session with its output in <state-dir>/daemon.log, outlives the
 * command that started it, is found by the CLI; a second --detach says it is running; --stop ends
 * it and its children. A daemon that cannot start shows why (its log's tail). The temp dir's name
 * carries the marker, so the detached daemon's command line does too and `after` can kill it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { daemonControlOf } from '../../src/cli/daemon-control.js';
import { startTestDaemon } from '../helpers/daemon-harness.js';
import { killMarked, newMarker, pidsWithMarker, procState } from '../helpers/leaks.js';
import { runCli } from './run.js';
import { daemonNodeFlags } from '../../src/node-flags.js';

const timeout = 120_000;

/** Fields 4 (ppid) and 6 (session) of /proc/<pid>/stat. */
function parentAndSession(pid: number): { parent: number; session: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { parent: Number(fields[1]), session: Number(fields[3]) };
}

function tempDir(t: { after: (fn: () => void) => void }, marker: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), `statevisor-detach-${marker}-`));
  t.after(() => {
    killMarked(marker);
    rmSync(dir, { recursive: true, force: true });
  });
  return dir;
}

test('daemon --detach starts the daemon in its own session, logging to <state-dir>/daemon.log; a second --detach finds it; --stop ends it and its children', { timeout }, async (t) => {
  const marker = newMarker();
  const dir = tempDir(t, marker);
  const socket = path.join(dir, 'statevisor.sock');
  const stateDir = path.join(dir, 'state');
  const flags = ['--socket', socket, '--state-dir', stateDir];

  const started = await runCli(['daemon', '--detach', ...flags]);
  assert.equal(started.code, 0, started.stderr);
  const pid = Number(/daemon started in the background \(pid (\d+)\)/.exec(started.stdout)?.[1]);
  assert.ok(pid > 0, started.stdout);
  assert.match(started.stdout, new RegExp(`socket: ${socket}\n`));
  assert.match(started.stdout, new RegExp(`log: +${path.join(stateDir, 'daemon.log')}\n`));
  assert.match(started.stdout, new RegExp(`stop it with 'statevisor daemon --stop --socket ${socket}'`));

  // It answers now, with no wait: --detach returned only once it did.
  const health = await runCli(['--socket', socket, 'health']);
  assert.equal(health.stdout, 'SERVING\n');
  const { parent, session } = parentAndSession(pid);
  assert.equal(session, pid, 'the daemon leads a session of its own (setsid)');
  assert.ok(
    readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes(daemonNodeFlags[0]),
    "the daemon runs with its Node flags (src/node-flags.ts), as the executable's first line gives them",
  );
  assert.notEqual(parent, process.pid, 'the daemon is not a child of the test');
  assert.equal(statSync(path.join(stateDir, 'daemon.log')).mode & 0o777, 0o600, 'the log is 0600');
  assert.match(readFileSync(path.join(stateDir, 'daemon.log'), 'utf8'), /listening/, "the daemon's output is in its log");

  const created = await runCli(['--socket', socket, 'create', 'sleeper', '--start', '--', 'sleep', `3600.${marker}`]);
  assert.equal(created.code, 0, created.stderr);
  const ls = await runCli(['--socket', socket, '--json', 'ls']);
  const sleeper = (JSON.parse(ls.stdout) as { name: string; pid: number }[]).find((p) => p.name === 'sleeper');
  assert.ok(sleeper !== undefined && sleeper.pid > 0, ls.stdout);

  const again = await runCli(['daemon', '--detach', ...flags]);
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout, new RegExp(`a daemon is already running \\(pid ${pid}\\)`));

  const stopped = await runCli(['daemon', '--stop', '--socket', socket]);
  assert.equal(stopped.code, 0, stopped.stderr);
  assert.equal(stopped.stdout, `statevisor: daemon stopped (pid ${pid})\n`);
  assert.ok(procState(pid) === undefined || procState(pid) === 'Z', 'the daemon is gone');
  assert.ok(procState(sleeper.pid) === undefined || procState(sleeper.pid) === 'Z', 'its child was stopped with it');
  assert.equal(existsSync(socket), false, 'the socket is removed');
  assert.deepEqual(pidsWithMarker(marker).filter((p) => procState(p) !== 'Z'), [], 'nothing it started survives');

  const nothing = await runCli(['daemon', '--stop', '--socket', socket]);
  assert.equal(nothing.code, 0, nothing.stderr);
  assert.equal(nothing.stdout, `statevisor: no daemon answers on ${socket}: nothing to stop\n`);
});

test('daemon --detach of a daemon that cannot start exits 1 and prints the end of its log, which says why', { timeout }, async (t) => {
  const marker = newMarker();
  const dir = tempDir(t, marker);
  const socket = path.join(dir, 'statevisor.sock');
  const result = await runCli(['daemon', '--detach', '--socket', socket, '--state-dir', path.join(dir, 'state'), '--restart-rate', 'often']);
  assert.equal(result.code, 1, result.stdout);
  assert.match(result.stderr, /^statevisor: the daemon exited \(code \d+\) before answering on .*; the end of .*daemon\.log:\n/);
  assert.match(result.stderr, /expected restarts per second \(0 for no limit\), got "often"/);
  assert.equal(existsSync(socket), false);
});

test('daemon --stop does not signal a pid that is not a statevisor daemon (here: an embedded daemon, this test process)', { timeout }, async (t) => {
  const h = await startTestDaemon();
  t.after(() => h.close());
  const result = await runCli(['daemon', '--stop', '--socket', h.socket]);
  assert.equal(result.code, 1, result.stdout);
  assert.match(result.stderr, new RegExp(`reports pid ${process.pid}, which here is '.*', not a statevisor daemon .*: not signalled`));
  assert.equal(await h.client.health(), 'SERVING', 'the daemon (and this process) were left alone');
});

test('daemonControlOf reads --detach/--stop and where the daemon lives, and passes every other argument to the daemon', () => {
  const control = daemonControlOf(['--config', 'x.yaml', '--detach', '--socket=/tmp/a.sock', '--state-dir', 'rel', '--log-level', 'warn']);
  assert.deepEqual(control, {
    action: 'detach',
    socket: '/tmp/a.sock',
    stateDir: path.resolve('rel'),
    daemonArgs: ['--config', 'x.yaml', '--socket=/tmp/a.sock', '--state-dir', 'rel', '--log-level', 'warn'],
  });
  assert.equal(daemonControlOf(['--config', 'x.yaml']), undefined);
  assert.equal(daemonControlOf(['--', '--detach']), undefined, 'after -- nothing is a flag');
  assert.throws(() => daemonControlOf(['--detach', '--stop']), /give --detach or --stop, not both/);
  assert.throws(() => daemonControlOf(['--stop', '--socket']), /--socket needs a value/);
});

test('daemon --detach --help shows the daemon\'s help, which lists --detach and --stop, and starts nothing', { timeout }, async () => {
  const result = await runCli(['daemon', '--detach', '--help']);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /^Usage: statevisor daemon \[options\]/);
  assert.match(result.stdout, /--detach +run it in the background instead/);
  assert.match(result.stdout, /--stop +stop the daemon running on --socket/);
});
