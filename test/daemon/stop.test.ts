import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { isInvalidArgument } from '../../src/client/index.js';
import { startTestDaemon } from '../helpers/daemon-harness.js';
import { pidsWithMarker, procState, unreapedBy, waitUntil } from '../helpers/leaks.js';

const living = (marker: string) => pidsWithMarker(marker).filter((pid) => procState(pid) !== 'Z');

test('a child that ignores SIGTERM is SIGKILLed when its grace period ends', async (t) => {
  const h = await startTestDaemon();
  t.after(() => h.close());
  await h.client.createProcess(
    {
      name: 'stubborn',
      command: 'sh',
      args: ['-c', `trap '' TERM; echo ready; while :; do sleep 0.05; done # ${h.marker}`],
      stop: { gracePeriodMs: 1_000 },
    },
    { start: true },
  );
  await waitUntil('stubborn runs', async () => (await h.client.describeProcess('stubborn')).process.state === 'RUNNING');
  const stopping = await h.client.stopProcess('stubborn', { noWait: true });
  assert.equal(stopping.state, 'STOPPING');
  const stopped = await h.client.stopProcess('stubborn');
  assert.equal(stopped.state, 'STOPPED');
  assert.equal(stopped.signal, 'SIGKILL');
  assert.deepEqual(living(h.marker), []);
});

test('a second stop with a shorter grace period cuts the wait short', async (t) => {
  const h = await startTestDaemon();
  t.after(() => h.close());
  await h.client.createProcess(
    { name: 'slow', command: 'sh', args: ['-c', `trap '' TERM; while :; do sleep 0.05; done # ${h.marker}`], stop: { gracePeriodMs: 600_000 } },
    { start: true },
  );
  await waitUntil('slow runs', async () => (await h.client.describeProcess('slow')).process.state === 'RUNNING');
  await h.client.stopProcess('slow', { noWait: true });
  // Without the shorter grace period this stop would wait ten minutes and hit its deadline.
  const stopped = await h.client.stopProcess('slow', { gracePeriodMs: 1_000, deadlineMs: 30_000 });
  assert.equal(stopped.state, 'STOPPED');
});

test('grandchildren and double-forked children die with their group; no zombies remain', async (t) => {
  const h = await startTestDaemon();
  t.after(() => h.close());
  const sleep = `sleep 3600.${h.marker}`;
  await h.client.createProcess(
    {
      name: 'family',
      command: 'sh',
      // Two grandchildren, and one double-forked (its parent subshell exits, it is reparented).
      args: ['-c', `${sleep} & ${sleep} & (${sleep} &) ; wait`],
    },
    { start: true },
  );
  await waitUntil('the family is complete', () => living(h.marker).length >= 4);
  const family = living(h.marker);
  const main = (await h.client.describeProcess('family')).process.pid;
  await h.client.stopProcess('family');
  await waitUntil('no member is left', () => living(h.marker).length === 0, { timeoutMs: 5_000 });
  assert.equal(procState(main), undefined, 'the daemon reaped its own child');
  assert.deepEqual(unreapedBy(process.pid, family), [], 'no zombie is left for the daemon to reap');
});

test('kill_mode process stops only the main process', async (t) => {
  const h = await startTestDaemon();
  t.after(() => h.close());
  const sleep = `sleep 3600.${h.marker}`;
  await h.client.createProcess(
    { name: 'lonely', command: 'sh', args: ['-c', `${sleep} & wait`], stop: { killMode: 'process' } },
    { start: true },
  );
  await waitUntil('the grandchild runs', () => living(h.marker).length >= 2);
  const main = (await h.client.describeProcess('lonely')).process.pid;
  await h.client.stopProcess('lonely');
  assert.equal(procState(main), undefined);
  assert.equal(living(h.marker).length, 1, 'the grandchild was left alone, as kill_mode process says');
  // The harness kills it after the test; prove it is ours to clean.
  for (const pid of living(h.marker)) process.kill(pid, 'SIGKILL');
});

test('signal reaches the main process or the whole group', async (t) => {
  const h = await startTestDaemon();
  t.after(() => h.close());
  // Regression (race): RUNNING means spawned, not that the shell has set its trap; a HUP before
  // the trap killed it (no exit code). The shell says when the trap is set.
  const trapped = path.join(h.dir, 'trapped');
  await h.client.createProcess(
    { name: 'hup', command: 'sh', args: ['-c', `trap 'exit 7' HUP; : > ${trapped}; while :; do sleep 0.05; done # ${h.marker}`], restart: { policy: 'no' } },
    { start: true },
  );
  await waitUntil('hup has set its trap', () => existsSync(trapped));
  // The child runs before the daemon has its pid (the spawner reports it over a pipe): a signal
  // is for a process the daemon shows RUNNING, and is refused (E_INVALID_STATE) before that.
  await waitUntil('hup is RUNNING', async () => (await h.client.describeProcess('hup')).process.state === 'RUNNING');
  await h.client.signalProcess('hup', 'HUP');
  await waitUntil('hup exits', async () => (await h.client.describeProcess('hup')).process.state === 'FAILED');
  assert.equal((await h.client.describeProcess('hup')).process.exitCode, 7);
});

test('signals by number, to the main process or its group; bad signals are INVALID_ARGUMENT', async (t) => {
  const h = await startTestDaemon();
  t.after(() => h.close());
  const file = path.join(h.dir, 'got');
  // The shell and its child (same group) each note the USR1 they receive.
  const child = `sh -c 'trap "echo child >> ${file}" USR1; while :; do sleep 0.05; done # ${h.marker}'`;
  const script = `trap 'echo main >> ${file}' USR1; ${child} & while :; do sleep 0.05; done # ${h.marker}`;
  await h.client.createProcess({ name: 'grp', command: 'sh', args: ['-c', script] }, { start: true });
  await waitUntil('grp runs', async () => (await h.client.describeProcess('grp')).process.state === 'RUNNING');
  await waitUntil('its child runs', () => living(h.marker).length >= 2);
  for (const bad of ['SIGNOPE', '0', '99', 65, -1]) {
    await assert.rejects(h.client.signalProcess('grp', bad as string | number), isInvalidArgument, `signal ${bad}`);
  }
  const got = () => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean).sort() : []);
  await h.client.signalProcess('grp', 10); // SIGUSR1 by number, to the main process only
  await waitUntil('the main process noted it', () => got().length === 1);
  await h.client.signalProcess('grp', 'USR1', { group: true });
  await waitUntil('both noted the group signal', () => got().length === 3);
  assert.deepEqual(got(), ['child', 'main', 'main']);
});

test('a stop that overtakes a spawn leaves no unmanaged child behind', async (t) => {
  const h = await startTestDaemon();
  t.after(() => h.close());
  for (let i = 0; i < 20; i += 1) {
    const name = `racer-${i}`;
    await h.client.createProcess({ name, command: 'sleep', args: h.sleepArgs() });
    // Start and stop without waiting in between: the stop may land before, during or after the spawn.
    await Promise.all([h.client.startProcess(name), h.client.stopProcess(name)]);
  }
  await waitUntil('every racer is stopped', async () =>
    (await h.client.listProcesses()).every((p) => p.state === 'STOPPED'),
  );
  await waitUntil('no racer runs', () => living(h.marker).length === 0, { timeoutMs: 5_000 });
});
