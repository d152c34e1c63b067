// Issue 10, item 4: start failures were reported as success. `create -f api.yaml --start` with
// its env file missing printed `created api (... STARTING)` and exited 0, then failed and backed
// off. Now create --start, start and restart wait until the run is RUNNING (healthy, with a health
// check) or has failed, and exit 1 naming the reason; --no-wait returns at once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { startTestDaemon, type DaemonHarness } from '../helpers/daemon-harness.js';
import { waitUntil } from '../helpers/leaks.js';
import { binary, cliOn, testEnv } from './run.js';

const state = async (h: DaemonHarness, name: string) => (await h.client.describeProcess(name)).process;

/** A process whose exec health check passes once `file` exists. */
async function gated(h: DaemonHarness, name: string, file: string, extra: { startTimeoutMs?: number } = {}): Promise<void> {
  await h.client.createProcess({
    name,
    command: 'sleep',
    args: h.sleepArgs(),
    healthCheck: { type: 'exec', command: 'test', args: ['-e', file], intervalMs: 100, timeoutMs: 5_000, failureThreshold: 1 },
    ...extra,
  });
}

/** The CLI as a child that the test can interrupt, with what it printed. */
function cliChild(h: DaemonHarness, ...args: string[]): { child: ChildProcess; output: () => { stdout: string; stderr: string } } {
  const child = spawn(process.execPath, [binary, '--socket', h.socket, ...args], { env: testEnv() });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return { child, output: () => ({ stdout, stderr }) };
}

test('create -f --start with a missing env file exits 1 naming the reason', async (t) => {
  const h = await startTestDaemon();
  t.after(() => h.close());
  const file = path.join(h.dir, 'api.yaml');
  writeFileSync(file, `name: api\ncommand: sleep\nargs: ["3600.${h.marker}"]\nenv_files: [${h.dir}/missing.env]\nrestart: { policy: on-failure }\n`);

  const result = await cliOn(h.socket)('create', '-f', file, '--start');
  assert.equal(result.code, 1, `exit code; stdout: ${result.stdout}`);
  assert.match(result.stdout, /^created api \(id [0-9a-f-]{36}, STARTING\)\n$/, 'the create itself is reported');
  // The reason is the run's restart decision ("failed to start: …") when the verdict comes from
  // that transition, or the process's lastError ("cannot start 'api': …") when it comes from a
  // later view of it: which event the wait sees first is a race, and both name the file.
  assert.match(result.stderr, /^statevisor: api did not start \((BACKOFF|FAILED)\): (failed to start: )?cannot start 'api': env file '.*missing\.env' not found/);
});

test('create --start, start and restart exit 0 once the run is RUNNING', async (t) => {
  const h = await startTestDaemon();
  t.after(() => h.close());
  const cli = cliOn(h.socket);

  const created = await cli('create', 'web', '--start', '--', 'sleep', ...h.sleepArgs());
  assert.equal(created.code, 0, created.stderr);
  const first = await state(h, 'web');
  assert.equal(first.state, 'RUNNING', 'RUNNING when the command returned');
  assert.match(created.stdout, new RegExp(`^created web \\(id ${first.id}, STARTING\\)\nstarted web \\(RUNNING, pid ${first.pid}\\)\n$`));

  await h.client.stopProcess('web');
  const started = await cli('start', 'web');
  assert.equal(started.code, 0, started.stderr);
  const second = await state(h, 'web');
  assert.equal(second.state, 'RUNNING');
  assert.equal(started.stdout, `started web (RUNNING, pid ${second.pid})\n`);

  const restarted = await cli('restart', 'web');
  assert.equal(restarted.code, 0, restarted.stderr);
  const third = await state(h, 'web');
  assert.equal(third.state, 'RUNNING');
  assert.notEqual(third.pid, second.pid);
  assert.equal(restarted.stdout, `restarted web (RUNNING, pid ${third.pid})\n`);

  const json = await cli('--json', 'restart', 'web');
  assert.equal(json.code, 0, json.stderr);
  assert.equal((JSON.parse(json.stdout) as { state: string }).state, 'RUNNING', '--json prints the process once it runs');
});

