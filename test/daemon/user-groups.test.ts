/**
 * `user:` gives the child that user's supplementary groups (initgroups), through setpriv. Before,
 * Node's spawn switched uid and gid through libuv, which drops every supplementary group: a
 * service reading a file through a secondary group (ssl-cert, docker) was refused.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { startTestDaemon, type DaemonHarness } from '../helpers/daemon-harness.js';
import { waitUntil } from '../helpers/leaks.js';
import { findSetpriv } from '../../src/runtime/os/setpriv.js';
import { needsRoot } from '../helpers/requirements.js';

const bounded = { timeout: 90_000 };

interface Member {
  readonly user: string;
  readonly uid: number;
  readonly primaryGid: number;
  /** A group the user belongs to through /etc/group only, not as its primary group. */
  readonly gid: number;
}

function accounts(file: string): string[][] {
  return readFileSync(file, 'utf8').split('\n').filter((l) => l && !l.startsWith('#')).map((l) => l.split(':'));
}

function findMember(): Member | undefined {
  const users = new Map(accounts('/etc/passwd').map((f) => [f[0]!, { uid: Number(f[2]), gid: Number(f[3]) }]));
  for (const [, , gidText, members] of accounts('/etc/group')) {
    for (const user of (members ?? '').split(',').filter(Boolean)) {
      const account = users.get(user);
      if (account !== undefined && account.uid !== 0 && account.gid !== Number(gidText)) {
        return { user, uid: account.uid, primaryGid: account.gid, gid: Number(gidText) };
      }
    }
  }
  return undefined;
}

/** An existing user with a supplementary group, else one made for the tests (root only). */
function memberOrReason(): Member | string {
  const found = findMember();
  if (found !== undefined) return found;
  if (process.getuid?.() !== 0) return 'no user with a supplementary group in /etc/group, and not root to make one';
  try {
    execFileSync('groupadd', ['--force', 'statevisor-test-extra'], { stdio: 'pipe' });
    execFileSync('useradd', ['--no-create-home', '--shell', '/usr/sbin/nologin', '--groups', 'statevisor-test-extra', 'statevisor-test'], { stdio: 'pipe' });
  } catch (error) {
    return `cannot make a test user with useradd/groupadd: ${(error as Error).message.split('\n')[0]}`;
  }
  return findMember() ?? 'useradd made no user with a supplementary group';
}

const member = memberOrReason();
const setpriv = findSetpriv();
// Running a process as another user needs root, whoever is in /etc/group.
const skip =
  (needsRoot && `${needsRoot}, to run a process as another user`) ||
  (typeof member === 'string' ? member : setpriv === undefined ? 'setpriv (util-linux) is not installed' : false);
const m = member as Member;

function status(pid: number): Record<string, string> {
  const lines = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n');
  return Object.fromEntries(lines.filter((l) => l.includes(':')).map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trim()]));
}

async function running(t: TestContext, h: DaemonHarness, name: string): Promise<number> {
  let pid = 0;
  await waitUntil(`${name} runs`, async () => {
    const { process: p } = await h.client.describeProcess(name);
    if (p.state === 'FAILED') throw new Error(`${name} failed: ${p.lastError}`);
    pid = p.state === 'RUNNING' ? p.pid : 0;
    return pid > 0;
  }, { timeoutMs: 30_000 });
  t.diagnostic(`${name}: pid ${pid}`);
  return pid;
}

async function assertRunsAs(pid: number, gid: number, what: string): Promise<void> {
  // RUNNING comes with the spawn; setpriv (and the cgroup wrapper) exec the program a moment
  // later, and until then /proc shows them (or, mid-exec, an empty cmdline). Judge the program.
  await waitUntil(`${what} has exec'd its program`, () => readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0] === 'sleep', { timeoutMs: 10_000 });
  const s = status(pid);
  assert.equal(s.Uid, `${m.uid}\t${m.uid}\t${m.uid}\t${m.uid}`, `${what}: real, effective, saved and fs uid are the user's`);
  assert.equal(s.Gid, `${gid}\t${gid}\t${gid}\t${gid}`, `${what}: the primary group`);
  assert.ok(s.Groups!.split(/\s+/).map(Number).includes(m.gid), `${what}: Groups "${s.Groups}" include the user's group ${m.gid}`);
  assert.ok(!s.Groups!.split(/\s+/).map(Number).includes(0), `${what}: nothing of root's groups`);
}

test('a process run as a user has the user’s supplementary groups, with and without the cgroup wrapper', { ...bounded, skip }, async (t) => {
  const h = await startTestDaemon();
  t.after(() => h.close());
  const base = { command: 'sleep', args: h.sleepArgs(), user: m.user, workingDir: '/tmp' };
  await h.client.createProcess({ ...base, name: 'plain', stop: { killMode: 'process-group' } }, { start: true });
  await h.client.createProcess({ ...base, name: 'wrapped', stop: { killMode: 'control-group' }, resources: { pids: 64 } }, { start: true });
  await assertRunsAs(await running(t, h, 'plain'), m.primaryGid, 'plain');
  const wrapped = await running(t, h, 'wrapped');
  await assertRunsAs(wrapped, m.primaryGid, 'wrapped');
  const enforcement = (await h.client.describeProcess('wrapped')).enforcement.find((e) => e.field === 'user');
  assert.equal(enforcement?.enforced, true);
  assert.match(enforcement!.detail, /with the user's supplementary groups \(initgroups through .*setpriv\)/);
});

test('with group: too, the primary group is that group and the supplementary groups are still the user’s', { ...bounded, skip }, async (t) => {
  const h = await startTestDaemon();
  t.after(() => h.close());
  await h.client.createProcess({ name: 'grouped', command: 'sleep', args: h.sleepArgs(), user: m.user, group: '65534', workingDir: '/tmp' }, { start: true });
  await assertRunsAs(await running(t, h, 'grouped'), 65534, 'grouped');
});

test('an exec health probe runs with the user’s supplementary groups too', { ...bounded, skip }, async (t) => {
  const h = await startTestDaemon();
  t.after(() => h.close());
  await h.client.createProcess(
    {
      name: 'probed',
      command: 'sleep',
      args: h.sleepArgs(),
      user: m.user,
      workingDir: '/tmp',
      healthCheck: { type: 'exec', command: 'sh', args: ['-c', `id -G | tr ' ' '\\n' | grep -qx ${m.gid}`], intervalMs: 100, timeoutMs: 5_000, failureThreshold: 1 },
    },
    { start: true },
  );
  await waitUntil('the probe finds the group', async () => {
    const { process: p } = await h.client.describeProcess('probed');
    if (p.health === 'UNHEALTHY') throw new Error(`the probe lacks group ${m.gid}: ${p.healthMessage}`);
    return p.health === 'HEALTHY';
  }, { timeoutMs: 30_000 });
});

test('a missing program run as a user fails its start as spawn would say it, not as setpriv’s exit 127', { ...bounded, skip }, async (t) => {
  const h = await startTestDaemon();
  t.after(() => h.close());
  await h.client.createProcess({ name: 'missing', command: 'no-such-program-statevisor', user: m.user, restart: { policy: 'no' } }, { start: true });
  await waitUntil('the start fails', async () => (await h.client.describeProcess('missing')).process.state === 'FAILED', { timeoutMs: 30_000 });
  assert.match((await h.client.describeProcess('missing')).process.lastError, /spawn no-such-program-statevisor ENOENT/);
});
