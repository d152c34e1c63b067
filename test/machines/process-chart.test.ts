import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createActor, fromPromise, SimulatedClock } from 'xstate';
import { processMachine } from '../../src/machines/process.machine.js';
import { supervisorMachine } from '../../src/machines/supervisor.machine.js';
import type { Phase, ProcessFact, SyncInput, SyncOutput } from '../../src/machines/process-types.js';
import { flush } from '../helpers/simulated-manager.js';

/** Hooks that succeed at once, stamped by the clock; `sync` gives the sync hook's answer. */
function quietHooks(clock: SimulatedClock, sync: () => SyncOutput = () => ({ terminal: false, at: clock.now() })) {
  return processMachine.provide({
    actors: {
      syncProcess: fromPromise<SyncOutput, SyncInput>(async () => sync()),
      syncTerminatingProcess: fromPromise(async () => ({ at: clock.now() })),
      syncTerminatedProcess: fromPromise(async () => ({ at: clock.now() })),
    },
  });
}

test('the chart exports its five phases in order, with named delays and guards', () => {
  const json = processMachine.toJSON() as { states: Record<string, unknown> };
  assert.deepEqual(Object.keys(json.states), ['starting', 'syncing', 'terminating', 'terminated', 'finished']);
  const text = JSON.stringify(json);
  for (const delay of ['resyncInterval', 'retryBackoff', 'gracePeriod', 'restartDelay', 'queueDelay']) {
    assert.ok(text.includes(`"delay":"${delay}"`), `delay ${delay} is not named in the chart`);
  }
  for (const guard of ['isTerminal', 'hasPending', 'wasCancelled', 'shortensGrace']) {
    assert.ok(text.includes(guard), `guard ${guard} is not named in the chart`);
  }
  for (const src of ['syncProcess', 'syncTerminatingProcess', 'syncTerminatedProcess']) {
    assert.ok(text.includes(`"src":"${src}"`), `hook ${src} is not an invoked actor`);
  }
});

test('the supervisor chart shuts down through a named deadline', () => {
  const text = JSON.stringify(supervisorMachine.toJSON());
  assert.ok(text.includes('"delay":"shutdownDeadline"'));
});

test('a terminal first sync goes from starting straight to terminating, then to finished', async () => {
  const clock = new SimulatedClock();
  const machine = processMachine.provide({
    actors: {
      syncProcess: fromPromise<SyncOutput, SyncInput>(async () => ({ terminal: true, at: clock.now() })),
      syncTerminatingProcess: fromPromise(async () => ({ at: clock.now() })),
      syncTerminatedProcess: fromPromise(async () => ({ at: clock.now() })),
    },
  });
  const actor = createActor(machine, { clock, input: { id: 'solo' } });
  const phases: Phase[] = [];
  actor.on('phase.changed', (fact: ProcessFact) => {
    if (fact.type === 'phase.changed') phases.push(fact.phase);
  });
  actor.start();
  clock.increment(0);
  await flush();
  assert.deepEqual(phases, ['starting', 'terminating', 'terminated', 'finished']);
  const { context } = actor.getSnapshot();
  assert.equal(context.outcome, 'exited');
  actor.stop();
});

