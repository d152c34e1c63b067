import { test } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import assert from 'node:assert/strict';
import { startTestDaemon } from '../helpers/daemon-harness.js';
import { procState, waitUntil } from '../helpers/leaks.js';
import { cliOn, oneErrorLine } from './run.js';

const alive = (pid: number) => procState(pid) !== undefined && procState(pid) !== 'Z';

test('a whole lifecycle through the real binary: create, start, ls, describe, stop, start, restart, update, signal, delete', async (t) => {
  // No cgroups under this root: the CPU limit asked for below cannot be enforced, and describe must say so.
  const cgroupRoot = mkdtempSync(path.join(os.tmpdir(), 'statevisor-no-cgroups-'));
  t.after(() => rmSync(cgroupRoot, { recursive: true, force: true }));
  const h = await startTestDaemon({ cgroupRoot });
  t.after(() => h.close());
  const cli = cliOn(h.socket);
  const state = async () => (await h.client.describeProcess('web')).process;
  const [sleepArg] = h.sleepArgs();

  const created = await cli(
    'create', 'web', '--restart', 'on-failure', '--restart-delay', '50ms', '--grace-period', '2s',
    '--label', 'tier=web', '--env', 'PORT=8080', '--description', 'the web server', '--cpu', '500', '--', 'sleep', sleepArg!,
  );
  assert.equal(created.code, 0, created.stderr);
  assert.match(created.stdout, /^created web \(id [0-9a-f-]{36}, CREATED\)\n$/);
  const spec = (await h.client.describeProcess('web')).spec!;
  assert.deepEqual(
    [spec.restart?.policy, spec.restart?.delayMs, spec.stop?.gracePeriodMs, spec.labels, spec.env, spec.description, spec.args],
    ['on-failure', 50, 2_000, { tier: 'web' }, { PORT: '8080' }, 'the web server', [sleepArg]],
    'every flag reached the spec',
  );

  const started = await cli('start', 'web');
  assert.equal(started.code, 0, started.stderr);
  const first = await state();
  assert.equal(started.stdout, `started web (RUNNING, pid ${first.pid})\n`, 'start returns once the run is up');

  const ls = await cli('ls');
  assert.equal(ls.code, 0, ls.stderr);
  const [header, row, ...rest] = ls.stdout.trimEnd().split('\n');
  assert.deepEqual(header!.split(/\s+/), ['NAME', 'ID', 'STATE', 'PID', 'UPTIME', 'RESTARTS', 'CPU', 'MEM', 'HEALTH']);
  assert.deepEqual(row!.split(/\s+/).slice(0, 4), ['web', first.id.slice(0, 8), 'RUNNING', String(first.pid)]);
  assert.deepEqual(rest, []);
  assert.doesNotMatch(ls.stdout, /\u001b\[/, 'no colour when stdout is not a terminal');

  const described = await cli('describe', 'web');
  assert.equal(described.code, 0, described.stderr);
  for (const title of ['Process', 'Spec', 'Counters', 'Enforcement', 'Recent transitions']) {
    assert.match(described.stdout, new RegExp(`^${title}$`, 'm'), `describe has a ${title} section`);
  }
  assert.match(described.stdout, /state\s+RUNNING/);
  assert.match(described.stdout, new RegExp(`pid\\s+${first.pid}`));
  assert.match(described.stdout, /NOT ENFORCED\s+resources\.cpu_millis/, 'what is not enforced is marked');
  assert.match(described.stdout, /enforced\s+start_timeout/);
  assert.match(described.stdout, /enforced\s+logs\.max_bytes/, 'what is enforced is listed too');
  assert.match(described.stdout, /starting\s+→ syncing/);

  const stopped = await cli('stop', 'web');
  assert.equal(stopped.code, 0, stopped.stderr);
  assert.equal(stopped.stdout, 'stopped web (STOPPED)\n');
  assert.equal(alive(first.pid), false, 'stop returned once the child was gone');

  assert.equal((await cli('start', 'web')).code, 0);
  await waitUntil('web runs again', async () => (await state()).state === 'RUNNING');
  const second = await state();
  assert.equal(second.runCount, 2);

  const restarted = await cli('restart', 'web');
  assert.equal(restarted.code, 0, restarted.stderr);
  assert.match(restarted.stdout, /^restarted web \(/);
  assert.equal(alive(second.pid), false, 'restart stopped the old child');
  await waitUntil('web runs after restart', async () => (await state()).state === 'RUNNING');

  const hot = await cli('update', 'web', '--restart', 'always');
  assert.equal(hot.code, 0, hot.stderr);
  assert.equal(hot.stdout, 'updated web: restart.policy\n', 'a hot field needs no restart');
  assert.equal((await h.client.describeProcess('web')).spec?.restart?.policy, 'always');

  // Still carries the marker, so the harness would catch it leaking.
  const newArg = `3601.${h.marker}`;
  const pidBefore = (await state()).pid;
  const dry = await cli('update', 'web', '--dry-run', '--', 'sleep', newArg);
  assert.equal(dry.code, 0, dry.stderr);
  assert.match(dry.stdout, /^would update web: args\nrestart required for args\n$/);
  assert.deepEqual((await h.client.describeProcess('web')).spec?.args, [sleepArg], 'a dry run changes nothing');

  const applied = await cli('update', 'web', '--restart-process', '--', 'sleep', newArg);
  assert.equal(applied.code, 0, applied.stderr);
  assert.equal(applied.stdout, 'updated web: args\nrestarted web\n');
  assert.equal(alive(pidBefore), false, 'the old run was stopped');
  await waitUntil('web runs the new args', async () => (await state()).state === 'RUNNING');
  assert.deepEqual((await state()).args, [newArg]);

  // SIGTERM ends `sleep`; with policy always the daemon starts it again: the signal arrived.
  const victim = await state();
  const signalled = await cli('signal', 'web', 'term');
  assert.equal(signalled.code, 0, signalled.stderr);
  assert.equal(signalled.stdout, 'sent SIGTERM to web\n');
  await waitUntil('web is restarted after the signal', async () => {
    const now = await state();
    return now.state === 'RUNNING' && now.pid !== victim.pid && now.pid > 0;
  });

  const refused = await cli('delete', 'web');
  assert.equal(refused.code, 1);
  assert.match(oneErrorLine(refused), /is RUNNING: stop it first or delete with force/);
  const deleted = await cli('rm', 'web', '--force');
  assert.equal(deleted.code, 0, deleted.stderr);
  assert.equal(deleted.stdout, 'deleted web\n');
  assert.equal((await cli('ls')).stdout, 'no processes\n');
});

test('stop --no-wait returns while the process is still stopping', async (t) => {
  const h = await startTestDaemon();
  t.after(() => h.close());
  const cli = cliOn(h.socket);
  // Ignores SIGTERM, so the stop lasts the whole grace period and --no-wait has something to skip.
  const script = `trap '' TERM; while :; do sleep 0.05; done # ${h.marker}`;
  assert.equal((await cli('create', 'slow', '--grace-period', '1s', '--start', '--', 'sh', '-c', script)).code, 0);
  await waitUntil('slow runs', async () => (await h.client.describeProcess('slow')).process.state === 'RUNNING');
  const stopping = await cli('stop', 'slow', '--no-wait');
  assert.equal(stopping.code, 0, stopping.stderr);
  assert.match(stopping.stdout, /^stopping slow \(STOPPING/);
  const stopped = await cli('stop', 'slow', '--grace-period', '1s');
  assert.equal(stopped.stdout, 'stopped slow (STOPPED)\n', `exit ${stopped.code}: ${stopped.stderr}`);
});
