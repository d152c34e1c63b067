import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startTestDaemon, type DaemonHarness } from '../helpers/daemon-harness.js';
import { waitUntil } from '../helpers/leaks.js';
import { cliOn } from '../cli/run.js';

/** The pid of the process's current run, once it is RUNNING with one (a start completes asynchronously). */
async function runningPid(h: DaemonHarness, name: string, not?: number): Promise<number> {
  let pid = 0;
  await waitUntil(`${name} runs${not === undefined ? '' : ` a new pid (not ${not})`}`, async () => {
    const { process } = await h.client.describeProcess(name);
    pid = process.pid;
    return process.state === 'RUNNING' && pid > 0 && pid !== not;
  });
  return pid;
}

function envOf(pid: number): string[] {
  return readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
}

test('an update already stored is applied by a later update with restart_process, though it changes nothing', { timeout: 60_000 }, async (t) => {
  // Regression: `update --env X=1` said "restart required"; `update --env X=1 --restart-process`
  // then said "unchanged" and never restarted, so the running workload never got X=1.
  const h = await startTestDaemon();
  t.after(() => h.close());
  const { client } = h;
  await client.createProcess({ name: 'api', command: 'sleep', args: h.sleepArgs(), env: { X: '0' } }, { start: true });
  const first = await runningPid(h, 'api');

  const stored = await client.updateProcess('api', { env: { X: '1' } }, { updateMask: ['env'] });
  assert.deepEqual([stored.updatedFields, stored.restartRequiredFields, stored.processRestarted], [['env'], ['env'], false]);
  assert.deepEqual((await client.describeProcess('api')).restartPendingFields, ['env']);
  // A second restart-required field joins the first; a hot one does not.
  await client.updateProcess('api', { args: [`3601.${h.marker}`], restart: { policy: 'always' } }, { updateMask: ['args', 'restart.policy'] });
  assert.deepEqual((await client.describeProcess('api')).restartPendingFields, ['args', 'env']);
  // Asked again without restart_process: unchanged, but the reply still says what waits for a restart.
  const again = await client.updateProcess('api', { env: { X: '1' } }, { updateMask: ['env'] });
  assert.deepEqual([again.updatedFields, again.restartRequiredFields, again.processRestarted], [[], ['args', 'env'], false]);
  assert.equal((await client.describeProcess('api')).process.pid, first, 'not restarted without restart_process');

  const applied = await client.updateProcess('api', { env: { X: '1' } }, { updateMask: ['env'], restartProcess: true });
  assert.deepEqual([applied.updatedFields, applied.restartRequiredFields, applied.processRestarted], [[], ['args', 'env'], true]);
  const second = await runningPid(h, 'api', first);
  assert.ok(envOf(second).includes('X=1'), 'the new run has the stored env');
  assert.deepEqual((await client.describeProcess('api')).restartPendingFields, []);

  // Nothing pending any more: restart_process with no change does not restart.
  const idle = await client.updateProcess('api', { env: { X: '1' } }, { updateMask: ['env'], restartProcess: true });
  assert.deepEqual([idle.updatedFields, idle.restartRequiredFields, idle.processRestarted], [[], [], false]);
  assert.equal((await client.describeProcess('api')).process.pid, second);
});

test('a pending restart is cleared by any new run: RestartProcess, or a restart by the policy', { timeout: 60_000 }, async (t) => {
  const h = await startTestDaemon();
  t.after(() => h.close());
  const { client } = h;
  await client.createProcess({ name: 'svc', command: 'sleep', args: h.sleepArgs(), restart: { policy: 'always', delayMs: 0 } }, { start: true });
  const first = await runningPid(h, 'svc');
  await client.updateProcess('svc', { env: { X: '1' } }, { updateMask: ['env'] });
  assert.deepEqual((await client.describeProcess('svc')).restartPendingFields, ['env']);
  await client.restartProcess('svc');
  const second = await runningPid(h, 'svc', first);
  assert.deepEqual((await client.describeProcess('svc')).restartPendingFields, []);

  await client.updateProcess('svc', { env: { X: '2' } }, { updateMask: ['env'] });
  assert.deepEqual((await client.describeProcess('svc')).restartPendingFields, ['env']);
  await client.signalProcess('svc', 'SIGTERM');
  const third = await runningPid(h, 'svc', second);
  assert.ok(envOf(third).includes('X=2'), 'the policy restart ran the stored spec');
  assert.deepEqual((await client.describeProcess('svc')).restartPendingFields, []);

  // A stopped process has no run to be behind its spec.
  await client.updateProcess('svc', { env: { X: '3' } }, { updateMask: ['env'] });
  await client.stopProcess('svc');
  assert.deepEqual((await client.describeProcess('svc')).restartPendingFields, []);
});

test('statevisor describe says "spec changed, restart pending", and update says what a restart applied', { timeout: 60_000 }, async (t) => {
  const h = await startTestDaemon();
  t.after(() => h.close());
  const cli = cliOn(h.socket);
  await h.client.createProcess({ name: 'web', command: 'sleep', args: h.sleepArgs() }, { start: true });
  const first = await runningPid(h, 'web');
  const stored = await cli('update', 'web', '--env', 'X=1');
  assert.equal(stored.code, 0, stored.stderr);
  assert.equal(stored.stdout, "updated web: env\nrestart required for env; pass --restart-process or run 'statevisor restart web'\n");
  const described = await cli('describe', 'web');
  assert.match(described.stdout, /state\s+RUNNING \(phase syncing\), spec changed, restart pending: env\n/);
  const same = await cli('update', 'web', '--env', 'X=1');
  assert.equal(same.stdout, "web is unchanged\nrestart pending for env; pass --restart-process or run 'statevisor restart web'\n");
  const applied = await cli('update', 'web', '--env', 'X=1', '--restart-process');
  assert.equal(applied.code, 0, applied.stderr);
  assert.equal(applied.stdout, 'web is unchanged\nrestarted web to apply env\n');
  await runningPid(h, 'web', first);
  assert.doesNotMatch((await cli('describe', 'web')).stdout, /restart pending/);
});
