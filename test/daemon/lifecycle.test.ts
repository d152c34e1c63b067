import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestDaemon } from '../helpers/daemon-harness.js';
import { procState, waitUntil } from '../helpers/leaks.js';
import { isAlreadyExists, isInvalidState, isNotFound } from '../../src/client/index.js';

const alive = (pid: number) => procState(pid) !== undefined && procState(pid) !== 'Z';

test('create, start, stop, start again, restart and delete a real process through the client', async (t) => {
  const h = await startTestDaemon();
  t.after(() => h.close());
  const { client } = h;

  const created = await client.createProcess({ name: 'sleeper', command: 'sleep', args: h.sleepArgs(), labels: { tier: 'web' } });
  assert.equal(created.state, 'CREATED');
  assert.equal(created.pid, 0);

  const started = await client.startProcess('sleeper');
  assert.equal(started.state, 'STARTING');
  await waitUntil('sleeper runs', async () => (await client.describeProcess('sleeper')).process.state === 'RUNNING');
  const running = (await client.describeProcess(created.id)).process;
  assert.ok(running.pid > 0 && alive(running.pid), 'the child is a live OS process');
  assert.equal(running.runCount, 1);

  await assert.rejects(client.startProcess('sleeper'), (error) => isInvalidState(error));

  const stopped = await client.stopProcess('sleeper');
  assert.equal(stopped.state, 'STOPPED');
  assert.equal(alive(running.pid), false, 'stop returned only once the child was gone');
  assert.equal((await client.stopProcess('sleeper')).state, 'STOPPED', 'stop is idempotent');

  await client.startProcess('sleeper');
  await waitUntil('sleeper runs again', async () => (await client.describeProcess('sleeper')).process.state === 'RUNNING');
  const second = (await client.describeProcess('sleeper')).process;
  assert.equal(second.runCount, 2);
  assert.notEqual(second.pid, running.pid);

  const restarted = await client.restartProcess('sleeper');
  assert.ok(['STARTING', 'RUNNING'].includes(restarted.state));
  assert.equal(alive(second.pid), false, 'restart stopped the old child first');

  await assert.rejects(client.deleteProcess('sleeper'), (error) => isInvalidState(error));
  await client.deleteProcess('sleeper', { force: true });
  await assert.rejects(client.describeProcess('sleeper'), (error) => isNotFound(error));
  assert.deepEqual(await client.listProcesses(), []);
});

test('names are unique; list filters by label; describe shows spec, counters, enforcement and transitions', async (t) => {
  const h = await startTestDaemon();
  t.after(() => h.close());
  const { client } = h;
  await client.createProcess({ name: 'web', command: 'sleep', args: h.sleepArgs(), labels: { tier: 'web' } }, { start: true });
  await client.createProcess({ name: 'db', command: 'sleep', args: h.sleepArgs(), labels: { tier: 'db' }, resources: { memoryBytes: 64 << 20 } });
  await assert.rejects(client.createProcess({ name: 'web', command: 'true' }), (error) => isAlreadyExists(error));

  assert.deepEqual((await client.listProcesses({ labelSelector: 'tier=db' })).map((p) => p.name), ['db']);
  assert.deepEqual((await client.listProcesses()).map((p) => p.name).sort(), ['db', 'web']);

  await waitUntil('web runs', async () => (await client.describeProcess('web')).process.state === 'RUNNING');
  const web = await client.describeProcess('web');
  assert.equal(web.spec?.name, 'web');
  assert.equal(web.counters.runCount, 1);
  assert.deepEqual(
    web.recentTransitions.map((tr) => `${tr.from}>${tr.to}`),
    ['>starting', 'starting>syncing'],
  );
  const db = await client.describeProcess('db');
  const memory = db.enforcement.find((e) => e.field === 'resources.memory_bytes');
  // Enforced here by a cgroup (or RLIMIT_AS where there is none): either way it says how.
  assert.ok(memory?.enforced && /cgroup|RLIMIT_AS/.test(memory.detail), `the memory limit says how it is enforced: ${JSON.stringify(memory)}`);
});

