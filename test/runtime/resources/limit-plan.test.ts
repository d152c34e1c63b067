import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  planLimits,
  wrapperRlimits,
  type CgroupLayout,
  type ControllerSupport,
} from '../../../src/runtime/resources/index.js';

const none: ControllerSupport = { mechanism: 'none', reason: 'no cgroup v1 memory hierarchy mounted under /x' };
const v1 = (name: string): ControllerSupport => ({
  mechanism: 'v1',
  mount: `/x/${name}`,
  daemonCgroup: `/x/${name}/svc`,
});
const v2: ControllerSupport = { mechanism: 'v2', mount: '/x', daemonCgroup: '/x/svc' };

function layout(cpu: ControllerSupport, memory: ControllerSupport, pids: ControllerSupport): CgroupLayout {
  return { root: '/x', controllers: { cpu, memory, pids, cpuacct: cpu } };
}

describe('planLimits', () => {
  const all = { cpuMillis: 1500, memoryBytes: 256 << 20, pids: 64 };
  const table: { name: string; layout: CgroupLayout; expected: [string, boolean, string, RegExp][] }[] = [
    {
      name: 'v1 controllers enforce each limit through its own file',
      layout: layout(v1('cpu'), v1('memory'), v1('pids')),
      expected: [
        ['cpuMillis', true, 'cgroup-v1', /^cgroup v1 cpu\.cfs_quota_us\/cpu\.cfs_period_us in \/x\/cpu\/svc$/],
        ['memoryBytes', true, 'cgroup-v1', /^cgroup v1 memory\.limit_in_bytes in \/x\/memory\/svc$/],
        ['pids', true, 'cgroup-v1', /^cgroup v1 pids\.max in \/x\/pids\/svc$/],
      ],
    },
    {
      name: 'v2 uses cpu.max, memory.max and pids.max',
      layout: layout(v2, v2, v2),
      expected: [
        ['cpuMillis', true, 'cgroup-v2', /^cgroup v2 cpu\.max in \/x\/svc$/],
        ['memoryBytes', true, 'cgroup-v2', /^cgroup v2 memory\.max/],
        ['pids', true, 'cgroup-v2', /^cgroup v2 pids\.max/],
      ],
    },
    {
      name: 'without controllers: memory falls back to RLIMIT_AS, cpu and pids are not enforced',
      layout: layout(none, none, none),
      expected: [
        ['cpuMillis', false, 'none', /^no cpu controller under \/x \(.*\): cannot enforce; no rlimit/],
        ['memoryBytes', true, 'rlimit-as', /^no memory controller under \/x .*RLIMIT_AS \(ulimit -v\).*weaker/],
        ['pids', false, 'none', /^no pids controller under \/x .*cannot enforce; RLIMIT_NPROC.*user.*root ignores it/],
      ],
    },
  ];
  for (const row of table) {
    test(row.name, () => {
      const plan = planLimits(all, row.layout);
      assert.deepEqual(
        plan.map((report) => [report.field, report.enforced, report.mechanism]),
        row.expected.map(([field, enforced, mechanism]) => [field, enforced, mechanism]),
      );
      row.expected.forEach(([, , , detail], index) => assert.match(plan[index]?.detail ?? '', detail));
    });
  }

  test('only requested fields are reported', () => {
    const plan = planLimits({ pids: 5 }, layout(v1('cpu'), v1('memory'), v1('pids')));
    assert.deepEqual(plan.map((report) => report.field), ['pids']);
    assert.deepEqual(planLimits({}, layout(none, none, none)), []);
  });
});

describe('wrapperRlimits', () => {
  test('asks for RLIMIT_AS in KiB, rounded up, only where the plan falls back to it', () => {
    const resources = { memoryBytes: 64 * 1024 * 1024 + 1 };
    const fallback = planLimits(resources, layout(none, none, none));
    assert.deepEqual(wrapperRlimits(resources, fallback), { addressSpaceKb: 65537 });
    const cgroup = planLimits(resources, layout(none, v1('memory'), none));
    assert.deepEqual(wrapperRlimits(resources, cgroup), {});
  });
});
