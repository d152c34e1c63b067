/**
 * exec_start_pre / exec_start_post / exec_stop_post, condition_path_exists, runtime_directory and
 * start_timeout without a health check, with real processes (README, "Hooks, conditions and the
 * runtime directory"). Before: every one of these fields was stored and ignored.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startTestDaemon, type DaemonHarness } from '../helpers/daemon-harness.js';
import { startDaemonBinary, type SpawnedDaemon, untilAnswering } from '../helpers/daemon-binary.js';
import { killMarked, newMarker, waitUntil } from '../helpers/leaks.js';
import { createClient } from '../../src/client/index.js';
import { readUntil } from '../helpers/streams.js';
import { needsRoot } from '../helpers/requirements.js';
import { runtimeRootOf } from '../../src/runtime/exec/runtime-directory.js';
import { resolveUser } from '../../src/runtime/os/identity.js';

const bounded = { timeout: 90_000 };

/** A directory anyone may write (a hook run as nobody writes its findings there). */
function sharedDir(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'statevisor-hooks-'));
  chmodSync(dir, 0o777);
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const lines = (file: string): string[] => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : []);
const append = (file: string, text: string) => ['sh', '-c', `echo "${text}" >> ${file}`];

async function describe(h: DaemonHarness, name: string) {
  return (await h.client.describeProcess(name)).process;
}

async function untilState(h: DaemonHarness, name: string, states: string[]) {
  await waitUntil(`${name} is ${states.join(' or ')}`, async () => states.includes((await describe(h, name)).state), { timeoutMs: 30_000 });
  return describe(h, name);
}

test('hooks run in order around the main program: pre (a "-" failure ignored), main, post; stop-post after a stop; their output is in the logs', bounded, async (t) => {
  const h = await startTestDaemon();
  t.after(() => h.close());
  const file = path.join(sharedDir(t), 'order');
  await h.client.createProcess(
    {
      name: 'hooked',
      command: 'sh',
      args: ['-c', `echo main >> ${file}; exec sleep ${h.sleepArgs()[0]}`],
      execStartPre: [append(file, 'pre0'), ['sh', '-c', 'echo said-by-pre; echo warned-by-pre >&2'], ['-sh', '-c', 'exit 4'], append(file, 'pre3')],
      execStartPost: [append(file, 'post0')],
      execStopPost: [['sh', '-c', `echo "stop-post $EXIT_CODE $EXIT_STATUS" >> ${file}`]],
    },
    { start: true },
  );
  await untilState(h, 'hooked', ['RUNNING']);
  await waitUntil('main wrote', () => lines(file).includes('main'));
  const started = lines(file);
  assert.deepEqual(started.filter((l) => l !== 'main'), ['pre0', 'pre3', 'post0'], 'pre hooks in order, the ignored failure skipped over, then post');
  assert.ok(started.indexOf('main') > started.indexOf('pre3'), `main after every pre hook: ${started.join(', ')}`);
  const out = await readUntil((signal) => h.client.streamLogs('hooked', { stream: 'stdout', tailLines: 100, signal }));
  assert.ok(out.some((l) => l.line === 'said-by-pre'), `a hook’s stdout is in the process’s stdout log: ${JSON.stringify(out)}`);
  const err = await readUntil((signal) => h.client.streamLogs('hooked', { stream: 'stderr', tailLines: 100, signal }));
  assert.ok(err.some((l) => l.line === 'warned-by-pre'), 'a hook’s stderr is in the process’s stderr log');

  await h.client.stopProcess('hooked');
  await waitUntil('stop-post ran', () => lines(file).some((l) => l.startsWith('stop-post')));
  assert.equal(lines(file).at(-1), 'stop-post killed TERM', 'stop-post last, told how the workload ended');
  const { enforcement } = await h.client.describeProcess('hooked');
  for (const field of ['exec_start_pre', 'exec_start_post', 'exec_stop_post']) {
    assert.equal(enforcement.find((e) => e.field === field)?.enforced, true, `${field} is enforced`);
  }
});

