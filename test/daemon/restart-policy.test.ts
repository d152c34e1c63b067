import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestDaemon, type DaemonHarness } from '../helpers/daemon-harness.js';
import { waitUntil } from '../helpers/leaks.js';
import { collect } from '../helpers/events.js';
import type { ProcessEvent } from '../../src/client/index.js';
import type { RestartPolicyName } from '../../src/spec/types.js';

const finalStates = ['STOPPED', 'EXITED', 'FAILED'];

async function runToEnd(h: DaemonHarness, name: string, policy: RestartPolicyName, exitCode: number, minUptimeMs: number) {
  await h.client.createProcess(
    {
      name,
      command: 'sh',
      args: ['-c', `exit ${exitCode} # ${h.marker}`],
      restart: { policy, delayMs: 0, startLimitBurst: 3, startLimitIntervalMs: 60_000, minUptimeMs },
    },
    { start: true },
  );
  await waitUntil(`${name} ends`, async () => finalStates.includes((await h.client.describeProcess(name)).process.state));
  return h.client.describeProcess(name);
}

// Restarting policies run into the start limit (3 starts), so every case has a final state.
// The same outcomes whether the exits come after min_uptime (0) or before it (60 s): min_uptime
// judges failures only, and never turns a clean exit into a failure.
const table: [RestartPolicyName, number, string, number][] = [
  ['no', 0, 'EXITED', 1],
  ['no', 1, 'FAILED', 1],
  ['always', 0, 'FAILED', 3],
  ['always', 1, 'FAILED', 3],
  ['on-failure', 0, 'EXITED', 1],
  ['on-failure', 2, 'FAILED', 3],
  ['on-success', 0, 'FAILED', 3],
  ['on-success', 1, 'FAILED', 1],
];

for (const minUptimeMs of [0, 60_000]) {
  test(`each restart policy against each exit status, min_uptime ${minUptimeMs} ms`, async (t) => {
    const h = await startTestDaemon();
    t.after(() => h.close());
    for (const [policy, code, state, runs] of table) {
      const name = `${policy}-exit-${code}`;
      const d = await runToEnd(h, name, policy, code, minUptimeMs);
      assert.equal(d.process.state, state, `${name}: ${d.process.lastError}`);
      assert.equal(d.counters.runCount, runs, `${name} ran ${d.counters.runCount} times`);
      assert.equal(d.process.exitCode, code);
      if (runs === 3) assert.match(d.process.lastError, /start limit reached/);
    }
  });
}

test('success_exit_codes turn an exit code into success', async (t) => {
  const h = await startTestDaemon();
  t.after(() => h.close());
  await h.client.createProcess(
    { name: 'graceful', command: 'sh', args: ['-c', `exit 42 # ${h.marker}`], restart: { policy: 'on-failure', successExitCodes: [42], minUptimeMs: 0 } },
    { start: true },
  );
  await waitUntil('graceful ends', async () => finalStates.includes((await h.client.describeProcess('graceful')).process.state));
  assert.equal((await h.client.describeProcess('graceful')).process.state, 'EXITED');
});

test('on-failure does not restart a clean exit before min_uptime, code 0 or a success code: EXITED after one run', async (t) => {
  // Regression: `exit 0` under on-failure ran five times and ended FAILED ("before min_uptime ...; start limit reached").
  const h = await startTestDaemon();
  t.after(() => h.close());
  for (const [name, code] of [['quick-zero', 0], ['quick-seven', 7]] as const) {
    await h.client.createProcess(
      {
        name,
        command: 'sh',
        args: ['-c', `exit ${code} # ${h.marker}`],
        restart: { policy: 'on-failure', minUptimeMs: 5_000, delayMs: 0, startLimitBurst: 5, successExitCodes: [7] },
      },
      { start: true },
    );
    await waitUntil(`${name} ends`, async () => finalStates.includes((await h.client.describeProcess(name)).process.state));
    const d = await h.client.describeProcess(name);
    assert.equal(d.process.state, 'EXITED', `${name}: ${d.process.lastError}`);
    assert.equal(d.counters.runCount, 1);
    assert.equal(d.process.lastError, '');
  }
});

