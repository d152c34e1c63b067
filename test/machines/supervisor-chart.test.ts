/**
 * The supervisor chart on its own, on a SimulatedClock with scripted process hooks: which events
 * spawn a process actor, purge, the facts it keeps and re-emits, and what shutdown reports.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { createActor, fromPromise, SimulatedClock } from 'xstate';
import { processMachine } from '../../src/machines/process.machine.js';
import { supervisorMachine, type SupervisorEmitted } from '../../src/machines/supervisor.machine.js';
import type { HookOutput, SyncInput, SyncOutput, TerminatedInput } from '../../src/machines/process-types.js';
import { flush, untilAborted } from '../helpers/simulated-manager.js';

interface Script {
  sync?: (signal: AbortSignal) => Promise<SyncOutput>;
  terminated?: (signal: AbortSignal) => Promise<HookOutput>;
}

function supervisor(t: TestContext, script: (clock: SimulatedClock) => Script = () => ({})) {
  const clock = new SimulatedClock();
  const hooks = script(clock);
  const machine = supervisorMachine.provide({
    actors: {
      process: processMachine.provide({
        actors: {
          syncProcess: fromPromise<SyncOutput, SyncInput>(async ({ signal }) => (hooks.sync ? hooks.sync(signal) : { terminal: false, at: clock.now() })),
          syncTerminatingProcess: fromPromise(async () => ({ at: clock.now() })),
          syncTerminatedProcess: fromPromise<HookOutput, TerminatedInput>(async ({ signal }) =>
            hooks.terminated ? hooks.terminated(signal) : { at: clock.now() },
          ),
        },
      }),
    },
  });
  const actor = createActor(machine, { clock, input: { seed: 7 } });
  const emitted: SupervisorEmitted[] = [];
  actor.on('*', (fact: SupervisorEmitted) => emitted.push(fact));
  actor.start();
  t.after(() => actor.stop());
  return {
    clock,
    actor,
    emitted,
    async advance(ms = 0) {
      clock.increment(ms);
      await flush();
    },
    child: (id: string) => actor.getSnapshot().children[id],
    create(id: string) {
      actor.send({ type: 'process.send', id, event: { type: 'update', updateType: 'create', config: id } });
    },
  };
}

test('the supervisor chart is exported under its own id', () => {
  assert.equal(supervisorMachine.toJSON().id, 'supervisor');
});

test('a start for an unknown process spawns it, as an update does; a terminate spawns nothing', async (t) => {
  const s = supervisor(t);
  s.actor.send({ type: 'process.send', id: 'started', event: { type: 'start', config: 'c' } });
  s.actor.send({ type: 'process.send', id: 'ghost', event: { type: 'terminate' } });
  await s.advance();
  assert.ok(s.child('started')?.getSnapshot().matches('syncing'));
  assert.equal(s.child('ghost'), undefined);
});

test('each process gets its own jitter seed, so processes crashing together restart apart', async (t) => {
  const s = supervisor(t);
  s.create('a');
  s.create('b');
  await s.advance();
  const seedOf = (id: string) => (s.child(id)?.getSnapshot() as { context: { seed: number } }).context.seed;
  assert.notEqual(seedOf('a'), seedOf('b'));
});

test('a purged process is forgotten at once: its hook is cancelled and shutdown does not wait for it', async (t) => {
  const signals: AbortSignal[] = [];
  const s = supervisor(t, () => ({
    sync: (signal) => {
      signals.push(signal);
      return untilAborted(signal);
    },
  }));
  s.create('p');
  await s.advance();
  assert.equal(signals.length, 1);
  s.actor.send({ type: 'process.purge', id: 'p' });
  await s.advance();
  assert.equal(s.child('p'), undefined);
  assert.equal(signals[0]?.aborted, true);
  s.actor.send({ type: 'shutdown', deadlineMs: 10_000 });
  await s.advance();
  assert.equal(s.actor.getSnapshot().status, 'done');
  assert.deepEqual(s.actor.getSnapshot().output, { deadlineExceeded: false, pending: [] });
});

test('a fact of a process the supervisor does not have counts for nothing: shutdown completes at once', async (t) => {
  const s = supervisor(t);
  s.actor.send({ type: 'phase.changed', id: 'late', from: null, phase: 'starting', reason: 'run 1' });
  s.actor.send({ type: 'shutdown', deadlineMs: 10_000 });
  await s.advance();
  assert.equal(s.actor.getSnapshot().status, 'done');
  assert.deepEqual(s.actor.getSnapshot().output, { deadlineExceeded: false, pending: [] });
  assert.deepEqual(s.emitted.at(-1), { type: 'supervisor.stopped', deadlineExceeded: false, pending: [] });
});

test('a shutdown past its deadline names the processes still stopping, sorted', async (t) => {
  // The stop hooks are cut short by the grace period shutdown gives them; the cleanup hooks hang.
  const s = supervisor(t, () => ({ terminated: (signal) => untilAborted(signal) }));
  s.create('b');
  s.create('a');
  await s.advance();
  s.actor.send({ type: 'shutdown', deadlineMs: 5_000 });
  await s.advance(4_999);
  assert.equal(s.actor.getSnapshot().status, 'active');
  await s.advance(1);
  assert.deepEqual(s.actor.getSnapshot().output, { deadlineExceeded: true, pending: ['a', 'b'] });
  assert.deepEqual(s.emitted.at(-1), { type: 'supervisor.stopped', deadlineExceeded: true, pending: ['a', 'b'] });
});

test('the supervisor re-emits the facts of its processes, the end of a run included', async (t) => {
  const s = supervisor(t);
  s.create('a');
  await s.advance();
  s.actor.send({ type: 'process.send', id: 'a', event: { type: 'terminate' } });
  await s.advance();
  const ended = s.emitted.filter((f) => f.type === 'run.ended');
  assert.deepEqual(ended, [{ type: 'run.ended', id: 'a', outcome: 'stopped', reason: 'stopped on request (requested)' }]);
});