test('--no-wait returns while the process is still STARTING', async (t) => {
  const h = await startTestDaemon();
  t.after(() => h.close());
  const cli = cliOn(h.socket);
  await gated(h, 'gated', path.join(h.dir, 'never'));

  const started = await cli('start', 'gated', '--no-wait');
  assert.equal(started.code, 0, started.stderr);
  assert.match(started.stdout, /^started gated \(STARTING/);
  assert.equal((await state(h, 'gated')).state, 'STARTING');

  const created = await cli('create', 'plain', '--start', '--no-wait', '--', 'sleep', ...h.sleepArgs());
  assert.equal(created.code, 0, created.stderr);
  assert.match(created.stdout, /^created plain \(id [0-9a-f-]{36}, STARTING\)\n$/, 'one line, as before');
});

test('a health-checked process is reported RUNNING only once it is healthy', async (t) => {
  const h = await startTestDaemon();
  t.after(() => h.close());
  const ready = path.join(h.dir, 'ready');
  await gated(h, 'gated', ready);

  const { child, output } = cliChild(h, 'start', 'gated');
  t.after(() => child.kill('SIGKILL'));
  const exited = once(child, 'exit');
  await waitUntil('a health probe has failed', async () => (await state(h, 'gated')).healthFailures > 0);
  assert.equal(child.exitCode, null, `start is still waiting while the check fails; printed ${JSON.stringify(output())}`);
  writeFileSync(ready, '');
  const [code] = (await exited) as [number];
  const now = await state(h, 'gated');
  assert.equal(code, 0, output().stderr);
  assert.deepEqual([now.state, now.health], ['RUNNING', 'HEALTHY']);
  assert.equal(output().stdout, `started gated (RUNNING, pid ${now.pid})\n`);
});

test('a start that is not healthy within start_timeout exits 1 with the reason', async (t) => {
  const h = await startTestDaemon();
  t.after(() => h.close());
  await gated(h, 'never', path.join(h.dir, 'never'), { startTimeoutMs: 500 });
  const result = await cliOn(h.socket)('start', 'never');
  assert.equal(result.code, 1, result.stdout);
  assert.match(result.stderr, /^statevisor: never did not start \((BACKOFF|FAILED)\): not healthy within start_timeout \(500 ms\)/);
});

test('a oneshot started and waited for succeeds when it EXITED, and fails with its exit code', async (t) => {
  const h = await startTestDaemon();
  t.after(() => h.close());
  const cli = cliOn(h.socket);

  const ok = await cli('create', 'job', '--type', 'oneshot', '--start', '--', 'sh', '-c', `exit 0 # ${h.marker}`);
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stdout, /\nstarted job \(EXITED\)\n$/);
  assert.equal((await state(h, 'job')).state, 'EXITED');

  const bad = await cli('create', 'bad', '--type', 'oneshot', '--restart', 'no', '--start', '--', 'sh', '-c', `exit 3 # ${h.marker}`);
  assert.equal(bad.code, 1, bad.stdout);
  assert.match(bad.stderr, /^statevisor: bad did not start \(FAILED\): exited with code 3\b/);

  // A failed run to be retried is a failed start all the same.
  const retried = await cli('create', 'retried', '--type', 'oneshot', '--restart', 'on-failure', '--start', '--', 'sh', '-c', `exit 3 # ${h.marker}`);
  assert.equal(retried.code, 1, retried.stdout);
  assert.match(retried.stderr, /^statevisor: retried did not start \(BACKOFF\): exited with code 3\b/);
});

test('--timeout gives up waiting with exit 1; Ctrl-C stops waiting and leaves the process starting', async (t) => {
  const h = await startTestDaemon();
  t.after(() => h.close());
  await gated(h, 'gated', path.join(h.dir, 'never'));

  const timedOut = await cliOn(h.socket)('start', 'gated', '--timeout', '300ms');
  assert.equal(timedOut.code, 1, timedOut.stdout);
  assert.match(timedOut.stderr, /^statevisor: gated is still STARTING after 300ms; it goes on starting \(see 'statevisor describe gated'\)\n$/);
  await h.client.stopProcess('gated');

  const { child, output } = cliChild(h, 'start', 'gated');
  t.after(() => child.kill('SIGKILL'));
  const exited = once(child, 'exit');
  await waitUntil('the run has begun', async () => (await state(h, 'gated')).runCount === 2);
  child.kill('SIGINT');
  const [code] = (await exited) as [number];
  assert.equal(code, 130, JSON.stringify(output()));
  assert.match(output().stderr, /^statevisor: stopped waiting; gated is still STARTING \(see 'statevisor describe gated'\)\n$/);
  assert.equal((await state(h, 'gated')).state, 'STARTING', 'Ctrl-C did not stop the process');
});
