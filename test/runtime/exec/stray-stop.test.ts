/**
 * stopStray on a SimulatedClock with a scripted /proc: every signal is aimed by an identity
 * re-read just before it is sent, the delayed SIGKILL included (issue 9, item 4: it re-targeted
 * the process group after 5 s without looking, so a reused pid could be killed).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SimulatedClock } from 'xstate';
import { stopStray, strayPollMs, type ProcessIdentity, type Stray } from '../../../src/runtime/exec/stray-stop.js';

interface Sent {
  readonly id: number;
  readonly signal: string;
  readonly group: boolean;
}

/** A scripted process table: what identityOf answers, changed by the test as time goes. */
function rig(table: Map<number, ProcessIdentity>) {
  const clock = new SimulatedClock();
  const sent: Sent[] = [];
  const logs: { fields: Record<string, unknown>; message: string }[] = [];
  const effects = {
    identityOf: (pid: number) => table.get(pid),
    kill: (id: number, signal: NodeJS.Signals, group: boolean) => void sent.push({ id, signal, group }),
    clock,
    log: (fields: Record<string, unknown>, message: string) => void logs.push({ fields, message }),
  };
  return { clock, sent, logs, effects };
}

const leader: ProcessIdentity = { pid: 4100, startTime: 500, pgid: 4100 };
const stray = (members: ProcessIdentity[]): Stray => ({
  processId: '0b6f2a43-9a51-4d55-8f1c-0c5f1f0d2a11',
  name: 'web',
  reason: 'its process ended while the daemon was down',
  members,
  signal: 'SIGTERM',
  graceMs: 1_000,
});

/** Lets the stop's pending timers and promise callbacks run after a clock step. */
async function advance(clock: SimulatedClock, ms: number): Promise<void> {
  for (let t = 0; t < ms; t += strayPollMs) {
    clock.increment(strayPollMs);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

test('the delayed SIGKILL is not sent to a pid whose start time changed', async () => {
  // The leader ignores SIGTERM; a session it started ends, and its pid goes to someone else.
  const session: ProcessIdentity = { pid: 4102, startTime: 502, pgid: 4102 };
  const table = new Map([leader, session].map((m) => [m.pid, m]));
  const { clock, sent, logs, effects } = rig(table);
  const done = stopStray(stray([leader, session]), effects);
  assert.deepEqual(sent, [
    { id: 4100, signal: 'SIGTERM', group: true },
    { id: 4102, signal: 'SIGTERM', group: true },
  ]);
  await advance(clock, 500);
  table.set(session.pid, { pid: session.pid, startTime: 900, pgid: session.pid });
  await advance(clock, 550);
  assert.deepEqual(sent.slice(2), [{ id: 4100, signal: 'SIGKILL', group: true }], 'SIGKILL for the leader only, not the new owner of 4102');
  table.delete(leader.pid);
  await advance(clock, strayPollMs);
  assert.deepEqual(await done, { signalled: [4100, 4102], killed: [4100], reused: [4102] });
  assert.ok(logs.some((l) => l.fields.pid === 4102 && /another process/.test(l.message)), JSON.stringify(logs));
});

test('a stray whose pid is reused during its grace period counts as gone: no SIGKILL', async () => {
  const table = new Map([[leader.pid, leader]]);
  const { clock, sent, effects } = rig(table);
  const done = stopStray(stray([leader]), effects);
  await advance(clock, 500);
  table.set(leader.pid, { pid: leader.pid, startTime: 900, pgid: leader.pid });
  await advance(clock, 1_000);
  assert.deepEqual(await done, { signalled: [4100], killed: [], reused: [4100] });
  assert.deepEqual(sent, [{ id: 4100, signal: 'SIGTERM', group: true }], 'no SIGKILL reached the new owner of the pid');
});

test('a stray that ignores the stop signal gets SIGKILL at the end of its grace period, logged', async () => {
  const table = new Map([[leader.pid, leader]]);
  const { clock, sent, logs, effects } = rig(table);
  const done = stopStray(stray([leader]), effects);
  await advance(clock, 950);
  assert.equal(sent.length, 1, 'nothing more before the grace period ends');
  await advance(clock, 100);
  assert.deepEqual(sent.at(-1), { id: 4100, signal: 'SIGKILL', group: true });
  table.delete(leader.pid);
  await advance(clock, strayPollMs);
  assert.deepEqual(await done, { signalled: [4100], killed: [4100], reused: [] });
  const kills = logs.filter((l) => l.message === 'recovery: stopping a stray');
  assert.deepEqual(
    kills.map((l) => [l.fields.pid, l.fields.signal, l.fields.process, l.fields.reason]),
    [
      [4100, 'SIGTERM', 'web', 'its process ended while the daemon was down'],
      [4100, 'SIGKILL', 'web', 'its process ended while the daemon was down'],
    ],
  );
});

test('a pid reused before the first signal gets none at all', async () => {
  const { sent, effects } = rig(new Map([[leader.pid, { ...leader, startTime: 777 }]]));
  assert.deepEqual(await stopStray(stray([leader]), effects), { signalled: [], killed: [], reused: [4100] });
  assert.deepEqual(sent, []);
});

test('a stray gone within its grace period gets no SIGKILL', async () => {
  const table = new Map([[leader.pid, leader]]);
  const { clock, sent, effects } = rig(table);
  const done = stopStray(stray([leader]), effects);
  table.delete(leader.pid);
  await advance(clock, strayPollMs);
  assert.deepEqual(await done, { signalled: [4100], killed: [], reused: [] });
  assert.deepEqual(sent, [{ id: 4100, signal: 'SIGTERM', group: true }]);
});

test('a member that left the leader\'s group is signalled by pid; one still in it only through the group', async () => {
  const inGroup: ProcessIdentity = { pid: 4101, startTime: 501, pgid: 4100 };
  const escaped: ProcessIdentity = { pid: 4102, startTime: 502, pgid: 4102 };
  const orphan: ProcessIdentity = { pid: 4103, startTime: 503, pgid: 3999 };
  const table = new Map([leader, inGroup, escaped, orphan].map((m) => [m.pid, m]));
  const { sent, effects } = rig(table);
  void stopStray(stray([leader, inGroup, escaped, orphan]), effects);
  assert.deepEqual(sent, [
    { id: 4100, signal: 'SIGTERM', group: true },
    { id: 4102, signal: 'SIGTERM', group: true },
    { id: 4103, signal: 'SIGTERM', group: false },
  ]);
  for (const pid of table.keys()) table.delete(pid);
});
