/**
 * starting.waitingForDependencies: skipped without dependencies, else the awaitDependencies
 * actor says what the run waits on, then ready (the sync runs) or failed (the run ends FAILED
 * with the reason, without a restart and without running any hook).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createActor, fromCallback, fromPromise, SimulatedClock } from 'xstate';
import { processMachine } from '../../src/machines/process.machine.js';
import { processStateOf } from '../../src/machines/process-state.js';
import type { DependenciesInput, ProcessEvent, SyncInput, SyncOutput } from '../../src/machines/process-types.js';
import { flush } from '../helpers/simulated-manager.js';

interface Harness {
  syncs: number;
  waits: number;
  terminations: number;
  /** What the swapped actor was told to send back, once it runs. */
  answer?: (sendBack: (event: ProcessEvent) => void) => void;
}

function machineWith(clock: SimulatedClock, h: Harness) {
  return processMachine.provide({
    actors: {
      awaitDependencies: fromCallback<ProcessEvent, DependenciesInput>(({ sendBack }) => {
        h.waits += 1;
        h.answer?.(sendBack);
      }),
      syncProcess: fromPromise<SyncOutput, SyncInput>(async () => {
        h.syncs += 1;
        return { terminal: false, at: clock.now() };
      }),
      syncTerminatingProcess: fromPromise(async () => {
        h.terminations += 1;
        return { at: clock.now() };
      }),
      syncTerminatedProcess: fromPromise(async () => ({ at: clock.now() })),
    },
  });
}

test('the chart definition shows starting.waitingForDependencies and its awaitDependencies actor', () => {
  const text = JSON.stringify(processMachine.toJSON());
  assert.match(text, /"waitingForDependencies":\{/);
  assert.ok(text.includes('"src":"awaitDependencies"'));
});

test('without dependencies the run goes from queued to its sync without invoking awaitDependencies', async () => {
  const clock = new SimulatedClock();
  const h: Harness = { syncs: 0, waits: 0, terminations: 0 };
  const actor = createActor(machineWith(clock, h), { clock, input: { id: 'plain' } }).start();
  clock.increment(0);
  await flush();
  assert.equal(h.waits, 0);
  assert.equal(h.syncs, 1);
  assert.equal(actor.getSnapshot().value && processStateOf(actor.getSnapshot()), 'RUNNING');
  actor.stop();
});

test('a run with dependencies waits in starting.waitingForDependencies, shows what it waits on, then syncs when ready', async () => {
  const clock = new SimulatedClock();
  let send: ((event: ProcessEvent) => void) | undefined;
  const h: Harness = { syncs: 0, waits: 0, terminations: 0, answer: (sendBack) => (send = sendBack) };
  const actor = createActor(machineWith(clock, h), { clock, input: { id: 'web', awaitsDependencies: true } }).start();
  clock.increment(0);
  await flush();
  assert.deepEqual(actor.getSnapshot().value, { starting: 'waitingForDependencies' });
  assert.equal(processStateOf(actor.getSnapshot()), 'STARTING');
  send!({ type: 'dependency.waiting', on: 'db (healthy)' });
  assert.equal(actor.getSnapshot().context.waitingFor, 'db (healthy)');
  assert.equal(h.syncs, 0);
  send!({ type: 'dependencies.ready' });
  await flush();
  assert.equal(h.syncs, 1);
  assert.equal(actor.getSnapshot().context.waitingFor, undefined);
  assert.equal(processStateOf(actor.getSnapshot()), 'RUNNING');
  actor.stop();
});

test('a failed requirement ends the run FAILED with its reason, runs no hook and is not restarted', async () => {
  const clock = new SimulatedClock();
  const h: Harness = {
    syncs: 0,
    waits: 0,
    terminations: 0,
    answer: (sendBack) => sendBack({ type: 'dependency.failed', reason: 'requirement db failed: exited with code 3' }),
  };
  const actor = createActor(machineWith(clock, h), {
    clock,
    input: { id: 'web', awaitsDependencies: true, restart: { policy: 'always', delayMs: 0 } },
  }).start();
  clock.increment(0);
  await flush();
  const snapshot = actor.getSnapshot();
  assert.equal(snapshot.value, 'finished');
  assert.equal(processStateOf(snapshot), 'FAILED');
  assert.equal(snapshot.context.outcome, 'failed');
  assert.equal(snapshot.context.lastError, 'requirement db failed: exited with code 3');
  assert.equal(h.syncs + h.terminations, 0);
  clock.increment(60_000);
  await flush();
  assert.equal(actor.getSnapshot().value, 'finished');
  assert.equal(h.waits, 1);
  actor.stop();
});

test('a terminate while waiting stops the run before its sync', async () => {
  const clock = new SimulatedClock();
  const h: Harness = { syncs: 0, waits: 0, terminations: 0 };
  const actor = createActor(machineWith(clock, h), { clock, input: { id: 'web', awaitsDependencies: true } }).start();
  clock.increment(0);
  await flush();
  actor.send({ type: 'terminate' });
  await flush();
  assert.equal(actor.getSnapshot().value, 'finished');
  assert.equal(actor.getSnapshot().context.outcome, 'stopped');
  assert.equal(h.syncs, 0);
  actor.stop();
});

test('a restart waits for the dependencies again', async () => {
  const clock = new SimulatedClock();
  const h: Harness = { syncs: 0, waits: 0, terminations: 0, answer: (sendBack) => sendBack({ type: 'dependencies.ready' }) };
  const actor = createActor(machineWith(clock, h), {
    clock,
    input: { id: 'web', awaitsDependencies: true, restart: { policy: 'always', delayMs: 0, startLimitBurst: 0 } },
  }).start();
  clock.increment(0);
  await flush();
  assert.equal(h.waits, 1);
  actor.send({ type: 'workload.exited', exitCode: 1, signal: null, at: clock.now() });
  await flush();
  assert.equal(h.waits, 2);
  assert.equal(h.syncs, 2);
  actor.stop();
});