test('a crash before min_uptime is a failed start, after an uptime that is never negative', async (t) => {
  const h = await startTestDaemon();
  t.after(() => h.close());
  // A pids limit starts it through the cgroup's wrapper: a program that exits while the wrapper
  // is still being watched once read "exited with code 2 after -1 ms".
  await h.client.createProcess(
    {
      name: 'quick',
      command: 'sh',
      args: ['-c', `exit 1 # ${h.marker}`],
      resources: { pids: 64 },
      restart: { policy: 'on-failure', minUptimeMs: 5_000, delayMs: 0, startLimitBurst: 2 },
    },
    { start: true },
  );
  await waitUntil('quick gives up', async () => (await h.client.describeProcess('quick')).process.state === 'FAILED');
  assert.match((await h.client.describeProcess('quick')).process.lastError, /exited with code 1 after \d+ ms, before min_uptime 5000 ms; start limit reached/);
});

test('the start limit ends a crash loop in FAILED until started by hand', async (t) => {
  // How the delays grow is pinned by the next test, from the delays the daemon reports.
  const h = await startTestDaemon();
  t.after(() => h.close());
  await h.client.createProcess(
    {
      name: 'crasher',
      command: 'sh',
      args: ['-c', `exit 1 # ${h.marker}`],
      restart: { policy: 'on-failure', delayMs: 20, maxDelayMs: 80, startLimitBurst: 6, startLimitIntervalMs: 60_000, minUptimeMs: 0 },
    },
    { start: true },
  );
  await waitUntil('crasher gives up', async () => (await h.client.describeProcess('crasher')).process.state === 'FAILED');
  const crasher = await h.client.describeProcess('crasher');
  assert.equal(crasher.counters.runCount, 6);
  assert.match(crasher.process.lastError, /start limit reached/);

  await h.client.startProcess('crasher');
  await waitUntil('crasher runs again', async () => (await h.client.describeProcess('crasher')).counters.runCount > 6);
});

test('each consecutive failure doubles the restart delay the chart reports, up to max_delay', { timeout: 60_000 }, async (t) => {
  // Regression (planted): with the failure streak pinned to 1 every restart waited the base delay;
  // only the pure function's table test noticed. Asserted on the delays the daemon reports in its
  // events ("restarting in N ms"), not on how long anything took.
  const h = await startTestDaemon();
  t.after(() => h.close());
  const baseMs = 40;
  const capMs = 640;
  await h.client.createProcess({
    name: 'doubler',
    command: 'sh',
    args: ['-c', `exit 1 # ${h.marker}`],
    restart: { policy: 'on-failure', delayMs: baseMs, maxDelayMs: capMs, startLimitBurst: 0, minUptimeMs: 0 },
  });
  const delaysOf = (events: ProcessEvent[]) =>
    events.flatMap((e) => (e.type === 'transition' && e.to === 'BACKOFF' ? [Number(/restarting in (\d+) ms/.exec(e.reason)?.[1])] : []));
  const restarts = 7;
  const watching = collect((signal) => h.client.watchEvents('doubler', { signal }), (events) => delaysOf(events).length === restarts, {
    what: `${restarts} restart delays`,
  });
  await waitUntil('the watcher is subscribed', () => h.daemon.supervision.events.watcherCount === 1);
  await h.client.startProcess('doubler');
  const events = await watching;
  await h.client.stopProcess('doubler');
  const delays = delaysOf(events);
  t.diagnostic(`reported delays: ${delays.join(', ')} ms`);
  // Failure k waits base·2^(k-1), capped, less up to 10 % of jitter: 40, 80, 160, 320, 640, 640, 640.
  delays.forEach((delay, i) => {
    const ceiling = Math.min(capMs, baseMs * 2 ** i);
    assert.ok(delay <= ceiling && delay >= Math.floor(ceiling * 0.9), `restart ${i + 1}: ${delay} ms, expected ${ceiling * 0.9}–${ceiling} (all: ${delays})`);
  });
  for (let i = 1; i < 5; i += 1) {
    const ratio = delays[i]! / delays[i - 1]!;
    assert.ok(ratio >= 1.75 && ratio <= 2.3, `delay ${i + 1} is ${ratio.toFixed(2)} × delay ${i}, not about twice (all: ${delays})`);
  }
});