test('with restart policy always, a terminal sync loops back to starting after the named restart delay', async () => {
  const clock = new SimulatedClock();
  let syncs = 0;
  const machine = processMachine.provide({
    actors: {
      syncProcess: fromPromise(async () => {
        syncs += 1;
        return { terminal: syncs < 3, at: clock.now() };
      }),
      syncTerminatingProcess: fromPromise(async () => ({ at: clock.now() })),
      syncTerminatedProcess: fromPromise(async () => ({ at: clock.now() })),
    },
  });
  const actor = createActor(machine, {
    clock,
    input: { id: 'looping', restart: { policy: 'always', delayMs: 1_000, startLimitBurst: 0 } },
  });
  actor.start();
  clock.increment(0);
  await flush();
  assert.deepEqual(actor.getSnapshot().value, { terminated: 'restartDelay' });
  assert.ok(actor.getSnapshot().hasTag('queued'));
  for (const expectedSyncs of [2, 3]) {
    const decision = actor.getSnapshot().context.decision;
    assert.ok(decision?.restart);
    // Jitter takes up to 10% off; a success keeps the streak at 0, so each wait is the plain delay.
    assert.ok(decision.delayMs >= 900 && decision.delayMs <= 1_000, `delay ${decision.delayMs}`);
    clock.increment(decision.delayMs - 1);
    await flush();
    assert.equal(syncs, expectedSyncs - 1, 'restarted before its delay');
    clock.increment(1);
    await flush();
    assert.equal(syncs, expectedSyncs);
  }
  assert.deepEqual(actor.getSnapshot().value, { syncing: { sync: 'resyncInterval', health: 'off' } });
  assert.equal(actor.getSnapshot().context.restartCount, 2);
  assert.equal(actor.getSnapshot().context.runCount, 3);
  actor.stop();
});

test('a workload that exits by itself goes through terminating and terminated to the restart guard', async () => {
  const clock = new SimulatedClock();
  const hooks: string[] = [];
  const machine = processMachine.provide({
    actors: {
      syncProcess: fromPromise<SyncOutput, SyncInput>(async () => ({ terminal: false, at: clock.now() })),
      syncTerminatingProcess: fromPromise(async ({ input }) => {
        hooks.push(`terminating:${input.reason}`);
        return { at: clock.now() };
      }),
      syncTerminatedProcess: fromPromise(async ({ input }) => {
        hooks.push(`terminated:${input.exit?.exitCode}`);
        return { at: clock.now() };
      }),
    },
  });
  const actor = createActor(machine, { clock, input: { id: 'crasher', restart: { policy: 'no' } } });
  actor.start();
  clock.increment(0);
  await flush();
  clock.increment(5_000);
  actor.send({ type: 'workload.exited', exitCode: 2, signal: null, at: clock.now() });
  await flush();
  assert.deepEqual(hooks, ['terminating:exited', 'terminated:2']);
  assert.equal(actor.getSnapshot().value, 'finished');
  assert.equal(actor.getSnapshot().context.outcome, 'failed');
  assert.match(actor.getSnapshot().context.decision?.reason ?? '', /exited with code 2; restart policy 'no'/);
  actor.stop();
});

test('a start failure ends the run as failed with the OS error, and follows the restart policy', async () => {
  const clock = new SimulatedClock();
  let attempts = 0;
  const machine = processMachine.provide({
    actors: {
      syncProcess: fromPromise<SyncOutput, SyncInput>(async () => {
        attempts += 1;
        throw Object.assign(new Error("spawn /no/such/binary ENOENT"), { code: 'E_START_FAILED', at: clock.now() });
      }),
      syncTerminatingProcess: fromPromise(async () => ({ at: clock.now() })),
      syncTerminatedProcess: fromPromise(async () => ({ at: clock.now() })),
    },
  });
  const actor = createActor(machine, {
    clock,
    input: { id: 'missing', restart: { policy: 'on-failure', delayMs: 100, startLimitBurst: 3, startLimitIntervalMs: 60_000 } },
  });
  actor.start();
  clock.increment(0);
  await flush();
  for (let i = 0; i < 5; i += 1) {
    clock.increment(1_000);
    await flush();
  }
  const { context, value } = actor.getSnapshot();
  assert.equal(value, 'finished');
  assert.equal(attempts, 3, 'the start limit stopped the retries');
  assert.equal(context.outcome, 'failed');
  assert.equal(context.lastError, 'spawn /no/such/binary ENOENT');
  assert.match(context.decision?.reason ?? '', /failed to start: spawn \/no\/such\/binary ENOENT; start limit reached/);
  actor.stop();
});