test('a failing pre hook is a failed start: the program never runs, stop-post still runs, the run is FAILED naming the hook', bounded, async (t) => {
  const h = await startTestDaemon();
  t.after(() => h.close());
  const file = path.join(sharedDir(t), 'order');
  await h.client.createProcess(
    {
      name: 'blocked',
      command: 'sh',
      args: ['-c', `echo main >> ${file}; exec sleep ${h.sleepArgs()[0]}`],
      execStartPre: [append(file, 'pre0'), ['sh', '-c', 'exit 3'], append(file, 'never')],
      execStopPost: [append(file, 'stop-post')],
      restart: { policy: 'no' },
    },
    { start: true },
  );
  const process = await untilState(h, 'blocked', ['FAILED']);
  assert.match(process.lastError, /^exec_start_pre\[1\] `sh -c exit 3` exited 3$/);
  await waitUntil('stop-post ran', () => lines(file).includes('stop-post'));
  assert.deepEqual(lines(file), ['pre0', 'stop-post']);
});

test('a failing pre hook with restart on-failure is restarted through its pre hooks again, up to the start limit', bounded, async (t) => {
  const h = await startTestDaemon();
  t.after(() => h.close());
  const file = path.join(sharedDir(t), 'count');
  await h.client.createProcess(
    {
      name: 'retried',
      command: 'sleep',
      args: h.sleepArgs(),
      execStartPre: [['sh', '-c', `echo pre >> ${file}; exit 1`]],
      restart: { policy: 'on-failure', delayMs: 10, startLimitBurst: 3, startLimitIntervalMs: 60_000 },
    },
    { start: true },
  );
  const process = await untilState(h, 'retried', ['FAILED']);
  assert.equal(lines(file).length, 3, 'the pre hook ran once per start');
  assert.equal(process.restartCount, 2);
});

test('a failing post hook stops the started program as a failed start, and stop-post runs', bounded, async (t) => {
  const h = await startTestDaemon();
  t.after(() => h.close());
  const file = path.join(sharedDir(t), 'order');
  await h.client.createProcess(
    {
      name: 'post-fails',
      command: 'sleep',
      args: h.sleepArgs(),
      execStartPost: [['sh', '-c', 'exit 2']],
      execStopPost: [['sh', '-c', `echo "stop-post $EXIT_CODE $EXIT_STATUS" >> ${file}`]],
      restart: { policy: 'no' },
    },
    { start: true },
  );
  const process = await untilState(h, 'post-fails', ['FAILED']);
  assert.equal(process.lastError, 'exec_start_post[0] `sh -c exit 2` exited 2');
  await waitUntil('stop-post ran', () => lines(file).length > 0);
  // The run's ending is the failed start, not the stop's signal: no $EXIT_CODE to give.
  assert.deepEqual(lines(file), ['stop-post  ']);
  // The harness's close() checks that the program (it carries the marker) is gone.
});

test('exec_stop_post runs after the program crashed, with its exit status', bounded, async (t) => {
  const h = await startTestDaemon();
  t.after(() => h.close());
  const file = path.join(sharedDir(t), 'order');
  await h.client.createProcess(
    {
      name: 'crasher',
      command: 'sh',
      args: ['-c', 'exit 7'],
      execStopPost: [['sh', '-c', `echo "stop-post $EXIT_CODE $EXIT_STATUS" >> ${file}`]],
      restart: { policy: 'no' },
    },
    { start: true },
  );
  await untilState(h, 'crasher', ['FAILED']);
  await waitUntil('stop-post ran', () => lines(file).length > 0);
  assert.deepEqual(lines(file), ['stop-post exited 7']);
});

