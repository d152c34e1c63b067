/**
 * Resource limits end to end: a real daemon, real children in real cgroup v1 groups, over gRPC.
 *
 * Each test starts its own daemon. Every child carries the harness marker in its argv, and the
 * cleanup of every test kills whatever still carries it and removes the daemon's cgroup subtree
 * (`statevisor-<hash of the state dir>` below the test process's own group in each hierarchy),
 * even when an assertion failed half-way.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isInvalidState } from '../../src/client/index.js';
import { procState, waitUntil } from '../helpers/leaks.js';
import { needsCgroupV1 } from '../helpers/requirements.js';
import {
  daemonFor,
  groupDirOf,
  type Fixture,
  isWrapper,
  hierarchies,
  living,
  procIds,
  readControl,
  runningPid,
  subtreeDir,
  watchAll,
} from '../helpers/cgroups.js';

const MiB = 1024 * 1024;
/** These run children in the real v1 groups of every hierarchy and read their control files. */
const cgroupsV1 = needsCgroupV1(...hierarchies);

test('a tree over resources.memory_bytes is OOM-killed by the kernel and reported as out of memory', { skip: cgroupsV1 }, async (t) => {
  const { h, client } = await daemonFor(t);
  const { seen } = await watchAll(h, (events) => events.some((e) => e.type === 'exited' && e.process?.name === 'hog'));
  // Buffer.alloc(…, 1) writes every page, so the memory is really charged; the marker is argv[1].
  // Capped at 1 GiB, so that a broken limit ends in a clean exit 0 rather than the machine's OOM.
  const hog = 'const keep = []; for (let i = 0; i < 128; i++) keep.push(Buffer.alloc(8 * 1024 * 1024, 1));';
  await client.createProcess(
    {
      name: 'hog',
      command: process.execPath,
      args: ['-e', hog, h.marker],
      resources: { memoryBytes: 64 * MiB },
      restart: { policy: 'no' },
    },
    { start: true },
  );
  await waitUntil('hog has ended', async () => ['FAILED', 'EXITED'].includes((await client.describeProcess('hog')).process.state), {
    timeoutMs: 20_000,
  });
  const { process: hogProcess, enforcement } = await client.describeProcess('hog');
  assert.equal(hogProcess.state, 'FAILED', `hog ended ${hogProcess.state}, exit code ${hogProcess.exitCode}`);
  assert.equal(hogProcess.signal, 'SIGKILL');
  assert.match(hogProcess.lastError, /out of memory/, `lastError: ${hogProcess.lastError}`);
  assert.match(hogProcess.lastError, new RegExp(`resources\\.memory_bytes ${64 * MiB}`));
  const memory = enforcement.find((e) => e.field === 'resources.memory_bytes');
  assert.equal(memory?.enforced, true, JSON.stringify(memory));
  assert.match(memory?.detail ?? '', /cgroup v1 memory\.limit_in_bytes/);

  const exited = (await seen).find((e) => e.type === 'exited' && e.process?.name === 'hog');
  assert.ok(exited, 'the watcher saw the exit');
  assert.match(exited.reason, /SIGKILL/);
  assert.match(exited.reason, /out of memory/, `exited reason: ${exited.reason}`);
  assert.deepEqual(living(h.marker), []);
});