test('reconfigure changes the restart policy of a live process for its next decision', async () => {
  const clock = new SimulatedClock();
  const machine = quietHooks(clock);
  const actor = createActor(machine, { clock, input: { id: 'hot', restart: { policy: 'no' } } });
  actor.start();
  clock.increment(0);
  await flush();
  actor.send({ type: 'reconfigure', settings: { restart: { policy: 'always', delayMs: 0 }, defaultGracePeriodSecs: 7 } });
  actor.send({ type: 'workload.exited', exitCode: 1, signal: null, at: clock.now() });
  await flush();
  const { context, value } = actor.getSnapshot();
  assert.deepEqual(value, { syncing: { sync: 'resyncInterval', health: 'off' } }, 'restarted at once under the new policy');
  assert.equal(context.restartCount, 1);
  assert.equal(context.defaultGracePeriodSecs, 7);
  actor.stop();
});

test('a workload that exited by itself enters terminating saying how it exited, not with a grace period', async () => {
  // Regression: `RUNNING → STOPPING (exited, grace period 10 s)` for a process that had already exited.
  const clock = new SimulatedClock();
  const machine = quietHooks(clock);
  const reasons = async (exit: { exitCode: number | null; signal: string | null; cause?: string } | 'stop') => {
    const actor = createActor(machine, { clock, input: { id: 'ender', restart: { policy: 'no' }, defaultGracePeriodSecs: 10 } });
    const seen: string[] = [];
    actor.on('phase.changed', (fact: ProcessFact) => {
      if (fact.type === 'phase.changed' && fact.phase === 'terminating') seen.push(fact.reason);
    });
    actor.start();
    clock.increment(0);
    await flush();
    if (exit === 'stop') actor.send({ type: 'terminate' });
    else actor.send({ type: 'workload.exited', ...exit, at: clock.now() });
    await flush();
    actor.stop();
    return seen;
  };
  assert.deepEqual(await reasons({ exitCode: 3, signal: null }), ['exited with code 3']);
  assert.deepEqual(await reasons({ exitCode: null, signal: 'SIGKILL', cause: 'out of memory' }), ['killed by SIGKILL (out of memory)']);
  // A stop that was asked for does wait out a grace period, and says so.
  assert.deepEqual(await reasons('stop'), ['requested, grace period 10 s']);
});

test('the uptime a decision reads is never negative, even when the exit is stamped before the start', async () => {
  // Regression: "exited with code 2 after -1 ms" (the run's start was stamped after its exit).
  const clock = new SimulatedClock();
  clock.set(10_000);
  // The runtime stamps the start 5 ms after the exit it then reports (clocks step, stamps race).
  const machine = quietHooks(clock, () => ({ terminal: false, at: clock.now(), startedAt: clock.now() + 5 }));
  const actor = createActor(machine, {
    clock,
    input: { id: 'early', restart: { policy: 'no', minUptimeMs: 1_000 } },
  });
  actor.start();
  clock.increment(0);
  await flush();
  actor.send({ type: 'workload.exited', exitCode: 2, signal: null, at: clock.now() });
  await flush();
  assert.equal(actor.getSnapshot().context.decision?.reason, "exited with code 2 after 0 ms, before min_uptime 1000 ms; restart policy 'no'");
  actor.stop();
});

test('each phase fact says where the chart came from, and a new run starts from finished', async () => {
  const clock = new SimulatedClock();
  const actor = createActor(quietHooks(clock), { clock, input: { id: 'twice', restart: { policy: 'no' } } });
  const seen: string[] = [];
  actor.on('phase.changed', (fact: ProcessFact) => {
    if (fact.type === 'phase.changed') seen.push(`${fact.from} -> ${fact.phase}`);
  });
  actor.start();
  clock.increment(0);
  await flush();
  actor.send({ type: 'terminate' });
  await flush();
  actor.send({ type: 'start' });
  clock.increment(0);
  await flush();
  assert.deepEqual(seen, [
    'null -> starting',
    'starting -> syncing',
    'syncing -> terminating',
    'terminating -> terminated',
    'terminated -> finished',
    'finished -> starting',
    'starting -> syncing',
  ]);
  assert.equal(actor.getSnapshot().context.phase, 'syncing');
  actor.stop();
});
