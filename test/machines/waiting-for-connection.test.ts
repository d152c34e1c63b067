import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createActor, fromPromise, SimulatedClock } from 'xstate';
import { processMachine } from '../../src/machines/process.machine.js';
import { processStateOf as stateOf } from '../../src/machines/process-state.js';
import type { ConnectionInput, HookOutput, SyncInput, SyncOutput } from '../../src/machines/process-types.js';
import { flush } from '../helpers/simulated-manager.js';

/**
 * Hooks stamped by the clock; the wait for a connection resolves when the test says a client
 * connected (`connect()`), and counts its calls and its cancellations.
 */
function connectionHooks(clock: SimulatedClock, sync: () => SyncOutput = () => ({ terminal: false, at: clock.now() })) {
  const waits = { started: 0, aborted: 0, syncs: 0 };
  let connect: (() => void) | undefined;
  const machine = processMachine.provide({
    actors: {
      waitForConnection: fromPromise<HookOutput, ConnectionInput>(async ({ signal }) => {
        waits.started += 1;
        await new Promise<void>((resolve, reject) => {
          connect = resolve;
          signal.addEventListener('abort', () => {
            waits.aborted += 1;
            reject(signal.reason);
          });
        });
        return { at: clock.now() };
      }),
      syncProcess: fromPromise<SyncOutput, SyncInput>(async () => {
        waits.syncs += 1;
        return sync();
      }),
      syncTerminatingProcess: fromPromise(async () => ({ at: clock.now() })),
      syncTerminatedProcess: fromPromise(async () => ({ at: clock.now() })),
    },
  });
  return { machine, waits, connect: () => connect?.() };
}

test('start_on connection: the run waits in starting.waitingForConnection (STARTING), then syncs at the first connection', async () => {
  const clock = new SimulatedClock();
  const { machine, waits, connect } = connectionHooks(clock);
  const actor = createActor(machine, { clock, input: { id: 'web', startOnConnection: true } });
  actor.start();
  clock.increment(0);
  await flush();
  assert.ok(actor.getSnapshot().matches({ starting: 'waitingForConnection' }));
  assert.equal(stateOf(actor.getSnapshot()), 'STARTING');
  clock.increment(3_600_000);
  await flush();
  assert.equal(waits.syncs, 0, 'nothing is spawned while no client connected, however long');
  connect();
  await flush();
  assert.ok(actor.getSnapshot().matches('syncing'));
  assert.equal(waits.syncs, 1);
  actor.stop();
});

test('without start_on connection the wait is skipped and never invoked', async () => {
  const clock = new SimulatedClock();
  const { machine, waits } = connectionHooks(clock);
  const actor = createActor(machine, { clock, input: { id: 'web' } });
  actor.start();
  clock.increment(0);
  await flush();
  assert.ok(actor.getSnapshot().matches('syncing'));
  assert.equal(waits.started, 0);
  actor.stop();
});

test('a stop while waiting for a connection cancels the wait and ends the run STOPPED, with nothing spawned', async () => {
  const clock = new SimulatedClock();
  const { machine, waits } = connectionHooks(clock);
  const actor = createActor(machine, { clock, input: { id: 'web', startOnConnection: true } });
  actor.start();
  clock.increment(0);
  await flush();
  actor.send({ type: 'terminate' });
  await flush();
  assert.equal(stateOf(actor.getSnapshot()), 'STOPPED');
  assert.equal(waits.aborted, 1, 'the wait was cancelled (its watcher released)');
  assert.equal(waits.syncs, 0);
  actor.stop();
});

test('a restart goes through waitingForConnection again: the next run also starts on a connection', async () => {
  const clock = new SimulatedClock();
  const { machine, waits, connect } = connectionHooks(clock);
  const actor = createActor(machine, {
    clock,
    input: { id: 'web', startOnConnection: true, restart: { policy: 'always', delayMs: 1_000, startLimitBurst: 0, minUptimeMs: 0 } },
  });
  actor.start();
  clock.increment(0);
  await flush();
  connect();
  await flush();
  actor.send({ type: 'workload.exited', exitCode: 1, signal: null, at: clock.now() });
  await flush();
  clock.increment(1_000);
  await flush();
  assert.ok(actor.getSnapshot().matches({ starting: 'waitingForConnection' }), JSON.stringify(actor.getSnapshot().value));
  assert.equal(waits.started, 2);
  assert.equal(waits.syncs, 1);
  connect();
  await flush();
  assert.ok(actor.getSnapshot().matches('syncing'));
  actor.stop();
});

test('a failed wait (the watcher could not run) is a failed start', async () => {
  const clock = new SimulatedClock();
  const machine = processMachine.provide({
    actors: {
      waitForConnection: fromPromise<HookOutput, ConnectionInput>(async () => {
        throw Object.assign(new Error('cannot watch the sockets'), { code: 'E_START_FAILED' });
      }),
      syncTerminatingProcess: fromPromise(async () => ({ at: clock.now() })),
      syncTerminatedProcess: fromPromise(async () => ({ at: clock.now() })),
    },
  });
  const actor = createActor(machine, { clock, input: { id: 'web', startOnConnection: true, restart: { policy: 'no' } } });
  actor.start();
  clock.increment(0);
  await flush();
  assert.equal(stateOf(actor.getSnapshot()), 'FAILED');
  assert.match(actor.getSnapshot().context.lastError ?? '', /cannot watch the sockets/);
  actor.stop();
});

test('reconfigure turns start_on connection on for the next run', async () => {
  const clock = new SimulatedClock();
  const { machine } = connectionHooks(clock);
  const actor = createActor(machine, { clock, input: { id: 'web' } });
  actor.start();
  actor.send({ type: 'reconfigure', settings: { startOnConnection: true } });
  assert.equal(actor.getSnapshot().context.startOnConnection, true);
  actor.stop();
});