test('resources.pids caps the tree: forks beyond the limit fail, and a stop leaves nothing', { skip: cgroupsV1 }, async (t) => {
  const { h, client } = await daemonFor(t);
  const sleep = `sleep 3600.${h.marker}`;
  // The inner shell forks 30 sleeps; dash gives up at the first fork the kernel refuses and exits.
  // The outer shell then execs a sleep itself (no fork needed), so the process keeps running.
  const inner = `i=0; while [ $i -lt 30 ]; do ${sleep} & i=$((i+1)); done; echo inner-done`;
  const script = `sh -c '${inner}'; echo "inner-exited $?"; exec ${sleep}`;
  await client.createProcess({ name: 'forker', command: 'sh', args: ['-c', script], resources: { pids: 10 } }, { start: true });

  const stdout = path.join(h.stateDir, 'logs', 'forker.stdout.log');
  const stderr = path.join(h.stateDir, 'logs', 'forker.stderr.log');
  const read = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8') : '');
  let most = 0;
  await waitUntil(
    'the inner shell has exited',
    () => {
      most = Math.max(most, living(h.marker).length);
      return /inner-exited \d+/.test(read(stdout));
    },
    { timeoutMs: 20_000, intervalMs: 5 },
  );
  await runningPid(client, 'forker');
  const after = living(h.marker);
  most = Math.max(most, after.length);
  assert.ok(most <= 10, `at most 10 marked processes at any time, saw ${most}`);
  assert.ok(after.length >= 5, `the sleeps that fit did start: ${after.length}`);
  assert.doesNotMatch(read(stdout), /inner-done/, 'the inner shell could not fork all 30');
  assert.match(read(stdout), /inner-exited [1-9]/);
  await waitUntil('the fork failure is logged', () => /fork/i.test(read(stderr)));

  const usage = await client.getResourceUsage('forker');
  assert.equal(usage.pidsLimit, 10);
  assert.ok(usage.pids <= 10, `usage pids ${usage.pids}`);
  assert.equal(usage.source, 'cgroup');

  await client.stopProcess('forker');
  await waitUntil('nothing marked is left', () => living(h.marker).length === 0, { timeoutMs: 10_000 });
});

test('UpdateProcess rewrites the live cgroup limits without a restart; dry run changes nothing', { skip: cgroupsV1 }, async (t) => {
  const { h, client } = await daemonFor(t);
  await client.createProcess(
    { name: 'live', command: 'sleep', args: h.sleepArgs(), resources: { memoryBytes: 256 * MiB } },
    { start: true },
  );
  const pid = await runningPid(client, 'live');
  const { process: before } = await client.describeProcess('live');
  const memoryDir = groupDirOf(pid, 'memory');
  const cpuDir = groupDirOf(pid, 'cpu');
  assert.equal(memoryDir, path.join(subtreeDir(h.stateDir, 'memory'), before.id), 'the process runs in its own group');
  const limitFile = path.join(memoryDir, 'memory.limit_in_bytes');
  assert.equal(readControl(limitFile), String(256 * MiB));

  const lowered = await client.updateProcess('live', { resources: { memoryBytes: 128 * MiB } }, { updateMask: ['resources.memory_bytes'] });
  assert.ok(lowered.updatedFields.includes('resources.memory_bytes'), `updated: ${lowered.updatedFields}`);
  assert.ok(!lowered.restartRequiredFields.includes('resources.memory_bytes'), `restart required: ${lowered.restartRequiredFields}`);
  assert.equal(lowered.processRestarted, false);
  assert.equal(readControl(limitFile), String(128 * MiB));

  const dry = await client.updateProcess(
    'live',
    { resources: { memoryBytes: 64 * MiB } },
    { updateMask: ['resources.memory_bytes'], dryRun: true },
  );
  assert.ok(dry.updatedFields.includes('resources.memory_bytes'), 'the dry run reports the change');
  assert.equal(readControl(limitFile), String(128 * MiB), 'a dry run leaves the cgroup alone');
  assert.equal((await client.describeProcess('live')).spec?.resources?.memoryBytes, 128 * MiB, 'and the spec');

  const throttled = await client.updateProcess('live', { resources: { cpuMillis: 250 } }, { updateMask: ['resources.cpu_millis'] });
  assert.ok(throttled.updatedFields.includes('resources.cpu_millis'), `updated: ${throttled.updatedFields}`);
  assert.deepEqual(throttled.restartRequiredFields, []);
  assert.equal(readControl(path.join(cpuDir, 'cpu.cfs_quota_us')), '25000');
  assert.equal(readControl(path.join(cpuDir, 'cpu.cfs_period_us')), '100000');
  assert.equal(readControl(limitFile), String(128 * MiB), 'a cpu update keeps the memory limit');

  const { process: after } = await client.describeProcess('live');
  assert.equal(after.pid, pid, 'same pid: not restarted');
  assert.equal(after.runCount, before.runCount);
  assert.equal(after.state, 'RUNNING');
  const usage = await client.getResourceUsage('live');
  assert.equal(usage.memoryLimitBytes, 128 * MiB);
  assert.equal(usage.cpuLimitMillis, 250);
});

