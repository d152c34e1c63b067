import { after, afterEach, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { threadId } from 'node:worker_threads';
import {
  cpuPercent,
  detectCgroups,
  ProcessCgroup,
  UsageThread,
  wrapCommand,
  type CgroupLayout,
} from '../../../src/runtime/resources/index.js';
import type { ResourceUsage } from '../../../src/runtime/resources/usage.js';
import { UsageMonitor } from '../../../src/server/usage-monitor.js';
import { waitUntil } from '../../helpers/leaks.js';
import { needsCgroup } from '../../helpers/requirements.js';
import { MarkedChildren, removeTestSubtree, testSubtree } from './fixtures.js';

const dyingWorker = new URL('./dying-usage-worker.js', import.meta.url);
/** Never a process: the dying worker's cue. */
const deathPid = 0;

let layout: CgroupLayout;
const subtree = testSubtree();
before(async () => {
  layout = await detectCgroups();
});
after(async () => {
  await removeTestSubtree(layout, subtree);
});

describe('UsageThread', () => {
  const children = new MarkedChildren();
  const threads: UsageThread[] = [];
  const thread = (options?: ConstructorParameters<typeof UsageThread>[0]): UsageThread => {
    const made = new UsageThread(options);
    threads.push(made);
    return made;
  };
  afterEach(async () => {
    await Promise.all(threads.splice(0).map((t) => t.stop()));
    await children.cleanup();
  });

  test("samples on another thread, each sample timed on the daemon thread's clock", async () => {
    const sampler = thread();
    const before = performance.now();
    const [usage] = await sampler.sampleAll([{ pid: process.pid }]);
    const after = performance.now();
    assert.equal(threadId, 0, 'this test runs on the main thread');
    assert.ok(usage !== undefined && usage.rssBytes > 0 && usage.pids === 1, JSON.stringify(usage));
    assert.equal(usage.source, 'proc');
    // CPU % compares samples from this thread (GetResourceUsage) and from the worker: one clock.
    assert.ok(usage.at >= before && usage.at <= after, `at ${usage.at} outside [${before}, ${after}]`);
    const [later] = await sampler.sampleAll([{ pid: process.pid }]);
    assert.ok(cpuPercent(usage, later!) !== undefined, 'two samples make a rate');
  });

  test('a self-measured target (a worker thread) is measured here, beside the others read on the thread, in order', async () => {
    const sampler = thread();
    const measured = { pid: -7, measure: () => ({ source: 'worker', rssBytes: 4242 }) as unknown as ResourceUsage };
    const usages = await sampler.sampleAll([{ pid: process.pid }, measured, { pid: process.pid }]);
    assert.equal(usages.length, 3);
    assert.equal(usages[0]!.source, 'proc');
    assert.equal(usages[1]!.rssBytes, 4242, 'the measure function ran: a function cannot cross to the thread');
    assert.equal(usages[2]!.source, 'proc');
  });

  test('a target in a cgroup crosses to the thread and is sampled from its group', { skip: needsCgroup('memory') }, async () => {
    const group = await ProcessCgroup.create(layout, { subtree, name: 'thread' });
    await group.apply({ memoryBytes: 128 << 20 });
    const wrapped = wrapCommand('sleep', [children.sleepArg], { cgroupProcsFiles: group.procsFiles() });
    const { child } = children.spawn(wrapped.command, wrapped.args);
    const sampler = thread();
    await waitUntil('the sleeper is in its group', async () => (await sampler.sampleAll([{ pid: child.pid!, cgroup: group }]))[0]?.pids === 1);
    const [usage] = await sampler.sampleAll([{ pid: child.pid!, cgroup: group }]);
    assert.equal(usage?.source, 'cgroup');
    assert.equal(usage?.memoryLimitBytes, 128 << 20);
    await children.cleanup();
    assert.deepEqual((await group.remove()).failed, []);
  });

  test('a thread that dies fails the request in flight, and the next request starts a new one', async () => {
    const sampler = thread({ workerUrl: dyingWorker });
    await assert.rejects(sampler.sampleAll([{ pid: deathPid }]), /usage-sampling thread exited with code 3/);
    assert.equal(sampler.restarts, 1);
    const [usage] = await sampler.sampleAll([{ pid: process.pid }]);
    assert.ok((usage?.rssBytes ?? 0) > 0);
    assert.equal(sampler.restarts, 1);
  });

  test('stop() ends the thread without counting a death; sampling again starts a new one', async () => {
    const sampler = thread();
    await sampler.sampleAll([{ pid: process.pid }]);
    await sampler.stop();
    assert.equal(sampler.restarts, 0);
    const [usage] = await sampler.sampleAll([{ pid: process.pid }]);
    assert.ok((usage?.rssBytes ?? 0) > 0);
  });
});

test('UsageMonitor: a sampling thread that dies costs one cycle, counted; the last figures stay and the next cycle samples again', async (t) => {
  let targets = new Map([['self', { pid: process.pid }]]);
  const errors: unknown[] = [];
  const monitor = new UsageMonitor({ targets: () => targets }, 60_000, (error) => errors.push(error), new UsageThread({ workerUrl: dyingWorker }));
  t.after(() => monitor.stop());
  await monitor.cycle();
  const first = monitor.latest('self');
  assert.ok((first?.rssBytes ?? 0) > 0);

  targets = new Map([['self', { pid: process.pid }], ['poison', { pid: deathPid }]]);
  await assert.rejects(monitor.cycle(), /exited with code 3/);
  assert.equal(monitor.stats.threadRestarts, 1);
  assert.equal(monitor.stats.cycles, 1);
  assert.equal(monitor.latest('self'), first, 'the failed cycle left the last figures');

  targets = new Map([['self', { pid: process.pid }]]);
  await monitor.cycle();
  assert.equal(monitor.stats.cycles, 2);
  const second = monitor.latest('self');
  assert.ok(second !== undefined && second.at > first!.at);
  assert.ok(second.cpuPercent !== undefined, "a rate against the dead thread's sample: the clocks agree");
  assert.deepEqual(errors, []);
});
