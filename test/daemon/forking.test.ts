/**
 * `type: forking` with `pidfile` (issue 14): the command daemonises and exits 0, the daemon reads
 * the pid from the pidfile and supervises that process, which is not its child. And `pidfile`
 * without forking: the daemon writes the main pid there and removes it after the run.
 *
 * The "daemons" are shell scripts; the process left running is always `sleep 3600.<marker>`, so
 * the harness's leak check covers them. They are not the daemon's children (reparented to init):
 * every test also kills whatever carries its marker in its cleanup (daemonFor does).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { StatevisorClient } from '../../src/client/index.js';
import { daemonFor, living } from '../helpers/cgroups.js';
import { createClient } from '../../src/client/index.js';
import { startDaemonBinary, type SpawnedDaemon, untilAnswering } from '../helpers/daemon-binary.js';
import { killMarked, newMarker, procState, waitUntil } from '../helpers/leaks.js';
import { readUntil } from '../helpers/streams.js';

/** The shapes of a forking command, each a script run as `sh script <sleep arg> <pidfile>`. */
const scripts = {
  /** One fork: the background `setsid sleep` is the daemon; the parent writes its pid and exits. */
  forkOnce: 'setsid sleep "$1" &\necho $! > "$2"\nexit 0\n',
  /**
   * The classic double fork: a child that setsid's, forks the daemon and exits; the daemon (the
   * grandchild, not a session leader) writes its own pid — often after the command has exited.
   */
  forkTwice: '( setsid sh -c \'sh "$0" "$1" "$2" &\' "$(dirname "$0")/daemon.sh" "$1" "$2" & )\nexit 0\n',
  /**
   * A daemon that writes its pid first and leaves the command's group later (setsid after a
   * moment, same pid): its process group is not the one it had when its pidfile was read.
   */
  setsidLater: 'sh -c \'echo $$ > "$1"; sleep 0.3; exec setsid sleep "$0"\' "$1" "$2" &\nexit 0\n',
  /** A daemon that writes its pidfile well after the command exited. */
  writesLate: 'sh -c \'sleep 0.3; echo $$ > "$1"; exec sleep "$0"\' "$1" "$2" &\nexit 0\n',
  /** The grandchild of forkTwice: writes its pid, says something, becomes the sleep (same pid). */
  daemon: 'echo $$ > "$2"\necho "daemon $$ is up"\nexec sleep "$1"\n',
  noPidfile: 'setsid sleep "$1" &\nexit 0\n',
  garbage: 'setsid sleep "$1" &\necho "not-a-pid" > "$2"\nexit 0\n',
  deadPid: 'echo $$ > "$2"\nexit 0\n',
  failing: 'setsid sleep "$1" &\necho $! > "$2"\nexit 3\n',
  /** Names a process this run did not start: the machine's init. */
  initPid: 'setsid sleep "$1" &\necho 1 > "$2"\nexit 0\n',
  /** Names a process this run did not start: one whose pid the test passes in $FOREIGN_PID. */
  foreignPid: 'setsid sleep "$1" &\necho "$FOREIGN_PID" > "$2"\nexit 0\n',
  /** Never exits: a simple service declared forking. */
  neverExits: 'exec sleep "$1"\n',
};

function scriptDir(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'statevisor-forking-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(path.join(dir, 'daemon.sh'), scripts.daemon);
  return dir;
}

function forkingSpec(dir: string, marker: string, script: keyof typeof scripts, extra: Record<string, unknown> = {}) {
  const file = path.join(dir, `${script}.sh`);
  writeFileSync(file, scripts[script]);
  const pidfile = path.join(dir, `${script}.pid`);
  return { name: script.toLowerCase(), command: 'sh', args: [file, `3600.${marker}`, pidfile], type: 'forking', pidfile, ...extra };
}

const comm = (pid: number) => {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return undefined;
  }
};

/** The pid a pidfile names now. */
const pidIn = (file: string) => Number(readFileSync(file, 'utf8').trim());

