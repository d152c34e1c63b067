/**
 * runtime: worker — JavaScript modules run as worker threads of the daemon through the same
 * process chart as OS processes: exits, restarts, stops, logs, usage and isolation.
 */
import { test } from 'node:test';
import { rmSync } from 'node:fs';
import assert from 'node:assert/strict';
import { startTestDaemon, type DaemonHarness } from '../helpers/daemon-harness.js';
import { waitUntil } from '../helpers/leaks.js';
import { readUntil } from '../helpers/streams.js';
import { rejection } from '../helpers/outcomes.js';
import { workerModule, type workerTasks } from '../helpers/worker-modules.js';
import type { ProcessSpecInput } from '../../src/client/index.js';

const finalStates = ['STOPPED', 'EXITED', 'FAILED'];

async function untilState(h: DaemonHarness, name: string, states: string[], timeoutMs = 20_000) {
  await waitUntil(`${name} is ${states.join(' or ')}`, async () => states.includes((await h.client.describeProcess(name)).process.state), { timeoutMs });
  return h.client.describeProcess(name);
}

function worker(h: DaemonHarness, name: string, task: keyof typeof workerTasks, extra: Partial<ProcessSpecInput> = {}): ProcessSpecInput {
  return { name, runtime: { kind: 'worker', module: workerModule(h.dir, task) }, restart: { policy: 'no' }, ...extra } as ProcessSpecInput;
}

test('a worker\'s exit: resolve is exit 0, reject exit 1 with the message as last error, process.exit(3) exit 3', async (t) => {
  const h = await startTestDaemon();
  t.after(() => h.close());
  const cases: [keyof typeof workerTasks, string, number, RegExp][] = [
    ['resolves', 'EXITED', 0, /exited with code 0/],
    ['rejects', 'FAILED', 1, /the queue is gone/],
    ['exits3', 'FAILED', 3, /exited with code 3/],
    ['throwsLater', 'FAILED', 1, /thrown from a timer/],
  ];
  for (const [task, state, code, error] of cases) {
    await h.client.createProcess(worker(h, task.toLowerCase(), task), { start: true });
    const d = await untilState(h, task.toLowerCase(), finalStates);
    assert.equal(d.process.state, state, `${task}: ${d.process.lastError}`);
    assert.equal(d.process.exitCode, code, task);
    if (state === 'FAILED') assert.match(d.process.lastError, error, task);
  }
  assert.equal((await h.client.getStatus()).version.length > 0, true, 'the daemon still answers');
});

test('a worker stuck in a loop is stopped: its thread is terminated after the grace period', async (t) => {
  const h = await startTestDaemon();
  t.after(() => h.close());
  await h.client.createProcess(worker(h, 'spinner', 'loops', { stop: { gracePeriodMs: 1_000 } }), { start: true });
  await untilState(h, 'spinner', ['RUNNING']);
  await readUntil((signal) => h.client.streamLogs('spinner', { stream: 'stdout', follow: true, tailLines: 10, signal }), (lines) => lines.some((l) => l.line === 'looping'));
  await h.client.stopProcess('spinner');
  const d = await untilState(h, 'spinner', ['STOPPED']);
  assert.equal(d.process.state, 'STOPPED');
  assert.ok((await h.client.getStatus()).version.length > 0, 'the daemon answers after the thread was terminated');
});

test('a worker that exhausts its heap ends as out of memory, within resources.memory_bytes', async (t) => {
  const h = await startTestDaemon();
  t.after(() => h.close());
  await h.client.createProcess(worker(h, 'hungry', 'eatsHeap', { resources: { memoryBytes: 32 * 1024 * 1024 } }), { start: true });
  const d = await untilState(h, 'hungry', finalStates, 60_000);
  assert.equal(d.process.state, 'FAILED');
  assert.match(d.process.lastError, /out of memory/);
  const memory = d.enforcement.find((e) => e.field === 'resources.memory_bytes');
  assert.equal(memory?.enforced, true);
});