test('a crash-looping process is BACKOFF between runs and restarts after its delay', async (t) => {
  const h = await startTestDaemon();
  t.after(() => h.close());
  await h.client.createProcess(
    { name: 'looper', command: 'sh', args: ['-c', `exit 3 # ${h.marker}`], restart: { policy: 'always', delayMs: 60_000, startLimitBurst: 0, minUptimeMs: 0 } },
    { start: true },
  );
  await waitUntil('looper backs off', async () => (await h.client.describeProcess('looper')).process.state === 'BACKOFF');
  const p = (await h.client.describeProcess('looper')).process;
  assert.equal(p.restartCount, 1);
  assert.match(p.lastError, /exited with code 3; restarting in \d+ ms/);
  // A stop during the backoff ends the loop at once.
  assert.equal((await h.client.stopProcess('looper')).state, 'STOPPED');
});

test('zero-delay crash loops do not starve the daemon: RPCs are answered and stops work', { timeout: 60_000 }, async (t) => {
  // Regression: restarts ran from the exit callback straight into the next spawn; with two
  // such loops the daemon stopped answering at all.
  const h = await startTestDaemon();
  t.after(() => h.close());
  for (const name of ['loop-a', 'loop-b', 'loop-c']) {
    await h.client.createProcess(
      { name, command: 'sh', args: ['-c', `exit 1 # ${h.marker}`], restart: { policy: 'always', delayMs: 0, startLimitBurst: 0, minUptimeMs: 0 } },
      { start: true },
    );
  }
  await waitUntil('the loops have restarted many times', async () =>
    (await h.client.listProcesses({ deadlineMs: 5_000 })).every((p) => p.restartCount > 20),
  );
  for (let i = 0; i < 20; i += 1) await h.client.getStatus({ deadlineMs: 5_000 });
  for (const name of ['loop-a', 'loop-b', 'loop-c']) {
    assert.equal((await h.client.stopProcess(name, { deadlineMs: 30_000 })).state, 'STOPPED');
  }
});

test('crash loops are paced at the daemon-wide restart rate, which GetStatus shows; a start is not held by it', { timeout: 60_000 }, async (t) => {
  const h = await startTestDaemon({ restartRate: 10 });
  t.after(() => h.close());
  const loops = ['pace-a', 'pace-b', 'pace-c', 'pace-d'];
  const began = Date.now();
  for (const name of loops) {
    await h.client.createProcess(
      { name, command: 'sh', args: ['-c', `exit 1 # ${h.marker}`], restart: { policy: 'always', delayMs: 0, startLimitBurst: 0, minUptimeMs: 0 } },
      { start: true },
    );
  }
  await waitUntil('restarts waited for the rate', async () => (await h.client.getStatus()).restartsDelayed > 0);
  const restarts = (await h.client.listProcesses()).reduce((sum, p) => sum + p.restartCount, 0);
  const seconds = (Date.now() - began) / 1000;
  // At most a second's burst plus the rate over the time elapsed (an upper bound: slowness only lowers it).
  assert.ok(restarts <= 10 + 10 * seconds + loops.length, `${restarts} restarts in ${seconds.toFixed(2)} s at 10/s`);
  const status = await h.client.getStatus();
  assert.equal(status.restartRateLimit, 10);
  // A user's start goes past the waiting restarts.
  await h.client.createProcess({ name: 'fresh', command: 'sleep', args: h.sleepArgs() }, { start: true });
  await waitUntil('fresh runs', async () => (await h.client.describeProcess('fresh')).process.state === 'RUNNING');
  for (const name of [...loops, 'fresh']) await h.client.stopProcess(name, { deadlineMs: 30_000 });
});

test("restart policy 'never' is accepted on the wire and in an update, and stored as 'no'", async (t) => {
  const h = await startTestDaemon();
  t.after(() => h.close());
  await h.client.createProcess(
    { name: 'once', command: 'sh', args: ['-c', `exit 1 # ${h.marker}`], restart: { policy: 'never', minUptimeMs: 0 } },
    { start: true },
  );
  await waitUntil('once ends', async () => finalStates.includes((await h.client.describeProcess('once')).process.state));
  const d = await h.client.describeProcess('once');
  assert.equal(d.spec?.restart?.policy, 'no');
  assert.equal(d.process.state, 'FAILED');
  assert.equal(d.counters.runCount, 1);
  await h.client.updateProcess('once', { restart: { policy: 'always' } }, { updateMask: ['restart.policy'] });
  const update = await h.client.updateProcess('once', { restart: { policy: 'never' } }, { updateMask: ['restart.policy'] });
  assert.deepEqual(update.updatedFields, ['restart.policy']);
  assert.equal((await h.client.describeProcess('once')).spec?.restart?.policy, 'no');
});
