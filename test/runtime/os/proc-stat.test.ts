import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasCode } from '../../../src/errors.js';
import {
  descendants,
  groupMembers,
  isZombie,
  listProcesses,
  parseProcStat,
  processStartTime,
  readProcStat,
} from '../../../src/runtime/os/proc-stat.js';
import { Children, pollUntil, releaseZombie, zombieScript } from './children.js';

/** A stat line as the kernel writes it: 52 fields, field 22 the start time. */
function statLine(pid: number, comm: string, state: string, ppid: number, pgid: number, sid: number, start: number) {
  const middle = Array.from({ length: 15 }, (_, i) => String(i)); // fields 7..21
  const tail = Array.from({ length: 30 }, () => '0'); // fields 23..52
  return `${pid} (${comm}) ${state} ${ppid} ${pgid} ${sid} ${middle.join(' ')} ${start} ${tail.join(' ')}\n`;
}

// Beyond the largest pid_max Linux allows (2^22), so never a live process.
const impossiblePid = 2 ** 22 + 1;

describe('parseProcStat', () => {
  const comms = ['sleep', 'a b) c', 'a b) (c) d', ')', ') S 1 2 3', '(', '', 'x y z'];
  for (const comm of comms) {
    test(`reads comm '${comm}' and the fields after the last ')'`, () => {
      const stat = parseProcStat(statLine(4242, comm, 'S', 1, 4242, 4240, 987654));
      assert.deepEqual(stat, {
        pid: 4242,
        comm,
        state: 'S',
        ppid: 1,
        pgid: 4242,
        sid: 4240,
        startTimeTicks: 987654,
      });
    });
  }

  test('a line without a (comm) field is an E_INTERNAL error naming the source', () => {
    assert.throws(
      () => parseProcStat('4242 sleep S 1', '/proc/4242/stat'),
      (error: Error) => hasCode(error, 'E_INTERNAL') && error.message.includes('/proc/4242/stat'),
    );
  });

  test('a truncated line is an E_INTERNAL error naming the missing field', () => {
    assert.throws(
      () => parseProcStat('4242 (sleep) S 1 4242 4242 0', '/proc/4242/stat'),
      (error: Error) => hasCode(error, 'E_INTERNAL') && /field 22/.test(error.message),
    );
  });
});

describe('reading live processes', () => {
  const children = new Children();
  afterEach(() => children.cleanup());

  test('a detached child leads its own group and session, under this process', async () => {
    const { pid } = await children.sleep();
    const stat = readProcStat(pid);
    assert.ok(stat);
    assert.equal(stat.pid, pid);
    assert.equal(stat.comm, 'sleep');
    assert.ok(['R', 'S'].includes(stat.state), `state ${stat.state}`);
    assert.equal(stat.ppid, process.pid);
    assert.equal(stat.pgid, pid);
    assert.equal(stat.sid, pid);
  });

  test('a comm with spaces and parentheses is read whole', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'statevisor-os-'));
    try {
      // The kernel takes comm from the basename of the executed path, so a symlink names it.
      const name = 'a b) (c) d';
      await symlink('/usr/bin/sleep', join(dir, name));
      const child = await children.spawn(join(dir, name), [children.marker()]);
      const stat = readProcStat(child.pid);
      assert.equal(stat?.comm, name);
      assert.equal(stat?.ppid, process.pid);
      assert.equal(stat?.pgid, child.pid);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('the start time of a pid stays the same while it lives, and a later child starts no earlier', async () => {
    const first = await children.sleep();
    const start = processStartTime(first.pid);
    assert.ok(start !== undefined && start > 0);
    assert.equal(processStartTime(first.pid), start);
    assert.equal(readProcStat(first.pid)?.startTimeTicks, start);
    const second = await children.sleep();
    assert.ok((processStartTime(second.pid) ?? -1) >= start);
    assert.equal(processStartTime(first.pid), start);
  });

  test('a process that is gone reads as undefined, never as an error', async () => {
    assert.equal(readProcStat(impossiblePid), undefined);
    assert.equal(processStartTime(impossiblePid), undefined);
    assert.equal(isZombie(impossiblePid), false);
    const { pid } = await children.sleep();
    await children.cleanup(); // kills and reaps it
    assert.equal(readProcStat(pid), undefined);
    assert.equal(processStartTime(pid), undefined);
  });

  test('an exited child its parent has not reaped is a zombie', async () => {
    const marker = children.marker();
    const { pid: parent, output, child } = await children.shell(zombieScript(marker), 1);
    const zombie = Number(output[0]);
    await releaseZombie(parent, child);
    await pollUntil(() => isZombie(zombie), `pid ${zombie} is a zombie`);
    assert.equal(readProcStat(zombie)?.state, 'Z');
    assert.equal(readProcStat(zombie)?.ppid, parent);
    assert.equal(isZombie(parent), false);
  });

  test('listProcesses sees this process, pid 1 and a fresh child', async () => {
    const { pid } = await children.sleep();
    const pids = listProcesses();
    for (const expected of [1, process.pid, pid]) assert.ok(pids.includes(expected), `pid ${expected}`);
    assert.ok(pids.every((p) => Number.isSafeInteger(p) && p > 0));
  });

  test('groupMembers and descendants find a shell and the sleeps it forked', async () => {
    const [a, b] = [children.marker(), children.marker()];
    const shell = await children.shell(
      `sleep ${a} >/dev/null & echo $!; sleep ${b} >/dev/null & echo $!; wait`,
      2,
    );
    const forked = shell.output.map(Number);
    assert.deepEqual(groupMembers(shell.pid).sort(), [shell.pid, ...forked].sort());
    assert.deepEqual(descendants(shell.pid).sort(), [...forked].sort());
    assert.deepEqual(descendants(forked[0] as number), []);
    assert.ok(descendants(process.pid).includes(shell.pid));
    assert.ok(descendants(process.pid).includes(forked[1] as number));
    for (const pid of forked) {
      const stat = readProcStat(pid);
      assert.equal(stat?.ppid, shell.pid);
      assert.equal(stat?.pgid, shell.pid);
    }
  });

  test('a group that no longer exists has no members and a reaped pid no descendants', async () => {
    const { pid } = await children.sleep();
    await children.cleanup();
    assert.deepEqual(groupMembers(pid), []);
    assert.deepEqual(descendants(pid), []);
  });

  test('an id that is not a pid is rejected', () => {
    for (const bad of [0, -1, 1.5, Number.NaN]) {
      assert.throws(() => readProcStat(bad), (error: Error) => hasCode(error, 'E_INVALID_ARGUMENT'));
      assert.throws(() => groupMembers(bad), (error: Error) => hasCode(error, 'E_INVALID_ARGUMENT'));
    }
  });
});