test('restart policy always restarts a crashing worker up to its start limit', async (t) => {
  const h = await startTestDaemon();
  t.after(() => h.close());
  await h.client.createProcess(
    worker(h, 'crasher', 'rejects', { restart: { policy: 'always', delayMs: 0, startLimitBurst: 3, startLimitIntervalMs: 60_000 } }),
    { start: true },
  );
  const d = await untilState(h, 'crasher', ['FAILED']);
  assert.equal(d.counters.runCount, 3);
  assert.match(d.process.lastError, /start limit reached/);
});

test('a worker\'s console.log and console.error are in its logs', async (t) => {
  const h = await startTestDaemon();
  t.after(() => h.close());
  await h.client.createProcess(worker(h, 'talker', 'resolves'), { start: true });
  await untilState(h, 'talker', ['EXITED']);
  const out = await readUntil((signal) => h.client.streamLogs('talker', { stream: 'stdout', tailLines: 100, signal }));
  assert.deepEqual(out.map((l) => l.line), ['hello from a worker']);
  const err = await readUntil((signal) => h.client.streamLogs('talker', { stream: 'stderr', tailLines: 100, signal }));
  assert.deepEqual(err.map((l) => l.line), ['a warning from a worker']);
});

test('a running worker reports its CPU time and heap in use', async (t) => {
  const h = await startTestDaemon();
  t.after(() => h.close());
  await h.client.createProcess(worker(h, 'busy', 'busy'), { start: true });
  await untilState(h, 'busy', ['RUNNING']);
  await waitUntil('busy shows CPU time and heap', async () => {
    const usage = await h.client.getResourceUsage('busy');
    return usage.cpuUserUs > 0 && usage.rssBytes > 0;
  });
  const usage = await h.client.getResourceUsage('busy');
  assert.equal(usage.source, 'worker');
  // The usage monitor's cycle too, as `ls` shows it: a thread has no pid, yet its figures are there.
  await waitUntil('ls shows the heap of busy', async () => ((await h.client.listProcesses()).find((p) => p.name === 'busy')?.memoryBytes ?? 0) > 0);
  await h.client.stopProcess('busy');
});

test('a crashing, looping, heap-exhausting worker leaves another workload running', async (t) => {
  const h = await startTestDaemon();
  t.after(() => h.close());
  await h.client.createProcess(worker(h, 'steady', 'service'), { start: true });
  await h.client.createProcess({ name: 'os-steady', command: 'sleep', args: h.sleepArgs() }, { start: true });
  await untilState(h, 'steady', ['RUNNING']);
  await h.client.createProcess(worker(h, 'crash-loop', 'rejects', { restart: { policy: 'always', delayMs: 0, startLimitBurst: 5 } }), { start: true });
  await h.client.createProcess(worker(h, 'exiter', 'exits3'), { start: true });
  await h.client.createProcess(worker(h, 'oom', 'eatsHeap', { resources: { memoryBytes: 16 * 1024 * 1024 } }), { start: true });
  for (const name of ['crash-loop', 'exiter', 'oom']) await untilState(h, name, ['FAILED'], 60_000);
  for (const name of ['steady', 'os-steady']) {
    const d = await h.client.describeProcess(name);
    assert.equal(d.process.state, 'RUNNING', name);
    assert.equal(d.counters.runCount, 1, `${name} was never restarted`);
  }
  await h.client.stopProcess('steady');
  const out = await readUntil((signal) => h.client.streamLogs('steady', { stream: 'stdout', tailLines: 10, signal }));
  assert.deepEqual(out.map((l) => l.line), ['service up', 'service down'], 'its stop fired its AbortSignal and it wound down');
});

test('an update without a restart sends the new spec to the running task', async (t) => {
  const h = await startTestDaemon();
  t.after(() => h.close());
  await h.client.createProcess(worker(h, 'configured', 'configs', { description: 'first' }), { start: true });
  await untilState(h, 'configured', ['RUNNING']);
  await h.client.updateProcess('configured', { description: 'second' });
  const out = await readUntil(
    (signal) => h.client.streamLogs('configured', { stream: 'stdout', follow: true, tailLines: 10, signal }),
    (lines) => lines.some((l) => l.line === 'config second'),
  );
  assert.equal(out[0]?.line, 'config first');
  assert.equal((await h.client.describeProcess('configured')).counters.runCount, 1);
});