const gone = (pid: number) => {
  const state = procState(pid);
  return state === undefined || state === 'Z';
};

async function runningView(client: StatevisorClient, name: string) {
  let view = (await client.describeProcess(name)).process;
  await waitUntil(`${name} runs`, async () => {
    view = (await client.describeProcess(name)).process;
    return view.state === 'RUNNING';
  });
  return view;
}

for (const shape of ['forkOnce', 'forkTwice', 'setsidLater'] as const) {
  for (const killMode of [undefined, 'process-group'] as const) {
    test(`forking (${shape}${killMode ? `, kill_mode ${killMode}` : ''}): Describe shows the daemon's pid, stop kills it and removes its pidfile`, async (t) => {
      const { h, client } = await daemonFor(t);
      const dir = scriptDir(t);
      const spec = forkingSpec(dir, h.marker, shape, killMode ? { stop: { killMode } } : {});
      await client.createProcess(spec, { start: true });
      const view = await runningView(client, spec.name);
      const daemonPid = pidIn(spec.pidfile);
      assert.equal(view.pid, daemonPid, 'Describe shows the pid from the pidfile, not the exited command');
      await waitUntil('the daemon runs sleep', () => comm(daemonPid) === 'sleep');
      assert.deepEqual(living(h.marker).filter((pid) => comm(pid) === 'sleep'), [daemonPid]);

      const stopped = await client.stopProcess(spec.name, { gracePeriodMs: 5_000 });
      assert.equal(stopped.state, 'STOPPED');
      await waitUntil('the daemonised process is gone', () => gone(daemonPid), { timeoutMs: 5_000 });
      assert.equal(existsSync(spec.pidfile), false, 'the pidfile is removed at the end of the run');
    });
  }
}

test('forking where no cgroup can be made: the double-forked daemon is known as the run\'s by its marker, and stopped', async (t) => {
  const emptyRoot = mkdtempSync(path.join(os.tmpdir(), 'statevisor-nocgroup-'));
  t.after(() => rmSync(emptyRoot, { recursive: true, force: true }));
  const { h, client } = await daemonFor(t, { cgroupRoot: emptyRoot });
  const dir = scriptDir(t);
  const spec = forkingSpec(dir, h.marker, 'forkTwice');
  await client.createProcess(spec, { start: true });
  const view = await runningView(client, spec.name);
  assert.equal(view.pid, pidIn(spec.pidfile));
  await client.stopProcess(spec.name, { gracePeriodMs: 5_000 });
  await waitUntil('the daemon is gone', () => gone(view.pid));
});

test('forking: a pidfile written after the command exited is waited for, and a stale one of an earlier run is not read', async (t) => {
  const { h, client } = await daemonFor(t);
  const dir = scriptDir(t);
  const spec = forkingSpec(dir, h.marker, 'writesLate', { restart: { policy: 'no' } });
  // A pidfile an earlier run left, naming a pid that no longer runs.
  const earlier = spawn('true');
  await new Promise((resolve) => earlier.once('exit', resolve));
  writeFileSync(spec.pidfile, `${earlier.pid}\n`);
  await client.createProcess(spec, { start: true });
  const view = await runningView(client, spec.name);
  assert.equal(view.pid, pidIn(spec.pidfile));
  assert.notEqual(view.pid, earlier.pid);
  await client.stopProcess(spec.name);
  await waitUntil('the daemon is gone', () => gone(view.pid));
});

test('forking: the output of the daemonised process reaches the logs through the inherited pipes', async (t) => {
  const { h, client } = await daemonFor(t);
  const dir = scriptDir(t);
  const spec = forkingSpec(dir, h.marker, 'forkTwice');
  await client.createProcess(spec, { start: true });
  await runningView(client, spec.name);
  const pid = pidIn(spec.pidfile);
  const lines = await readUntil(
    (signal) => client.streamLogs(spec.name, { follow: true, tailLines: 10, signal }),
    (read) => read.some((l) => l.line === `daemon ${pid} is up`),
    { what: 'the daemon\'s line' },
  );
  assert.ok(lines.some((l) => l.line === `daemon ${pid} is up`));
});

