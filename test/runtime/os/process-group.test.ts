import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { chmodSync, cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { hasCode } from '../../../src/errors.js';
import { groupMembers, readProcStat } from '../../../src/runtime/os/proc-stat.js';
import {
  groupExists,
  liveGroupMembers,
  signalGroup,
  signalProcess,
  waitForGroupExit,
} from '../../../src/runtime/os/process-group.js';
import { Children, pollUntil, processesWithMarker, releaseZombie, zombieScript } from './children.js';
import { needsRoot } from '../../helpers/requirements.js';

const isInvalidArgument = (error: Error) => hasCode(error, 'E_INVALID_ARGUMENT');
const activeTimers = () => process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;
const forTheTest = () => AbortSignal.timeout(20_000);

/** A shell whose group holds it and two sleeps; the sleeps' pids come from its output. */
async function shellWithTwoSleeps(children: Children) {
  const [a, b] = [children.marker(), children.marker()];
  const { pid, output } = await children.shell(
    `sleep ${a} >/dev/null & echo $!; sleep ${b} >/dev/null & echo $!; wait`,
    2,
  );
  return { pgid: pid, members: [pid, ...output.map(Number)], markers: [a, b] };
}

describe('signalling and waiting on process groups', () => {
  const children = new Children();
  afterEach(() => children.cleanup());

  test('SIGKILL to a group reaches the grandchildren, and the wait resolves', async () => {
    const { pgid, members, markers } = await shellWithTwoSleeps(children);
    assert.equal(groupExists(pgid), true);
    assert.equal(signalGroup(pgid, 'SIGKILL'), true);
    await waitForGroupExit(pgid, { signal: forTheTest() });
    // Killed orphans may linger as zombies (see process-group.ts); none may still run.
    for (const pid of members) {
      const state = readProcStat(pid)?.state;
      assert.ok(state === undefined || state === 'Z', `pid ${pid} is in state ${state}`);
    }
    assert.deepEqual(liveGroupMembers(pgid), []);
    for (const marker of markers) assert.deepEqual(processesWithMarker(marker), []);
  });

  test('SIGTERM by name or number stops a group too', async () => {
    for (const signal of ['SIGTERM', 15] as const) {
      const { pgid } = await shellWithTwoSleeps(children);
      assert.equal(signalGroup(pgid, signal), true);
      await waitForGroupExit(pgid, { signal: forTheTest(), pollMs: 5 });
      assert.deepEqual(liveGroupMembers(pgid), []);
    }
  });

  test('signalProcess reaches one member and leaves the rest running', async () => {
    const { pgid, members } = await shellWithTwoSleeps(children);
    const [, victim, survivor] = members as [number, number, number];
    assert.equal(signalProcess(victim, 'SIGKILL'), true);
    await pollUntil(() => ['Z', undefined].includes(readProcStat(victim)?.state), `pid ${victim} has exited`);
    assert.equal(readProcStat(survivor)?.pgid, pgid);
    assert.ok(liveGroupMembers(pgid).includes(survivor));
    assert.ok(!liveGroupMembers(pgid).includes(victim));
  });

  test('a group whose only member is a zombie counts as gone, although the kernel still knows it', async () => {
    // setsid puts the child in a group of its own, so that group holds nothing but a zombie.
    const marker = children.marker();
    const { pid: parent, output, child } = await children.shell(zombieScript(marker, 'setsid'), 1);
    const zombie = Number(output[0]);
    await releaseZombie(parent, child);
    await pollUntil(() => readProcStat(zombie)?.state === 'Z', `pid ${zombie} is a zombie`);
    assert.equal(readProcStat(zombie)?.pgid, zombie, 'setsid gave the subshell its own group');
    assert.equal(groupExists(zombie), true);
    assert.deepEqual(groupMembers(zombie), [zombie]);
    assert.deepEqual(liveGroupMembers(zombie), []);
    await waitForGroupExit(zombie, { signal: forTheTest() });
  });

  test('a group that is gone: signals return false and the wait resolves at once', async () => {
    const { pid } = await children.sleep();
    await children.cleanup(); // kills and reaps it, so its group is empty
    assert.equal(groupExists(pid), false);
    assert.equal(signalGroup(pid, 'SIGTERM'), false);
    assert.equal(signalGroup(pid, 0), false);
    assert.equal(signalProcess(pid, 'SIGTERM'), false);
    await waitForGroupExit(pid, { signal: forTheTest() });
  });

  test('aborting the wait rejects with the reason and leaves no timer behind', async () => {
    const { pid } = await children.sleep();
    const controller = new AbortController();
    const timersBefore = activeTimers();
    const waiting = waitForGroupExit(pid, { signal: controller.signal });
    assert.equal(activeTimers(), timersBefore + 1, 'the wait polls on a timer');
    const reason = new Error('gave up waiting');
    controller.abort(reason);
    await assert.rejects(waiting, (error) => error === reason);
    assert.equal(activeTimers(), timersBefore);
    assert.equal(readProcStat(pid)?.pgid, pid, 'the group itself is untouched');
  });

  test('a wait with an already aborted signal rejects at once', async () => {
    const { pid } = await children.sleep();
    const reason = new Error('already cancelled');
    await assert.rejects(waitForGroupExit(pid, { signal: AbortSignal.abort(reason) }), (error) => error === reason);
  });

  test('group ids that would signal everything or ourselves are refused', async () => {
    const own = readProcStat(process.pid)?.pgid as number;
    for (const pgid of [0, 1, -1, -own, 2.5, Number.NaN]) {
      assert.throws(() => signalGroup(pgid, 'SIGTERM'), isInvalidArgument, `pgid ${pgid}`);
    }
    assert.throws(() => signalGroup(own, 0), /own group/);
    assert.throws(() => groupExists(1), isInvalidArgument);
    await assert.rejects(waitForGroupExit(0, { signal: forTheTest() }), isInvalidArgument);
    await assert.rejects(waitForGroupExit(own + 1, { signal: forTheTest(), pollMs: 0 }), /pollMs/);
    for (const pid of [0, -1, 1.5]) assert.throws(() => signalProcess(pid, 0), isInvalidArgument);
  });

  test('unknown signals are rejected before anything is sent', async () => {
    const { pid } = await children.sleep();
    assert.throws(() => signalGroup(pid, 'SIGNOPE' as NodeJS.Signals), /unknown signal 'SIGNOPE'/);
    assert.throws(() => signalProcess(pid, 99), isInvalidArgument);
    assert.throws(() => signalProcess(pid, -9), isInvalidArgument);
    assert.equal(readProcStat(pid)?.pid, pid, 'still running');
  });

  test('a signal the caller may not send is an error, not false', { skip: needsRoot && `${needsRoot}, to run a child as nobody` }, async (t) => {
    // An unprivileged child probes a root-owned sleep: kill(2) answers EPERM.
    const target = await children.sleep();
    // `nobody` cannot read a clone in a private directory (root's home, a 0700 mkdtemp): it
    // imports a copy of the compiled sources from a directory anyone may read.
    const readable = mkdtempSync(path.join(os.tmpdir(), 'statevisor-readable-'));
    chmodSync(readable, 0o755);
    t.after(() => rmSync(readable, { recursive: true, force: true }));
    cpSync(fileURLToPath(new URL('../../../src', import.meta.url)), path.join(readable, 'src'), { recursive: true });
    const module = path.join(readable, 'src', 'runtime', 'os', 'process-group.js');
    const script = `
      const { signalProcess, signalGroup } = await import(${JSON.stringify(module)});
      const attempt = (f) => { try { return { result: f() }; } catch (e) { return { code: e.code, message: e.message }; } };
      console.log(JSON.stringify([attempt(() => signalProcess(${target.pid}, 0)), attempt(() => signalGroup(${target.pid}, 0))]));
    `;
    const prober = await children.spawn(process.execPath, ['--input-type=module', '-e', script], {
      uid: 65534,
      gid: 65534,
    });
    let output = '';
    prober.stdout?.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    // 'close', not 'exit': only then has all of stdout arrived.
    await once(prober, 'close');
    const attempts = JSON.parse(output) as { code?: string; message?: string }[];
    for (const attempt of attempts) {
      assert.equal(attempt.code, 'E_INTERNAL');
      assert.match(attempt.message ?? '', new RegExp(`signal 0 to process (group )?${target.pid}: not permitted \\(EPERM\\)`));
    }
  });
});
