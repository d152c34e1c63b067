import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { cgroupControllers, detectCgroups, limitControllers, planLimits, ProcessCgroup } from '../../../src/runtime/resources/index.js';
import { fakeTree } from './fixtures.js';
import { needsRoot } from '../../helpers/requirements.js';

/** Whether /proc/self/cgroup names any v1 controller: without one, the next test has nothing to check. */
const v1Lines = readFileSync('/proc/self/cgroup', 'utf8')
  .split('\n')
  .some((entry) => entry.split(':')[1]?.split(',').some((name) => (cgroupControllers as readonly string[]).includes(name)));

describe('detectCgroups on this machine', () => {
  // Found means usable: the daemon's own group must also be writable, which takes root.
  const skip = v1Lines ? needsRoot && `${needsRoot}, to write in the v1 hierarchies` : 'needs cgroup v1 controllers in /proc/self/cgroup (none here)';
  test("each v1 controller in /proc/self/cgroup is found at the daemon's own group", { skip }, async () => {
    const layout = await detectCgroups();
    const lines = readFileSync('/proc/self/cgroup', 'utf8').split('\n');
    for (const controller of [...limitControllers, 'cpuacct'] as const) {
      const line = lines.find((entry) => entry.split(':')[1]?.split(',').includes(controller));
      const support = layout.controllers[controller];
      if (line === undefined) continue;
      assert.equal(support.mechanism, 'v1', `${controller}: ${JSON.stringify(support)}`);
      if (support.mechanism !== 'v1') continue;
      const path = line.split(':').slice(2).join(':');
      assert.equal(support.daemonCgroup, resolve(support.mount, `.${path}`));
    }
  });

  test('every limit controller is either usable or comes with a reason', async () => {
    const layout = await detectCgroups();
    for (const controller of limitControllers) {
      const support = layout.controllers[controller];
      if (support.mechanism === 'none') assert.match(support.reason, /\S/);
      else assert.ok(support.daemonCgroup.startsWith(support.mount));
    }
  });
});