test('forking: a daemon killed from outside is seen gone and restarted by the restart policy', async (t) => {
  const { h, client } = await daemonFor(t);
  const dir = scriptDir(t);
  const spec = forkingSpec(dir, h.marker, 'forkOnce', { restart: { policy: 'on-failure', delayMs: 100 } });
  await client.createProcess(spec, { start: true });
  const first = await runningView(client, spec.name);
  process.kill(first.pid, 'SIGKILL');
  let second = first;
  await waitUntil('a new run with a new daemon', async () => {
    second = (await client.describeProcess(spec.name)).process;
    return second.state === 'RUNNING' && second.pid !== first.pid && second.pid > 0;
  });
  assert.equal(second.restartCount, first.restartCount + 1);
  assert.equal(second.pid, pidIn(spec.pidfile));
  const { recentTransitions } = await client.describeProcess(spec.name);
  // Not our child: its exit status is unknown, which counts as a failure (on-failure restarts it).
  const reasons = recentTransitions.map((e) => e.reason);
  assert.ok(reasons.some((r) => /exit status unknown/.test(r)), JSON.stringify(reasons));
  await client.stopProcess(spec.name);
  await waitUntil('the second daemon is gone', () => gone(second.pid));
});

const failures: Array<[keyof typeof scripts, RegExp]> = [
  ['noPidfile', /pidfile \S+noPidfile\.pid names no running daemon 2000 ms after the forking command exited 0: it does not exist/],
  ['garbage', /pidfile \S+garbage\.pid names no running daemon .*: it holds "not-a-pid\\n", not a pid/],
  ['deadPid', /pidfile \S+deadPid\.pid names pid \d+, which is not running/],
  ['failing', /the forking command exited with code 3 before its pidfile \S+failing\.pid named a running daemon/],
  ['initPid', /pidfile \S+initPid\.pid names pid 1, which is not a process this run started/],
  ['foreignPid', /pidfile \S+foreignPid\.pid names pid \d+, which is not a process this run started \((not in its cgroup, )?without its marker, outside its session\)/],
  // The chart's start deadline (from the condition check) fires before forking.ts's own bound, its backstop.
  ['neverExits', /not started within start_timeout \(1000 ms\)/],
];

/** A process the daemon did not start, for a pidfile to name: it must survive the failed start. */
function foreignSleep(t: { after(fn: () => void): void }, marker: string): number {
  const child = spawn('sleep', [`3600.${marker}`], { detached: true, stdio: 'ignore' });
  t.after(() => child.kill('SIGKILL'));
  return child.pid!;
}

for (const [script, message] of failures) {
  test(`forking: ${script} is a failed start whose message names the pidfile, and nothing of it keeps running`, async (t) => {
    const { h, client } = await daemonFor(t);
    const dir = scriptDir(t);
    const foreign = script === 'foreignPid' ? foreignSleep(t, newMarker()) : undefined;
    const spec = forkingSpec(dir, h.marker, script, {
      restart: { policy: 'no' },
      startTimeoutMs: script === 'neverExits' ? 1_000 : 90_000,
      ...(foreign !== undefined && { env: { FOREIGN_PID: String(foreign) } }),
    });
    await client.createProcess(spec, { start: true });
    let view = (await client.describeProcess(spec.name)).process;
    await waitUntil('the start failed', async () => {
      view = (await client.describeProcess(spec.name)).process;
      return view.state === 'FAILED';
    });
    assert.match(view.lastError ?? '', message);
    await waitUntil('the failed start left nothing running', () => living(h.marker).length === 0, { timeoutMs: 5_000 });
    if (foreign !== undefined) assert.equal(gone(foreign), false, 'what the pidfile wrongly named is left alone');
    assert.equal(existsSync(spec.pidfile), false, 'no pidfile is left behind');
  });
}