test('a hook runs as the process: its user, env, env file, working dir and $RUNTIME_DIRECTORY', { ...bounded, skip: needsRoot && `${needsRoot}, to run hooks as nobody` }, async (t) => {
  const h = await startTestDaemon();
  t.after(() => h.close());
  const dir = sharedDir(t);
  const file = path.join(dir, 'seen');
  const runtimeDirectory = `statevisor-test-${h.marker}`;
  await h.client.createProcess(
    {
      name: 'as-nobody',
      command: 'sleep',
      args: h.sleepArgs(),
      user: 'nobody',
      workingDir: dir,
      env: { GREETING: 'hello' },
      runtimeDirectory,
      execStartPre: [['sh', '-c', `echo "$(id -u) $(pwd) $GREETING $RUNTIME_DIRECTORY $STATEVISOR_PROCESS_ID" > ${file}`]],
    },
    { start: true },
  );
  await untilState(h, 'as-nobody', ['RUNNING']);
  const nobody = resolveUser('nobody');
  assert.deepEqual(readFileSync(file, 'utf8').trim().split(' '), [String(nobody.uid), dir, 'hello', path.join('/run', runtimeDirectory)]);
  await h.client.stopProcess('as-nobody');
});

test('runtime_directory exists during the run, owned by the process’s user with its mode, named in $RUNTIME_DIRECTORY, and is gone after the stop', bounded, async (t) => {
  const h = await startTestDaemon();
  t.after(() => h.close());
  const name = `statevisor-test-${h.marker}/app`;
  const dir = path.join(runtimeRootOf(process.env, process.getuid!(), h.stateDir), name);
  const asNobody = needsRoot === false;
  t.after(() => rmSync(path.dirname(dir), { recursive: true, force: true }));
  await h.client.createProcess(
    {
      name: 'with-dir',
      command: 'sleep',
      args: h.sleepArgs(),
      runtimeDirectory: name,
      runtimeDirectoryMode: '0710',
      ...(asNobody && { user: 'nobody' }),
    },
    { start: true },
  );
  const { pid } = await untilState(h, 'with-dir', ['RUNNING']);
  const stat = statSync(dir);
  assert.ok(stat.isDirectory());
  assert.equal(stat.mode & 0o7777, 0o710);
  if (asNobody) assert.equal(stat.uid, resolveUser('nobody').uid, 'owned by the process’s user');
  else t.diagnostic(`${needsRoot}: ownership by another user not checked`);
  const environ = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
  assert.ok(environ.includes(`RUNTIME_DIRECTORY=${dir}`), 'the child is told where it is');
  await h.client.stopProcess('with-dir');
  await untilState(h, 'with-dir', ['STOPPED']);
  assert.equal(existsSync(dir), false, 'removed after the stop');
});

test('a failed condition skips the start: EXITED, the condition named, no restart; "|" conditions need one of them', bounded, async (t) => {
  const h = await startTestDaemon();
  t.after(() => h.close());
  const dir = sharedDir(t);
  const missing = path.join(dir, 'missing');
  await h.client.createProcess(
    {
      name: 'skipped',
      command: 'sleep',
      args: h.sleepArgs(),
      conditionPathExists: [dir, missing],
      restart: { policy: 'always' },
    },
    { start: true },
  );
  const skipped = await untilState(h, 'skipped', ['EXITED']);
  assert.equal(skipped.lastError, `condition failed: condition_path_exists ${missing}: ${missing} does not exist`);
  assert.equal(skipped.restartCount, 0);
  assert.equal(skipped.pid, 0);

  await h.client.createProcess(
    { name: 'either', command: 'sleep', args: h.sleepArgs(), conditionPathExists: [`|${missing}`, `|${dir}`, `!${missing}`] },
    { start: true },
  );
  await untilState(h, 'either', ['RUNNING']);
  await h.client.createProcess(
    { name: 'neither', command: 'sleep', args: h.sleepArgs(), conditionPathExists: [`|${missing}`, `|!${dir}`] },
    { start: true },
  );
  const neither = await untilState(h, 'neither', ['EXITED']);
  assert.match(neither.lastError, /^condition failed: condition_path_exists: none of \|.*missing, \|!.* holds$/);
});