test('an auto_start process starts on create', async (t) => {
  const h = await startTestDaemon();
  t.after(() => h.close());
  await h.client.createProcess({ name: 'auto', command: 'sleep', args: h.sleepArgs(), autoStart: true });
  await waitUntil('auto runs', async () => (await h.client.describeProcess('auto')).process.state === 'RUNNING');
});

test('a oneshot that succeeds ends EXITED with its exit code', async (t) => {
  const h = await startTestDaemon();
  t.after(() => h.close());
  await h.client.createProcess(
    { name: 'job', command: 'sh', args: ['-c', `exit 0 # ${h.marker}`], type: 'oneshot', restart: { policy: 'on-failure' } },
    { start: true },
  );
  await waitUntil('job ends', async () => (await h.client.describeProcess('job')).process.state === 'EXITED');
  assert.equal((await h.client.describeProcess('job')).process.exitCode, 0);
});

test('a missing binary ends the run FAILED with the OS error in last_error', async (t) => {
  const h = await startTestDaemon();
  t.after(() => h.close());
  await h.client.createProcess(
    { name: 'ghost', command: '/no/such/binary', restart: { policy: 'no' } },
    { start: true },
  );
  await waitUntil('ghost fails', async () => (await h.client.describeProcess('ghost')).process.state === 'FAILED');
  const ghost = (await h.client.describeProcess('ghost')).process;
  assert.match(ghost.lastError, /ENOENT/);
});

test('a missing binary under limits (started through the cgroup wrapper) fails the same way, naming it', async (t) => {
  const h = await startTestDaemon();
  t.after(() => h.close());
  await h.client.createProcess(
    { name: 'ghost', command: 'no-such-binary-anywhere', resources: { pids: 10 }, restart: { policy: 'no' } },
    { start: true },
  );
  await waitUntil('ghost fails', async () => (await h.client.describeProcess('ghost')).process.state === 'FAILED');
  const ghost = (await h.client.describeProcess('ghost')).process;
  assert.match(ghost.lastError, /spawn no-such-binary-anywhere ENOENT/);
  assert.equal(ghost.exitCode, undefined, 'no shell ran to exit 127');
});

test('a bad working_dir fails the start and follows the restart policy', async (t) => {
  const h = await startTestDaemon();
  t.after(() => h.close());
  await h.client.createProcess(
    {
      name: 'lost',
      command: 'sleep',
      args: h.sleepArgs(),
      workingDir: '/no/such/dir',
      restart: { policy: 'on-failure', delayMs: 10, startLimitBurst: 3, startLimitIntervalMs: 60_000 },
    },
    { start: true },
  );
  await waitUntil('lost gives up', async () => (await h.client.describeProcess('lost')).process.state === 'FAILED');
  const lost = await h.client.describeProcess('lost');
  assert.equal(lost.counters.runCount, 3, 'three failed starts, then the start limit');
  assert.match(lost.process.lastError, /ENOENT|no such file/i);
});

test('env, env_files and umask reach the child', async (t) => {
  const h = await startTestDaemon();
  t.after(() => h.close());
  const { writeFileSync, readFileSync } = await import('node:fs');
  const envFile = `${h.dir}/app.env`;
  const out = `${h.dir}/out.txt`;
  writeFileSync(envFile, 'FROM_FILE=file\nOVERRIDDEN=file\n');
  await h.client.createProcess(
    {
      name: 'envy',
      command: 'sh',
      args: ['-c', `echo "$FROM_FILE $OVERRIDDEN $FROM_SPEC $(umask)" > ${out} # ${h.marker}`],
      env: { OVERRIDDEN: 'spec', FROM_SPEC: 'spec' },
      envFiles: [envFile, `-${h.dir}/missing.env`],
      umask: '027',
      type: 'oneshot',
    },
    { start: true },
  );
  await waitUntil('envy ends', async () => (await h.client.describeProcess('envy')).process.state === 'EXITED');
  assert.equal(readFileSync(out, 'utf8').trim(), 'file spec spec 0027');
});