describe('detectCgroups on an empty root', () => {
  test('finds no mechanism, and planLimits says why nothing but an rlimit can hold', async () => {
    const root = await mkdtemp(join(tmpdir(), 'statevisor-empty-'));
    try {
      const layout = await detectCgroups({ root, procSelfCgroup: '4:memory:/x\n0::/\n' });
      for (const controller of limitControllers) {
        const support = layout.controllers[controller];
        assert.equal(support.mechanism, 'none');
        if (support.mechanism === 'none') assert.ok(support.reason.includes(root), support.reason);
      }
      const plan = planLimits({ cpuMillis: 500, memoryBytes: 64 << 20, pids: 10 }, layout);
      assert.deepEqual(
        plan.map(({ field, enforced, mechanism }) => ({ field, enforced, mechanism })),
        [
          { field: 'cpuMillis', enforced: false, mechanism: 'none' },
          { field: 'memoryBytes', enforced: true, mechanism: 'rlimit-as' },
          { field: 'pids', enforced: false, mechanism: 'none' },
        ],
      );
      for (const report of plan) assert.ok(report.detail.startsWith(`no `), report.detail);
      assert.match(plan[0]?.detail ?? '', /cannot enforce/);
      assert.match(plan[1]?.detail ?? '', /RLIMIT_AS.*weaker/);
      assert.match(plan[2]?.detail ?? '', /cannot enforce.*per|cannot enforce.*user/);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});

describe('detectCgroups on fake trees', () => {
  test('co-mounted cpu,cpuacct is one hierarchy: one group dir, one cgroup.procs', async () => {
    const tree = await fakeTree({
      'cpu,cpuacct/cgroup.procs': '',
      'cpu,cpuacct/svc/cgroup.procs': '',
      cpu: '->cpu,cpuacct',
      cpuacct: '->cpu,cpuacct',
      'memory/cgroup.procs': '',
      'memory/svc/cgroup.procs': '',
    });
    try {
      const layout = await detectCgroups({
        root: tree.root,
        procSelfCgroup: '3:cpu,cpuacct:/svc\n4:memory:/svc\n1:name=systemd:/svc\n',
      });
      const { cpu, cpuacct, memory, pids } = layout.controllers;
      assert.deepEqual(cpu, {
        mechanism: 'v1',
        mount: join(tree.root, 'cpu,cpuacct'),
        daemonCgroup: join(tree.root, 'cpu,cpuacct/svc'),
      });
      assert.deepEqual(cpuacct, cpu);
      assert.equal(memory.mechanism, 'v1');
      assert.equal(pids.mechanism, 'none');
      if (pids.mechanism === 'none') assert.match(pids.reason, /no cgroup v1 pids hierarchy in \/proc\/self\/cgroup/);

      const group = await ProcessCgroup.create(layout, { subtree: 'statevisor-t', name: 'web' });
      assert.deepEqual(group.procsFiles().sort(), [
        join(tree.root, 'cpu,cpuacct/svc/statevisor-t/web/cgroup.procs'),
        join(tree.root, 'memory/svc/statevisor-t/web/cgroup.procs'),
      ]);
    } finally {
      await tree.cleanup();
    }
  });

  test("a container's host path that is not under the mount falls back to the mount root", async () => {
    const tree = await fakeTree({ 'memory/cgroup.procs': '' });
    try {
      const layout = await detectCgroups({ root: tree.root, procSelfCgroup: '4:memory:/docker/0123abcd\n' });
      assert.equal(layout.controllers.memory.mechanism, 'v1');
      if (layout.controllers.memory.mechanism === 'v1') {
        assert.equal(layout.controllers.memory.daemonCgroup, join(tree.root, 'memory'));
      }
    } finally {
      await tree.cleanup();
    }
  });

  test('a path that climbs out of the mount (/../..) is never followed', async () => {
    const tree = await fakeTree({ 'memory/cgroup.procs': '', 'outside/cgroup.procs': '' });
    try {
      const layout = await detectCgroups({ root: tree.root, procSelfCgroup: '4:memory:/../outside\n' });
      const memory = layout.controllers.memory;
      assert.equal(memory.mechanism, 'v1');
      if (memory.mechanism === 'v1') assert.equal(memory.daemonCgroup, join(tree.root, 'memory'));
    } finally {
      await tree.cleanup();
    }
  });

  test('v2 with the controllers delegated in subtree_control is usable', async () => {
    const tree = await fakeTree({
      'cgroup.controllers': 'cpuset cpu io memory pids',
      'svc/cgroup.controllers': 'cpu memory pids',
      'svc/cgroup.subtree_control': 'cpu memory pids',
      'svc/cgroup.procs': '4242\n',
    });
    try {
      const layout = await detectCgroups({ root: tree.root, procSelfCgroup: '0::/svc\n' });
      for (const controller of [...limitControllers, 'cpuacct'] as const) {
        assert.deepEqual(layout.controllers[controller], {
          mechanism: 'v2',
          mount: tree.root,
          daemonCgroup: join(tree.root, 'svc'),
        });
      }
    } finally {
      await tree.cleanup();
    }
  });

  test('v2 not delegated, in a group with processes, is refused with the no-internal-processes reason', async () => {
    const tree = await fakeTree({
      'cgroup.controllers': 'cpu memory pids',
      'svc/cgroup.controllers': 'cpu memory',
      'svc/cgroup.subtree_control': 'memory',
      'svc/cgroup.procs': '4242\n',
    });
    try {
      const layout = await detectCgroups({ root: tree.root, procSelfCgroup: '0::/svc\n' });
      assert.equal(layout.controllers.memory.mechanism, 'v2');
      const { cpu, pids } = layout.controllers;
      assert.equal(cpu.mechanism, 'none');
      if (cpu.mechanism === 'none') assert.match(cpu.reason, /not delegated.*no internal processes/);
      assert.equal(pids.mechanism, 'none');
      if (pids.mechanism === 'none') {
        assert.match(pids.reason, /does not offer pids \(cgroup\.controllers: cpu memory\)/);
      }
    } finally {
      await tree.cleanup();
    }
  });

  test('hybrid: v1 controllers win, and a controller-less cgroup2 at unified/ adds nothing', async () => {
    const tree = await fakeTree({
      'memory/cgroup.procs': '',
      'unified/cgroup.controllers': 'hugetlb\n',
      'unified/cgroup.procs': '1\n',
    });
    try {
      const layout = await detectCgroups({ root: tree.root, procSelfCgroup: '4:memory:/\n0::/\n' });
      assert.equal(layout.controllers.memory.mechanism, 'v1');
      const cpu = layout.controllers.cpu;
      assert.equal(cpu.mechanism, 'none');
      if (cpu.mechanism === 'none') {
        assert.match(cpu.reason, /no cgroup v1 cpu hierarchy/);
        assert.match(cpu.reason, /does not offer cpu \(cgroup\.controllers: hugetlb\)/);
      }
    } finally {
      await tree.cleanup();
    }
  });
});