test('a live limit the kernel refuses fails the update and changes nothing', { skip: cgroupsV1 }, async (t) => {
  const { h, client } = await daemonFor(t);
  // Holds about 100 MB: a 16 MiB limit cannot be set under it (EBUSY).
  const holder = `const held = Buffer.alloc(100e6, 1); setInterval(() => held[0]++, 1000); // ${h.marker}`;
  await client.createProcess(
    { name: 'holder', command: 'node', args: ['-e', holder, h.marker], resources: { memoryBytes: 512 * MiB } },
    { start: true },
  );
  const pid = await runningPid(client, 'holder');
  const limitFile = path.join(groupDirOf(pid, 'memory'), 'memory.limit_in_bytes');
  await waitUntil('the holder has its memory', async () => (await client.getResourceUsage('holder')).rssBytes > 90e6);
  await assert.rejects(
    client.updateProcess('holder', { resources: { memoryBytes: 16 * MiB } }, { updateMask: ['resources.memory_bytes'] }),
    /memory\.limit_in_bytes/,
  );
  assert.equal(readControl(limitFile), String(512 * MiB), 'the cgroup keeps its limit');
  assert.equal((await client.describeProcess('holder')).spec?.resources?.memoryBytes, 512 * MiB, 'and the spec is unchanged');
});