test('a worker spec is refused when its module is missing or it asks what a thread cannot have', async (t) => {
  const h = await startTestDaemon();
  t.after(() => h.close());
  const missing = await rejection(h.client.createProcess({ name: 'ghost', runtime: { kind: 'worker', module: `${h.dir}/nowhere.mjs` } }));
  assert.match(missing.message, /runtime\.module/);
  // Checked in a throwaway thread (tinypool) at create, not found out at the first start.
  const noExport = await rejection(h.client.createProcess({ name: 'ghost', runtime: { kind: 'worker', module: workerModule(h.dir, 'named') } }));
  assert.match(noExport.message, /runtime\.export: got "default", expected a function exported by the module \(default is not exported; its functions: serve\)/);
  const broken = await rejection(h.client.createProcess({ name: 'ghost', runtime: { kind: 'worker', module: workerModule(h.dir, 'syntaxError') } }));
  assert.match(broken.message, /runtime\.module: .*a module that imports/);
  const module = workerModule(h.dir, 'service');
  for (const [field, extra] of [
    ['user', { user: 'nobody' }],
    ['stop.kill_mode', { stop: { killMode: 'process' } }],
    ['exec_start_pre', { execStartPre: [['true']] }],
    ['working_dir', { workingDir: '/tmp' }],
    ['type', { type: 'forking', pidfile: '/tmp/x.pid' }],
  ] as const) {
    const error = await rejection(h.client.createProcess({ name: 'thready', runtime: { kind: 'worker', module }, ...extra } as ProcessSpecInput));
    assert.match(error.message, new RegExp(`${field.replace('.', '\\.')}.*runtime worker`), field);
  }
});

test('Describe of a worker: only the limits a thread cannot have are not enforced', async (t) => {
  const h = await startTestDaemon();
  t.after(() => h.close());
  await h.client.createProcess(worker(h, 'limited', 'named', { runtime: { kind: 'worker', module: workerModule(h.dir, 'named'), export: 'serve' }, resources: { memoryBytes: 64 * 1024 * 1024, cpuMillis: 500, pids: 10 } }), { start: true });
  const d = await untilState(h, 'limited', ['RUNNING']);
  const notEnforced = d.enforcement.filter((e) => !e.enforced).map((e) => e.field);
  assert.deepEqual(notEnforced.sort(), ['resources.cpu_millis', 'resources.pids']);
  assert.ok(d.enforcement.some((e) => e.field === 'runtime' && e.enforced));
  await h.client.stopProcess('limited');
});

test('crash-looping workers are paced at the daemon-wide restart rate, as processes are', async (t) => {
  const h = await startTestDaemon({ restartRate: 2 });
  t.after(() => h.close());
  for (const name of ['pace-a', 'pace-b']) {
    await h.client.createProcess(worker(h, name, 'rejects', { restart: { policy: 'always', delayMs: 0, startLimitBurst: 0, minUptimeMs: 0 } }), { start: true });
  }
  await waitUntil('a worker restart waited for the rate', async () => (await h.client.getStatus()).restartsDelayed > 0, { timeoutMs: 30_000 });
  for (const name of ['pace-a', 'pace-b']) await h.client.stopProcess(name, { deadlineMs: 30_000 });
});

test('a module removed after create fails the start, naming runtime.module; the daemon goes on', async (t) => {
  const h = await startTestDaemon();
  t.after(() => h.close());
  const module = workerModule(h.dir, 'service');
  await h.client.createProcess({ name: 'gone', runtime: { kind: 'worker', module }, restart: { policy: 'no' } });
  rmSync(module);
  await h.client.startProcess('gone').catch(() => undefined);
  const d = await untilState(h, 'gone', ['FAILED']);
  assert.match(d.process.lastError, /runtime\.module: .*(Cannot find module|ERR_MODULE_NOT_FOUND|no such file)/i);
  assert.ok((await h.client.getStatus()).version.length > 0);
});
