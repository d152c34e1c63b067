/**
 * The default kill mode. Where a cgroup can be made (this machine: root, cgroup v1 controllers
 * writable), every process gets one and a stop with the default kill mode reaches what left the
 * process group and the session; where none can be made the default is the process group, and
 * Describe says which applies and why. An explicit kill_mode is kept as the user set it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { StatevisorClient } from '../../src/client/index.js';
import { procState, sleepsWithMarker, survivorsOf, waitUntil } from '../helpers/leaks.js';
import { daemonFor, groupDirOf, hierarchies, living, runningPid, subtreeDir } from '../helpers/cgroups.js';
import { needsCgroupV1 } from '../helpers/requirements.js';

const stops = 50;
/** The default is control-group only where a cgroup can be made; the fixture reads v1 groups. */
const cgroupsV1 = needsCgroupV1(...hierarchies);

/** Two shapes of a child escaping its process group and session (issue 9, item 3). */
const escapes: Record<string, (marker: string) => string> = {
  'a setsid child beside a plain one': (marker) => `setsid sleep 3600.${marker} & sleep 3600.${marker} & wait`,
  'a double-forked setsid child': (marker) => `(setsid sleep 3600.${marker} &); exec sleep 3600.${marker}`,
};

async function enforcementOf(client: StatevisorClient, name: string) {
  const { enforcement, spec } = await client.describeProcess(name);
  return { spec, killMode: enforcement.find((e) => e.field === 'stop.kill_mode') };
}

for (const [shape, script] of Object.entries(escapes)) {
  test(`with the default kill mode, ${stops} stops of ${shape} leave no survivor`, { skip: cgroupsV1 }, async (t) => {
    // Regression: the default was process-group, and 50 of 50 stops left the setsid'd sleep running.
    const { h, client } = await daemonFor(t);
    await client.createProcess({ name: 'escaper', command: 'sh', args: ['-c', script(h.marker)], restart: { policy: 'no' } });
    let leaky = 0;
    for (let i = 0; i < stops; i += 1) {
      await client.startProcess('escaper');
      await waitUntil('both sleeps run', () => sleepsWithMarker(h.marker).length === 2);
      const stopped = await client.stopProcess('escaper');
      assert.equal(stopped.state, 'STOPPED');
      const left = await survivorsOf(h.marker);
      if (left.length === 0) continue;
      leaky += 1;
      for (const pid of left) process.kill(pid, 'SIGKILL');
      await waitUntil('the survivors are killed', () => living(h.marker).length === 0);
    }
    assert.equal(leaky, 0, `${leaky} of ${stops} stops left a survivor`);
  });
}

test('where a cgroup can be made, the default kill mode is control-group and every process gets a group', { skip: cgroupsV1 }, async (t) => {
  const { h, client } = await daemonFor(t);
  await client.createProcess({ name: 'plain', command: 'sleep', args: h.sleepArgs() }, { start: true });
  await client.createProcess({ name: 'explicit', command: 'sleep', args: h.sleepArgs(), stop: { killMode: 'process-group' } });

  const plain = await enforcementOf(client, 'plain');
  assert.equal(plain.spec?.stop?.killMode, undefined, 'unset stays unset in the spec');
  assert.equal(plain.killMode?.enforced, true, JSON.stringify(plain.killMode));
  assert.match(plain.killMode?.detail ?? '', /^control-group \(the default where a cgroup can be made\): /);

  const explicit = await enforcementOf(client, 'explicit');
  assert.equal(explicit.spec?.stop?.killMode, 'process-group', 'an explicit mode is kept');
  assert.match(explicit.killMode?.detail ?? '', /^process-group \(as set\): /);

  // A process without limits has a group all the same: that is what the stop signals.
  const pid = await runningPid(client, 'plain');
  const { id } = (await client.describeProcess('plain')).process;
  assert.equal(groupDirOf(pid, 'pids'), path.join(subtreeDir(h.stateDir, 'pids'), id));
  await client.stopProcess('plain');
  const state = procState(pid);
  assert.ok(state === undefined || state === 'Z', `plain is gone (state ${state})`);
});

test('where no cgroup can be made, the default kill mode is process-group and Describe says why', async (t) => {
  const emptyRoot = mkdtempSync(path.join(os.tmpdir(), 'statevisor-nocgroup-'));
  t.after(() => rmSync(emptyRoot, { recursive: true, force: true }));
  const { h, client } = await daemonFor(t, { cgroupRoot: emptyRoot });
  await client.createProcess({ name: 'plain', command: 'sleep', args: h.sleepArgs() }, { start: true });
  await client.createProcess({ name: 'asked', command: 'sleep', args: h.sleepArgs(), stop: { killMode: 'control-group' } });

  const plain = await enforcementOf(client, 'plain');
  assert.equal(plain.spec?.stop?.killMode, undefined);
  assert.equal(plain.killMode?.enforced, true, JSON.stringify(plain.killMode));
  assert.match(plain.killMode?.detail ?? '', /^process-group \(the default where no cgroup can be made: /);
  assert.match(plain.killMode?.detail ?? '', new RegExp(`no cgroup v1 pids hierarchy mounted under ${emptyRoot}`));

  const asked = await enforcementOf(client, 'asked');
  assert.equal(asked.killMode?.enforced, false, JSON.stringify(asked.killMode));
  assert.match(asked.killMode?.detail ?? '', /^control-group \(as set\), but no cgroup can be made here/);

  const pid = await runningPid(client, 'plain');
  assert.doesNotMatch(readFileSync(`/proc/${pid}/cgroup`, 'utf8'), /statevisor-/, 'no group, no wrapper');
  await client.stopProcess('plain');
});