test('without a cgroup mechanism limits are reported not enforced, memory falls back to RLIMIT_AS, and the process runs', async (t) => {
  const emptyRoot = mkdtempSync(path.join(os.tmpdir(), 'statevisor-nocgroup-'));
  t.after(() => rmSync(emptyRoot, { recursive: true, force: true }));
  const { h, client } = await daemonFor(t, { cgroupRoot: emptyRoot });
  const { seen } = await watchAll(h, (events) => events.some((e) => e.type === 'created' && e.process?.name === 'bare'));
  const created = await client.createProcess(
    {
      name: 'bare',
      command: 'sleep',
      args: h.sleepArgs(),
      resources: { cpuMillis: 500, memoryBytes: 512 * MiB, pids: 20 },
      stop: { killMode: 'control-group' },
    },
    { start: true },
  );
  assert.equal(created.name, 'bare');
  const pid = await runningPid(client, 'bare');

  const { enforcement } = await client.describeProcess('bare');
  const byField = new Map(enforcement.map((e) => [e.field, e]));
  const cpu = byField.get('resources.cpu_millis');
  const pids = byField.get('resources.pids');
  const memory = byField.get('resources.memory_bytes');
  const killMode = byField.get('stop.kill_mode');
  assert.equal(cpu?.enforced, false, JSON.stringify(cpu));
  assert.match(cpu?.detail ?? '', /no cpu controller under .*cannot enforce/);
  assert.equal(pids?.enforced, false, JSON.stringify(pids));
  assert.match(pids?.detail ?? '', /no pids controller under .*cannot enforce/);
  assert.equal(memory?.enforced, true, JSON.stringify(memory));
  assert.match(memory?.detail ?? '', /RLIMIT_AS/);
  assert.match(memory?.detail ?? '', /ulimit -v/);
  assert.equal(killMode?.enforced, false, JSON.stringify(killMode));

  const event = (await seen).find((e) => e.type === 'created' && e.process?.name === 'bare');
  assert.ok(event, 'the watcher saw the creation');
  const note = event.reason.slice(event.reason.indexOf('; not enforced: '));
  assert.ok(event.reason.includes('; not enforced: '), `created reason: ${event.reason}`);
  assert.match(note, /resources\.pids \(/);
  assert.match(note, /resources\.cpu_millis \(/);
  assert.doesNotMatch(note, /resources\.memory_bytes/, 'memory is enforced, by the rlimit');

  // The rlimit really is in force on the running program, and it is in no group of ours.
  const limits = readFileSync(`/proc/${pid}/limits`, 'utf8');
  const addressSpace = /^Max address space\s+(\S+)\s+(\S+)/m.exec(limits);
  assert.equal(addressSpace?.[1], String(512 * MiB), limits);
  assert.doesNotMatch(readFileSync(`/proc/${pid}/cgroup`, 'utf8'), /statevisor-/);
  assert.equal((await client.getResourceUsage('bare')).source, 'proc');
});

test('GetResourceUsage measures the whole tree, from the cgroup or from /proc; list shows sampled usage', { skip: cgroupsV1 }, async (t) => {
  // Every process gets a cgroup where one can be made: /proc is measured by a daemon that cannot.
  const emptyRoot = mkdtempSync(path.join(os.tmpdir(), 'statevisor-nocgroup-'));
  t.after(() => rmSync(emptyRoot, { recursive: true, force: true }));
  const grouping = await daemonFor(t, { usageIntervalMs: 200 });
  const plainDaemon = await daemonFor(t, { usageIntervalMs: 200, cgroupRoot: emptyRoot });

  const measure = async ({ h, client }: Fixture, name: string, source: 'cgroup' | 'proc') => {
    const sleep = `sleep 3600.${h.marker}`;
    // Two sleeping children and a busy main shell (`:` is a builtin: the loop never forks).
    const script = `${sleep} & ${sleep} & while :; do :; done`;
    const resources = source === 'cgroup' ? { pids: 100 } : {};
    await client.createProcess({ name, command: 'sh', args: ['-c', script], resources }, { start: true });
    await runningPid(client, name);
    await waitUntil(`${name}'s children run`, () => living(h.marker).length >= 3);
    const first = await client.getResourceUsage(name);
    assert.equal(first.source, source);
    assert.ok(first.pids >= 3, `pids ${first.pids}`);
    assert.ok(first.rssBytes > 0, `rss ${first.rssBytes}`);
    assert.ok(first.fds > 0, `fds ${first.fds}`);
    await waitUntil(`${name}'s CPU time grows`, async () => (await client.getResourceUsage(name)).cpuUserUs > first.cpuUserUs);
    await waitUntil(`a sample of ${name} reaches the list`, async () => {
      const listed = (await client.listProcesses()).find((p) => p.name === name);
      return (listed?.memoryBytes ?? 0) > 0 && (listed?.cpuPercent ?? 0) > 0;
    });
    return first;
  };
  const stop = async ({ h, client }: Fixture, name: string) => {
    await client.stopProcess(name);
    await waitUntil(`${name} is gone`, () => living(h.marker).length === 0);
    await assert.rejects(client.getResourceUsage(name), (e) => isInvalidState(e), 'a stopped process has no usage');
  };

  const grouped = await measure(grouping, 'grouped', 'cgroup');
  assert.equal(grouped.pidsLimit, 100);
  assert.ok(grouped.cgroupMemoryBytes > 0, `cgroup memory ${grouped.cgroupMemoryBytes}`);
  assert.deepEqual(
    grouped.limits.map((l) => [l.field, l.enforced]),
    [['resources.pids', true]],
  );
  await stop(grouping, 'grouped');

  const plain = await measure(plainDaemon, 'plain', 'proc');
  assert.equal(plain.cgroupMemoryBytes, 0);
  assert.equal(plain.pidsLimit, 0);
  await stop(plainDaemon, 'plain');
});

/** A script whose child escapes both the process group and the session of the main process. */
const escapingScript = (marker: string) => `setsid sleep 3600.${marker} & echo started; wait`;

/** The marked process that is not in the session of `main`, once there is one. */
async function escapee(marker: string, main: number): Promise<number> {
  const mainIds = procIds(main);
  assert.ok(mainIds, 'the main process runs');
  let found: number | undefined;
  await waitUntil('the child has escaped into its own session', () => {
    found = living(marker).find((pid) => pid !== main && procIds(pid)?.session === pid);
    return found !== undefined;
  });
  const ids = procIds(found!);
  assert.notEqual(ids?.session, mainIds.session);
  assert.notEqual(ids?.pgrp, mainIds.pgrp);
  return found!;
}

test('kill_mode control-group stops a child that left the process group and the session', { skip: cgroupsV1 }, async (t) => {
  const { h, client } = await daemonFor(t);
  await client.createProcess(
    { name: 'escaper', command: 'sh', args: ['-c', escapingScript(h.marker)], stop: { killMode: 'control-group' } },
    { start: true },
  );
  const main = await runningPid(client, 'escaper');
  const escaped = await escapee(h.marker, main);
  const { process: escaper, enforcement } = await client.describeProcess('escaper');
  assert.equal(enforcement.find((e) => e.field === 'stop.kill_mode')?.enforced, true);
  assert.equal(groupDirOf(escaped, 'pids'), path.join(subtreeDir(h.stateDir, 'pids'), escaper.id), 'the escapee is still a member');

  const stopped = await client.stopProcess('escaper');
  assert.equal(stopped.state, 'STOPPED');
  const state = procState(escaped);
  assert.ok(state === undefined || state === 'Z', `the escapee is gone (state ${state})`);
  assert.deepEqual(living(h.marker), [], 'nothing marked survived the stop');
});

test('kill_mode process-group (for contrast) leaves a child that escaped its session running', { skip: cgroupsV1 }, async (t) => {
  let escaped: number | undefined;
  const killEscapee = () => {
    if (escaped !== undefined && procState(escaped) !== undefined) process.kill(escaped, 'SIGKILL');
  };
  // The survivor is expected here: kill it before the harness checks for leftovers.
  const { h, client } = await daemonFor(t, {}, killEscapee);
  await client.createProcess(
    { name: 'leaky', command: 'sh', args: ['-c', escapingScript(h.marker)], stop: { killMode: 'process-group' } },
    { start: true },
  );
  const main = await runningPid(client, 'leaky');
  escaped = await escapee(h.marker, main);
  await client.stopProcess('leaky');
  assert.equal(procState(main), undefined, 'the main process is gone');
  assert.deepEqual(living(h.marker), [escaped], 'only the escapee survived: the process group could not reach it');
  killEscapee();
  await waitUntil('the escapee is killed', () => living(h.marker).length === 0);
});

test('a limited process’s cgroup is removed after its run, and the daemon’s subtree on daemon stop', { skip: cgroupsV1 }, async (t) => {
  const { h, client, close } = await daemonFor(t);
  await client.createProcess({ name: 'tidy', command: 'sleep', args: h.sleepArgs(), resources: { pids: 50 } }, { start: true });
  const pid = await runningPid(client, 'tidy');
  const { id } = (await client.describeProcess('tidy')).process;
  const groups = hierarchies.map((hierarchy) => path.join(subtreeDir(h.stateDir, hierarchy), id));
  for (const dir of groups) assert.ok(existsSync(path.join(dir, 'cgroup.procs')), `${dir} exists while it runs`);
  assert.equal(groupDirOf(pid, 'pids'), groups[1]);
  assert.equal(readControl(path.join(groups[1]!, 'pids.max')), '50');

  await client.stopProcess('tidy');
  await waitUntil('the groups of the run are removed', () => groups.every((dir) => !existsSync(dir)), { timeoutMs: 5_000 });

  // A new run gets a new group; stopping the daemon with it running removes the whole subtree.
  await client.startProcess('tidy');
  const second = await runningPid(client, 'tidy');
  assert.equal(groupDirOf(second, 'pids'), groups[1]);
  const subtrees = hierarchies.map((hierarchy) => subtreeDir(h.stateDir, hierarchy));
  for (const dir of subtrees) assert.ok(existsSync(dir), `${dir} exists while the daemon runs`);
  await close();
  for (const dir of subtrees) assert.equal(existsSync(dir), false, `${dir} is removed on daemon stop`);
  assert.deepEqual(living(h.marker), []);
});

test('a limited process is RUNNING only once the wrapper has exec’d it inside its group', { skip: cgroupsV1 }, async (t) => {
  const { h, client } = await daemonFor(t);
  for (let i = 0; i < 5; i += 1) {
    const name = `quick-${i}`;
    // Through the API directly: no polling in between the start and the first look.
    const started = await client.createProcess({ name, command: 'sleep', args: h.sleepArgs(), resources: { pids: 20 } }, { start: true });
    let p = started;
    while (p.state !== 'RUNNING') p = (await client.describeProcess(name)).process;
    assert.equal(isWrapper(p.pid), false, `${name}: RUNNING while pid ${p.pid} was still the wrapper`);
    assert.equal(groupDirOf(p.pid, 'pids'), path.join(subtreeDir(h.stateDir, 'pids'), p.id), 'and it runs in its group');
  }
});