test('start_timeout bounds a start without a health check: a hanging pre hook is killed and the start has failed', bounded, async (t) => {
  const h = await startTestDaemon();
  t.after(() => h.close());
  await h.client.createProcess(
    {
      name: 'slow-pre',
      command: 'sleep',
      args: h.sleepArgs(),
      startTimeoutMs: 1_000,
      execStartPre: [['sleep', h.sleepArgs()[0]!]],
      restart: { policy: 'no' },
    },
    { start: true },
  );
  const process = await untilState(h, 'slow-pre', ['FAILED']);
  assert.equal(process.pid, 0);
  const { recentTransitions } = await h.client.describeProcess('slow-pre');
  assert.ok(
    recentTransitions.some((tr) => /^not started within start_timeout \(1000 ms\); restart policy 'no'$/.test(tr.reason)),
    recentTransitions.map((tr) => tr.reason).join('; '),
  );
  // The harness's close() checks that the hanging `sleep` (it carries the marker) was killed.
});

test('a workload adopted after kill -9 of the daemon does not run its conditions or start hooks again; its stop-post still runs and its runtime directory is removed', bounded, async (t) => {
  const marker = newMarker();
  const dir = sharedDir(t);
  // The daemon's own dir is private: it refuses a socket or state dir others may write.
  const own = mkdtempSync(path.join(os.tmpdir(), 'statevisor-hooks-daemon-'));
  const socket = path.join(own, 'sv.sock');
  const daemons: SpawnedDaemon[] = [];
  t.after(() => {
    for (const d of daemons) d.child.kill('SIGKILL');
    killMarked(marker);
    rmSync(own, { recursive: true, force: true });
  });
  const start = async () => {
    const daemon = startDaemonBinary(['--socket', socket, '--state-dir', path.join(own, 'state'), '--log-level', 'warn']);
    daemons.push(daemon);
    const client = createClient({ socket });
    await untilAnswering(daemon, client);
    return { daemon, client };
  };
  const file = path.join(dir, 'order');
  const name = `statevisor-test-${marker}`;
  const runtimeDir = path.join(runtimeRootOf(process.env, process.getuid!(), path.join(own, 'state')), name);
  t.after(() => rmSync(runtimeDir, { recursive: true, force: true }));
  const first = await start();
  await first.client.createProcess(
    {
      name: 'kept',
      command: 'sleep',
      args: [`3600.${marker}`],
      runtimeDirectory: name,
      conditionPathExists: [file],
      execStartPre: [append(file, 'pre')],
      execStartPost: [append(file, 'post')],
      execStopPost: [append(file, 'stop-post')],
    },
    { start: false },
  );
  // The condition holds now, and will not after the kill: an adoption must not check it again.
  writeFileSync(file, '');
  await first.client.startProcess('kept');
  await waitUntil('kept runs', async () => (await first.client.describeProcess('kept')).process.state === 'RUNNING', { timeoutMs: 30_000 });
  const { pid } = (await first.client.describeProcess('kept')).process;
  first.client.close();
  first.daemon.child.kill('SIGKILL');
  await first.daemon.exited;
  assert.deepEqual(lines(file), ['pre', 'post']);
  rmSync(file);

  const second = await start();
  t.after(() => second.client.close());
  await waitUntil('kept is adopted', async () => (await second.client.describeProcess('kept')).process.pid === pid, { timeoutMs: 30_000 });
  assert.equal((await second.client.describeProcess('kept')).process.state, 'RUNNING');
  assert.deepEqual(lines(file), [], 'no start hook ran again (and the missing condition file did not skip the adoption)');
  assert.ok(existsSync(runtimeDir), 'the runtime directory is kept for the adopted run');
  await second.client.stopProcess('kept');
  await waitUntil('stop-post ran', () => lines(file).includes('stop-post'));
  assert.equal(existsSync(runtimeDir), false);
  second.daemon.child.kill('SIGTERM');
  await second.daemon.exited;
});
