/**
 * ProcessCgroup on this machine's real cgroups (root, v1 controllers; CI is the same kind). A
 * test whose controller is absent here is skipped, saying which and why; the "not enforced,
 * because …" report of a missing controller is tested on an empty root (cgroup-layout.test.ts).
 */
import { after, afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { hasCode } from '../../../src/errors.js';
import {
  detectCgroups,
  ProcessCgroup,
  wrapCommand,
  joinFailureExitCode,
  type CgroupController,
  type CgroupLayout,
} from '../../../src/runtime/resources/index.js';
import type { ResourcesSpec } from '../../../src/spec/types.js';
import { sleepsWithMarker, waitUntil } from '../../helpers/leaks.js';
import { needsCgroupV1, needsCgroupV2, needsSomeCgroup } from '../../helpers/requirements.js';
import { fakeTree, MarkedChildren, removeTestSubtree, testSubtree } from './fixtures.js';

/** Loads fresh 1 MiB buffers, filled so the pages are really charged, until something stops it. */
const memoryHog =
  'const kept = []; setInterval(() => { for (let i = 0; i < 16; i++) kept.push(Buffer.alloc(1 << 20, i + 1)); }, 1);';

const layout: CgroupLayout = await detectCgroups();
const subtree = testSubtree();
let counter = 0;

after(async () => {
  await removeTestSubtree(layout, subtree);
});

async function newGroup(resources: ResourcesSpec = {}): Promise<ProcessCgroup> {
  counter += 1;
  const group = await ProcessCgroup.create(layout, { subtree, name: `p${counter}` });
  await group.apply(resources);
  return group;
}

function controlFile(group: ProcessCgroup, controller: CgroupController, file: string): string {
  const dir = group.dirs.get(controller);
  assert.ok(dir, `no ${controller} dir`);
  return readFileSync(join(dir.path, file), 'utf8').trim();
}

describe('ProcessCgroup on real cgroups', () => {
  const children = new MarkedChildren();
  afterEach(() => children.cleanup());

  test('is created below the daemon\'s own group of each hierarchy, as <subtree>/<name>', { skip: needsSomeCgroup }, async () => {
    const group = await newGroup();
    for (const [controller, dir] of group.dirs) {
      const support = layout.controllers[controller];
      assert.notEqual(support.mechanism, 'none');
      if (support.mechanism !== 'none') assert.equal(dir.path, join(support.daemonCgroup, subtree, group.name));
      assert.ok(existsSync(join(dir.path, 'cgroup.procs')));
    }
  });

  test('a group made now is fresh; one reopened is not, and keeps the limit left in it', { skip: needsCgroupV1('pids') }, async () => {
    const group = await newGroup({ pids: 7 });
    assert.equal(group.fresh, true);
    const reopened = await ProcessCgroup.create(layout, { subtree, name: group.name });
    assert.equal(reopened.fresh, false);
    assert.equal(controlFile(reopened, 'pids', 'pids.max'), '7', 'so a start must write its limits, or lift them');
  });

  test('a child allocating past memoryBytes 64 MiB is OOM-killed, and oomKills() counts it', { skip: needsCgroupV1('memory') }, async () => {
    const group = await newGroup({ memoryBytes: 64 * 1024 * 1024 });
    assert.equal(await group.oomKills(), 0);
    const wrapped = wrapCommand(process.execPath, ['-e', memoryHog, children.marker], {
      cgroupProcsFiles: group.procsFiles(),
    });
    const { exit } = children.spawn(wrapped.command, wrapped.args);
    assert.deepEqual(await exit, { code: null, signal: 'SIGKILL' });
    assert.ok(((await group.oomKills()) ?? 0) >= 1);
  });

  test('under pids 5, a shell starting 20 background sleeps gets 4 and then cannot fork', { skip: needsCgroupV1('pids') }, async () => {
    const group = await newGroup({ pids: 5 });
    const twenty = Array.from({ length: 20 }, (_, i) => i + 1).join(' ');
    const loop = `for i in ${twenty}; do sleep ${children.sleepArg} & done; wait`;
    const wrapped = wrapCommand('/bin/sh', ['-c', loop], { cgroupProcsFiles: group.procsFiles() });
    const { stderr } = children.spawn(wrapped.command, wrapped.args);
    // dash gives up at the first failed fork; a shell that carried on would end up the same: 5 pids.
    await waitUntil('the fork failure is reported', () => /fork/i.test(stderr()));
    // A forked child is a shell until it execs sleep: wait for the exec, not just the fork.
    await waitUntil('four sleeps run', () => sleepsWithMarker(children.sleepArg).length >= 4);
    const sleeps = sleepsWithMarker(children.sleepArg);
    assert.equal(sleeps.length, 4, `sleeps: ${sleeps.join(' ')}`);
    assert.ok(Number(controlFile(group, 'pids', 'pids.current')) <= 5);
    assert.match(controlFile(group, 'pids', 'pids.events'), /^max [1-9]/);
  });

  test('apply() on a live group rewrites each limit, and an absent field lifts it', { skip: needsCgroupV1('memory', 'pids', 'cpu') }, async () => {
    const group = await newGroup({ memoryBytes: 64 << 20, pids: 10, cpuMillis: 500 });
    const wrapped = wrapCommand('sleep', [children.sleepArg], { cgroupProcsFiles: group.procsFiles() });
    const { child } = children.spawn(wrapped.command, wrapped.args);
    await waitUntil('the sleeper joined', async () => (await group.procs()).includes(child.pid as number));

    await group.apply({ memoryBytes: 128 << 20, pids: 20, cpuMillis: 1500 });
    assert.equal(controlFile(group, 'memory', 'memory.limit_in_bytes'), String(128 << 20));
    assert.equal(controlFile(group, 'pids', 'pids.max'), '20');
    assert.equal(controlFile(group, 'cpu', 'cpu.cfs_quota_us'), '150000');

    await group.apply({ memoryBytes: 32 << 20 });
    assert.equal(controlFile(group, 'memory', 'memory.limit_in_bytes'), String(32 << 20));
    assert.equal(controlFile(group, 'pids', 'pids.max'), 'max');
    assert.equal(controlFile(group, 'cpu', 'cpu.cfs_quota_us'), '-1');

    await group.apply({});
    assert.ok(Number(controlFile(group, 'memory', 'memory.limit_in_bytes')) > 2 ** 62);
    assert.deepEqual(await group.procs(), [child.pid]);
  });

  test('cpuMillis is written as a CFS quota per 100 ms period, and throttles a busy loop', { skip: needsCgroupV1('cpu') }, async () => {
    const group = await newGroup({ cpuMillis: 250 });
    assert.equal(controlFile(group, 'cpu', 'cpu.cfs_period_us'), '100000');
    assert.equal(controlFile(group, 'cpu', 'cpu.cfs_quota_us'), '25000');
    const wrapped = wrapCommand('/bin/sh', ['-c', 'while :; do :; done', children.marker], {
      cgroupProcsFiles: group.procsFiles(),
    });
    children.spawn(wrapped.command, wrapped.args);
    await waitUntil('the kernel throttled the loop', () =>
      /nr_throttled [1-9]/.test(controlFile(group, 'cpu', 'cpu.stat')),
    );
  });

  test('signalAll reaches a grandchild that left the process group', { skip: needsSomeCgroup }, async () => {
    const group = await newGroup();
    // setsid(1): the inner shell and its sleep leave the child's session and process group, so
    // a group kill would miss them; only the cgroup still holds them.
    const script = `setsid sh -c 'sleep ${children.sleepArg}; :' & wait`;
    const wrapped = wrapCommand('/bin/sh', ['-c', script], { cgroupProcsFiles: group.procsFiles() });
    const { child, exit } = children.spawn(wrapped.command, wrapped.args);
    await waitUntil('the grandchild runs sleep', () => sleepsWithMarker(children.sleepArg).length === 1);
    assert.equal((await group.procs()).length, 3);
    const [sleeper] = sleepsWithMarker(children.sleepArg);
    assert.ok(sleeper !== undefined);
    const pgid = Number(readFileSync(`/proc/${sleeper}/stat`, 'utf8').split(') ')[1]?.split(' ')[2]);
    assert.notEqual(pgid, child.pid, 'the grandchild should be outside the child\'s process group');

    const signalled = await group.signalAll('SIGTERM');
    assert.equal(signalled.length, 3);
    assert.ok(signalled.includes(sleeper));
    assert.equal((await exit).signal, 'SIGTERM');
    await waitUntil('every member is gone', async () => (await group.procs()).length === 0);
  });

  test('remove() waits for the group to empty and removes every directory', { skip: needsSomeCgroup }, async () => {
    const group = await newGroup();
    const wrapped = wrapCommand('sleep', [children.sleepArg], { cgroupProcsFiles: group.procsFiles() });
    const { child } = children.spawn(wrapped.command, wrapped.args);
    await waitUntil('the sleeper joined', async () => (await group.procs()).length === 1);
    process.kill(child.pid as number, 'SIGKILL');
    const report = await group.remove();
    assert.deepEqual(report.failed, []);
    assert.equal(report.removed.length, new Set([...group.dirs.values()].map((dir) => dir.path)).size);
    for (const dir of group.dirs.values()) assert.equal(existsSync(dir.path), false);
    assert.deepEqual(await group.remove(), { removed: [], failed: [] }, 'a second remove finds nothing to do');
  });

  test('remove() of a group with a live member reports EBUSY instead of throwing or waiting on', { skip: needsSomeCgroup }, async () => {
    const group = await newGroup();
    const wrapped = wrapCommand('sleep', [children.sleepArg], { cgroupProcsFiles: group.procsFiles() });
    children.spawn(wrapped.command, wrapped.args);
    // Regression (race): seen in one group's procs, the wrapper may not have joined the others
    // yet, and those were removed. It execs sleep only once it has joined every one.
    await waitUntil('the sleeper runs in every group', () => sleepsWithMarker(children.sleepArg).length === 1);
    const report = await group.remove({ timeoutMs: 50 });
    assert.equal(report.removed.length, 0);
    assert.ok(report.failed.length > 0);
    for (const failure of report.failed) assert.match(failure.reason, /^EBUSY/);
  });

  test('allowJoinBy lets a process switched to another user join its group', { skip: needsSomeCgroup }, async () => {
    const group = await newGroup();
    await group.allowJoinBy(65534, 65534);
    const wrapped = wrapCommand('sleep', [children.sleepArg], { cgroupProcsFiles: group.procsFiles() });
    const { child } = children.spawn(wrapped.command, wrapped.args, { uid: 65534, gid: 65534 });
    await waitUntil('the sleeper joined', async () => (await group.procs()).includes(child.pid as number));
  });

  test('without allowJoinBy, a non-root wrapper cannot join and exits 225', { skip: needsSomeCgroup }, async () => {
    const group = await newGroup();
    const wrapped = wrapCommand('sleep', [children.sleepArg], { cgroupProcsFiles: group.procsFiles() });
    const { exit, stderr } = children.spawn(wrapped.command, wrapped.args, { uid: 65534, gid: 65534 });
    assert.equal((await exit).code, joinFailureExitCode);
    assert.match(stderr(), /statevisor: cannot join cgroup/);
  });

  test('a name that is not one path component is refused', async () => {
    await assert.rejects(ProcessCgroup.create(layout, { subtree, name: '../escape' }), (error: Error) =>
      hasCode(error, 'E_INVALID_ARGUMENT'),
    );
  });
});

describe('ProcessCgroup on a fake v2 tree (plain files: a write replaces, where the kernel would accumulate)', () => {
  test('delegates the controllers down the subtree and writes memory.max, pids.max and cpu.max', async () => {
    const tree = await fakeTree({
      'cgroup.controllers': 'cpu memory pids',
      'svc/cgroup.controllers': 'cpu memory pids',
      'svc/cgroup.subtree_control': '',
      'svc/cgroup.procs': '',
    });
    try {
      const fake = await detectCgroups({ root: tree.root, procSelfCgroup: '0::/svc\n' });
      const group = await ProcessCgroup.create(fake, { subtree: 'statevisor-1a2b', name: 'api' });
      const dir = join(tree.root, 'svc/statevisor-1a2b/api');
      assert.deepEqual(group.procsFiles(), [join(dir, 'cgroup.procs')]);
      // The fake file keeps only the last write; the kernel would accumulate "+cpu +memory +pids".
      assert.equal(await readFile(join(tree.root, 'svc/statevisor-1a2b/cgroup.subtree_control'), 'utf8'), '+pids\n');

      await group.apply({ memoryBytes: 64 << 20, pids: 7, cpuMillis: 250 });
      assert.equal(await readFile(join(dir, 'memory.max'), 'utf8'), `${64 << 20}\n`);
      assert.equal(await readFile(join(dir, 'pids.max'), 'utf8'), '7\n');
      assert.equal(await readFile(join(dir, 'cpu.max'), 'utf8'), '25000 100000\n');
      await group.apply({});
      assert.equal(await readFile(join(dir, 'memory.max'), 'utf8'), 'max\n');
      assert.equal(await readFile(join(dir, 'cpu.max'), 'utf8'), 'max 100000\n');
    } finally {
      await tree.cleanup();
    }
  });
});

describe('ProcessCgroup on a real cgroup v2 hierarchy', () => {
  test('enables the controllers down the subtree and writes memory.max, pids.max and cpu.max', { skip: needsCgroupV2('memory', 'pids', 'cpu') }, async () => {
    // What the fake tree above cannot show: the kernel keeps every controller enabled, and
    // refuses a limit file of a controller that is not.
    const group = await newGroup({ memoryBytes: 64 << 20, pids: 7, cpuMillis: 250 });
    const dir = group.dirs.get('memory');
    assert.ok(dir, 'a v2 group');
    const enabled = readFileSync(join(dir.path, '..', 'cgroup.subtree_control'), 'utf8').trim().split(' ');
    for (const controller of ['cpu', 'memory', 'pids']) assert.ok(enabled.includes(controller), `${controller} enabled: ${enabled}`);
    assert.equal(readFileSync(join(dir.path, 'memory.max'), 'utf8').trim(), String(64 << 20));
    assert.equal(readFileSync(join(dir.path, 'pids.max'), 'utf8').trim(), '7');
    assert.equal(readFileSync(join(dir.path, 'cpu.max'), 'utf8').trim(), '25000 100000');
    await group.apply({});
    assert.equal(readFileSync(join(dir.path, 'memory.max'), 'utf8').trim(), 'max');
    assert.equal(readFileSync(join(dir.path, 'cpu.max'), 'utf8').trim(), 'max 100000');
    assert.deepEqual((await group.remove()).failed, []);
  });
});
