import { after, afterEach, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import { readFileSync } from 'node:fs';
import {
  cpuPercent,
  detectCgroups,
  ProcessCgroup,
  sampleAll,
  sampleUsage,
  UsageSampler,
  wrapCommand,
  type CgroupLayout,
  type ResourceUsage,
} from '../../../src/runtime/resources/index.js';
import { parseTimes } from '../../../src/runtime/resources/proc-reader.js';
import { waitUntil } from '../../helpers/leaks.js';
import { needsCgroup, needsSomeCgroup } from '../../helpers/requirements.js';
import { MarkedChildren, removeTestSubtree, testSubtree } from './fixtures.js';

// Beyond the largest pid_max Linux allows (2^22), so never a live process.
const impossiblePid = 2 ** 22 + 1;

const cpuUs = (usage: ResourceUsage) => usage.cpuUserUs + usage.cpuSystemUs;

/** A shell with two children: one spinning, one sleeping. */
function treeScript(sleepArg: string): string {
  return `while :; do :; done & sleep ${sleepArg} & wait`;
}

let layout: CgroupLayout;
const subtree = testSubtree();
before(async () => {
  layout = await detectCgroups();
});
after(async () => {
  await removeTestSubtree(layout, subtree);
});

describe('parseTimes', () => {
  test('counts fields from the last parenthesis, so a comm with ") " cannot shift them', () => {
    const middle = Array.from({ length: 7 }, () => '0').join(' '); // fields 7..13
    const line = `4242 (a) b) c) S 1 4242 4242 ${middle} 11 22 33 44 0 0 0 0 0 0 555 0 0\n`;
    assert.deepEqual(parseTimes(line), {
      pid: 4242,
      state: 'S',
      sid: 4242,
      utime: 11,
      stime: 22,
      cutime: 33,
      cstime: 44,
      rssPages: 555,
    });
  });
});

describe('sampleUsage', () => {
  const children = new MarkedChildren();
  afterEach(() => children.cleanup());

  test('from /proc: the whole session counts — pids, rss, fds, and CPU that grows', async () => {
    const { child } = children.spawn('/bin/sh', ['-c', treeScript(children.sleepArg)]);
    const target = { pid: child.pid as number };
    await waitUntil('the tree has three processes', async () => (await sampleUsage(target)).pids >= 3);
    const first = await sampleUsage(target);
    assert.equal(first.source, 'proc');
    assert.ok(first.pids >= 3, `pids ${first.pids}`);
    assert.ok(first.rssBytes > 0);
    assert.ok(first.fds > 0);
    assert.equal(first.memoryLimitBytes, 0);
    assert.equal(first.memoryBytes, undefined);
    await waitUntil('CPU time grows', async () => cpuUs(await sampleUsage(target)) > cpuUs(first));
  });

  test('from a cgroup: membership, memory charge and limit, and CPU that grows', { skip: needsCgroup('memory') }, async () => {
    const group = await ProcessCgroup.create(layout, { subtree, name: 'tree' });
    await group.apply({ memoryBytes: 256 << 20 });
    const wrapped = wrapCommand('/bin/sh', ['-c', treeScript(children.sleepArg)], {
      cgroupProcsFiles: group.procsFiles(),
    });
    const { child } = children.spawn(wrapped.command, wrapped.args);
    const target = { pid: child.pid as number, cgroup: group };
    await waitUntil('the tree has three processes', async () => (await sampleUsage(target)).pids >= 3);
    const first = await sampleUsage(target);
    assert.equal(first.source, 'cgroup');
    assert.ok(first.rssBytes > 0);
    assert.ok(first.fds > 0);
    assert.ok((first.memoryBytes ?? 0) > 0);
    assert.equal(first.memoryLimitBytes, 256 << 20);
    await waitUntil('CPU time grows', async () => cpuUs(await sampleUsage(target)) > cpuUs(first));
    await children.cleanup();
    assert.deepEqual((await group.remove()).failed, []);
  });

  test('a pid that never existed, or already exited, samples as an empty tree', async () => {
    const gone = children.spawn('/bin/sh', ['-c', 'exit 0']);
    await gone.exit;
    for (const pid of [impossiblePid, gone.child.pid as number]) {
      const usage = await sampleUsage({ pid });
      assert.deepEqual({ ...usage, at: 0 }, {
        cpuUserUs: 0,
        cpuSystemUs: 0,
        rssBytes: 0,
        memoryLimitBytes: 0,
        pids: 0,
        fds: 0,
        ioReadBytes: 0,
        ioWriteBytes: 0,
        source: 'proc',
        at: 0,
      });
    }
  });

  test('a removed cgroup samples as an empty tree', { skip: needsSomeCgroup }, async () => {
    const group = await ProcessCgroup.create(layout, { subtree, name: 'gone' });
    await group.remove();
    const usage = await sampleUsage({ pid: impossiblePid, cgroup: group });
    assert.equal(usage.pids, 0);
    assert.equal(usage.source, 'cgroup');
  });

  test('sampleAll answers for each target in order, from one pass', async () => {
    const sleepers = [0, 1, 2].map(() => children.spawn('sleep', [children.sleepArg]).child.pid as number);
    await waitUntil('every sleeper runs sleep', async () =>
      (await sampleAll(sleepers.map((pid) => ({ pid })))).every((usage) => usage.pids === 1),
    );
    const usages = await sampleAll([...sleepers.map((pid) => ({ pid })), { pid: impossiblePid }]);
    assert.deepEqual(usages.map((usage) => usage.pids), [1, 1, 1, 0]);
  });
});

describe('UsageSampler', () => {
  const children = new MarkedChildren();
  afterEach(() => children.cleanup());

  test('a busy loop reads what /proc says it used, a sleeper about 0; the first sample has no rate', async () => {
    // The machine is shared (2 cores, other suites running): a busy loop may get less than a
    // core, so its reading is checked against the CPU time the kernel counted over the same
    // interval, read here independently of the sampler (utime + stime in clock ticks of 10 ms).
    // nice -20 keeps that share well above the sleeper's even under load. nice execs: same pid.
    const busyLoop = ['-n', '-20', '/bin/sh', '-c', 'while :; do :; done', children.marker];
    const busy = children.spawn('nice', busyLoop).child.pid as number;
    const idle = children.spawn('sleep', [children.sleepArg]).child.pid as number;
    const sampler = new UsageSampler<string>();
    const targets = new Map([
      ['busy', { pid: busy }],
      ['idle', { pid: idle }],
    ]);
    const ticksBefore = cpuTicksOf(busy);
    const wallBefore = performance.now();
    const first = await sampler.sample(targets);
    assert.equal(first.get('busy')?.cpuPercent, undefined);
    // A rate needs an interval; nothing to await here but time itself.
    await delay(1000);
    const second = await sampler.sample(targets);
    const truth = ((cpuTicksOf(busy) - ticksBefore) * 10 * 100) / (performance.now() - wallBefore);
    const busyPercent = second.get('busy')?.cpuPercent ?? -1;
    const idlePercent = second.get('idle')?.cpuPercent ?? -1;
    assert.ok(truth > 10, `the busy loop ran: ${truth.toFixed(1)} % by /proc`);
    assert.ok(Math.abs(busyPercent - truth) < 15, `busy ${busyPercent.toFixed(1)} %, /proc says ${truth.toFixed(1)} %`);
    assert.ok(idlePercent >= 0 && idlePercent < 5, `idle ${idlePercent}`);
  });

  test('a new pid under the same key starts over, and keys no longer sampled are forgotten', async () => {
    const a = children.spawn('sleep', [children.sleepArg]).child.pid as number;
    const b = children.spawn('sleep', [children.sleepArg]).child.pid as number;
    const sampler = new UsageSampler<string>();
    await sampler.sample(new Map([['p', { pid: a }], ['q', { pid: a }]]));
    const restarted = await sampler.sample(new Map([['p', { pid: b }]]));
    assert.equal(restarted.get('p')?.cpuPercent, undefined);
    const again = await sampler.sample(new Map([['q', { pid: a }]]));
    assert.equal(again.get('q')?.cpuPercent, undefined, 'q was forgotten when it was not sampled');
  });

  test('cpuPercent is CPU time over wall time, and never negative', () => {
    const base: ResourceUsage = {
      cpuUserUs: 1_000_000,
      cpuSystemUs: 0,
      rssBytes: 0,
      memoryLimitBytes: 0,
      pids: 1,
      fds: 0,
      ioReadBytes: 0,
      ioWriteBytes: 0,
      source: 'proc',
      at: 10_000,
    };
    assert.equal(cpuPercent(base, { ...base, cpuUserUs: 1_750_000, cpuSystemUs: 250_000, at: 11_000 }), 100);
    assert.equal(cpuPercent(base, { ...base, cpuUserUs: 1_500_000, at: 12_000 }), 25);
    assert.equal(cpuPercent(base, { ...base, cpuUserUs: 0, at: 11_000 }), 0);
    assert.equal(cpuPercent(base, base), undefined);
  });
});

/** utime + stime of a process in clock ticks (USER_HZ, 100 on Linux), read straight from /proc. */
function cpuTicksOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command's closing parenthesis: state is the first, utime the 12th, stime the 13th.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}