test('type forking without a pidfile is refused, naming the field', async (t) => {
  const { client } = await daemonFor(t);
  await assert.rejects(client.createProcess({ name: 'nopid', command: 'true', type: 'forking' }), (error: Error) => {
    assert.match(error.message, /pidfile/);
    assert.match(error.message, /type forking/);
    return true;
  });
});

test('pidfile without forking: the daemon writes the main pid there and removes it after the stop', async (t) => {
  const { h, client } = await daemonFor(t);
  const dir = scriptDir(t);
  const pidfile = path.join(dir, 'main.pid');
  await client.createProcess({ name: 'written', command: 'sleep', args: h.sleepArgs(), pidfile }, { start: true });
  const view = await runningView(client, 'written');
  await waitUntil('the pidfile is written', () => existsSync(pidfile));
  assert.equal(readFileSync(pidfile, 'utf8'), `${view.pid}\n`);
  await client.stopProcess('written');
  assert.equal(existsSync(pidfile), false, 'removed once the run ended');
});

test('pidfile without forking: a pidfile that cannot be written is a failed start, and the program is not left running', async (t) => {
  const { h, client } = await daemonFor(t);
  const dir = scriptDir(t);
  const pidfile = path.join(dir, 'no-such-dir', 'main.pid');
  await client.createProcess({ name: 'unwritable', command: 'sleep', args: h.sleepArgs(), pidfile, restart: { policy: 'no' } }, { start: true });
  let view = (await client.describeProcess('unwritable')).process;
  await waitUntil('the start failed', async () => {
    view = (await client.describeProcess('unwritable')).process;
    return view.state === 'FAILED';
  });
  assert.match(view.lastError ?? '', /pidfile \S+main\.pid: the main pid cannot be written \(ENOENT/);
  await waitUntil('the program is gone', () => living(h.marker).length === 0, { timeoutMs: 5_000 });
});

test('forking: a daemon restart adopts the forked process (same pid), and its stop still reaches it', { timeout: 90_000 }, async (t) => {
  const marker = newMarker();
  const dir = scriptDir(t);
  const socket = path.join(dir, 'statevisor.sock');
  const daemons: SpawnedDaemon[] = [];
  t.after(() => {
    for (const d of daemons) d.child.kill('SIGKILL');
    killMarked(marker);
  });
  const start = async () => {
    const daemon = startDaemonBinary(['--socket', socket, '--state-dir', path.join(dir, 'state'), '--log-level', 'warn']);
    daemons.push(daemon);
    const client = createClient({ socket });
    t.after(() => client.close());
    await untilAnswering(daemon, client);
    return { daemon, client };
  };
  const first = await start();
  const spec = forkingSpec(dir, marker, 'forkTwice', { restart: { policy: 'on-failure' } });
  await first.client.createProcess(spec, { start: true });
  const before = await runningView(first.client, spec.name);
  first.daemon.child.kill('SIGKILL');
  await first.daemon.exited;
  assert.equal(gone(before.pid), false, 'the daemonised process outlived the daemon');

  const second = await start();
  const after = await runningView(second.client, spec.name);
  assert.equal(after.pid, before.pid, 'the same process, adopted rather than started again');
  assert.match((await second.client.describeProcess(spec.name)).recovery, new RegExp(`adopted pid ${before.pid}`));
  assert.deepEqual(living(marker).filter((pid) => comm(pid) === 'sleep'), [before.pid], 'not started twice');

  await second.client.stopProcess(spec.name, { gracePeriodMs: 5_000 });
  await waitUntil('the adopted daemon is gone', () => gone(before.pid));
  assert.equal(existsSync(spec.pidfile), false, 'the pidfile is removed at the end of the adopted run');
  second.daemon.child.kill('SIGTERM');
  assert.deepEqual(await second.daemon.exited, { code: 0, signal: null }, second.daemon.output());
});
