/**
 * The optional stages of a run (conditions, start-pre, start-post, stop-post hooks) on a
 * SimulatedClock with swapped actors: their order, what a failure in each does, a condition that
 * skips the run, and start_timeout bounding a run without a health check.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createActor, fromPromise, SimulatedClock } from 'xstate';
import { processMachine } from '../../src/machines/process.machine.js';
import type { ConditionOutput, ProcessFact, ProcessInput, RunStages, StageInput, StopPostInput, SyncInput, SyncOutput } from '../../src/machines/process-types.js';
import { StatevisorError } from '../../src/errors.js';
import { flush } from '../helpers/simulated-manager.js';

const allStages: RunStages = { conditionCheck: true, startPre: true, startPost: true, stopPost: true };

interface Script {
  conditions?: () => ConditionOutput;
  /** Each stage hook; the default succeeds at once. */
  startPre?: (signal: AbortSignal) => Promise<void>;
  startPost?: () => Promise<void>;
  /** The workload exits by itself (terminal sync) when true. */
  terminal?: boolean;
}

/** A chart whose every hook records its name in `calls`, in order. */
function staged(clock: SimulatedClock, calls: string[], script: Script = {}) {
  return processMachine.provide({
    actors: {
      checkConditions: fromPromise<ConditionOutput, StageInput>(async () => {
        calls.push('conditions');
        return script.conditions?.() ?? { met: true, at: clock.now() };
      }),
      runStartPreHooks: fromPromise<{ at: number }, StageInput>(async ({ signal }) => {
        calls.push('startPre');
        await script.startPre?.(signal);
        return { at: clock.now() };
      }),
      syncProcess: fromPromise<SyncOutput, SyncInput>(async ({ input }) => {
        calls.push(`sync:${input.updateType}`);
        return { terminal: script.terminal === true && input.updateType === 'create', at: clock.now() };
      }),
      runStartPostHooks: fromPromise<{ at: number }, StageInput>(async () => {
        calls.push('startPost');
        await script.startPost?.();
        return { at: clock.now() };
      }),
      syncTerminatingProcess: fromPromise(async () => {
        calls.push('terminating');
        return { at: clock.now() };
      }),
      syncTerminatedProcess: fromPromise(async () => {
        calls.push('terminated');
        return { at: clock.now() };
      }),
      runStopPostHooks: fromPromise<{ at: number }, StopPostInput>(async ({ input }) => {
        calls.push(`stopPost:${input.exit?.error ?? input.exit?.exitCode ?? 'none'}`);
        return { at: clock.now() };
      }),
    },
  });
}

async function run(clock: SimulatedClock, calls: string[], script: Script, input: Omit<ProcessInput, 'id'>) {
  const actor = createActor(staged(clock, calls, script), { clock, input: { id: 'p', resyncIntervalMs: 0, ...input } });
  const ended: ProcessFact[] = [];
  actor.on('run.ended', (fact: ProcessFact) => ended.push(fact));
  actor.start();
  clock.increment(0);
  await flush();
  return { actor, ended };
}

const startFailure = (message: string) => Object.assign(new StatevisorError('E_START_FAILED', message), { at: 0 });

test('a run goes conditions → start-pre → spawn → start-post → syncing, and stop-post after its cleanup', async () => {
  const clock = new SimulatedClock();
  const calls: string[] = [];
  const { actor } = await run(clock, calls, {}, { stages: allStages });
  assert.deepEqual(actor.getSnapshot().value, { syncing: { sync: 'awaitingUpdate', health: 'off' } });
  assert.deepEqual(calls, ['conditions', 'startPre', 'sync:create', 'startPost']);
  actor.send({ type: 'terminate' });
  await flush();
  assert.deepEqual(calls.slice(4), ['terminating', 'terminated', 'stopPost:none']);
  assert.equal(actor.getSnapshot().status, 'active');
  assert.equal(actor.getSnapshot().context.outcome, 'stopped');
  actor.stop();
});

test('stages without work are skipped without invoking their actors', async () => {
  const clock = new SimulatedClock();
  const calls: string[] = [];
  const { actor } = await run(clock, calls, { terminal: true }, {});
  assert.deepEqual(calls, ['sync:create', 'terminating', 'terminated']);
  assert.deepEqual(actor.getSnapshot().value, 'finished');
  actor.stop();
});

test('each stage is a launching (STARTING) or stopping substate with a hook running', () => {
  const states = processMachine.root.states;
  for (const name of ['conditionCheck', 'startPreHook', 'startPostHook']) {
    const node = states.starting!.states[name];
    assert.ok(node, `starting.${name} exists`);
    assert.deepEqual([...node.tags].sort(), ['hookRunning', 'launching']);
  }
  assert.deepEqual([...states.terminated!.states.stopPostHook!.tags].sort(), ['hookRunning', 'stopping']);
});

test('a failing start-pre hook is a failed start: no spawn, stop-post runs, the restart policy restarts through conditions and start-pre again', async () => {
  const clock = new SimulatedClock();
  const calls: string[] = [];
  let fail = true;
  const script: Script = {
    startPre: async () => {
      if (fail) throw startFailure('exec_start_pre[0] `/bin/false` exited 1');
    },
  };
  const { actor } = await run(clock, calls, script, {
    stages: allStages,
    restart: { policy: 'on-failure', delayMs: 1_000, startLimitBurst: 0 },
  });
  assert.deepEqual(actor.getSnapshot().value, { terminated: 'restartDelay' });
  assert.deepEqual(calls, ['conditions', 'startPre', 'terminated', 'stopPost:exec_start_pre[0] `/bin/false` exited 1']);
  const { decision, lastError } = actor.getSnapshot().context;
  assert.match(decision?.reason ?? '', /^failed to start: exec_start_pre\[0\] `\/bin\/false` exited 1/);
  assert.equal(lastError, 'exec_start_pre[0] `/bin/false` exited 1');
  fail = false;
  clock.increment(decision?.restart ? decision.delayMs : 0);
  await flush();
  assert.deepEqual(calls.slice(4), ['conditions', 'startPre', 'sync:create', 'startPost']);
  assert.deepEqual(actor.getSnapshot().value, { syncing: { sync: 'awaitingUpdate', health: 'off' } });
  actor.stop();
});

test('a failing start-pre hook with restart policy no ends the run FAILED', async () => {
  const clock = new SimulatedClock();
  const calls: string[] = [];
  const script: Script = { startPre: async () => Promise.reject(startFailure('exec_start_pre[1] `x` exited 3')) };
  const { actor, ended } = await run(clock, calls, script, { stages: allStages, restart: { policy: 'no' } });
  assert.equal(actor.getSnapshot().value, 'finished');
  assert.equal(actor.getSnapshot().context.outcome, 'failed');
  assert.equal(ended.length, 1);
  actor.stop();
});

test('a failing start-post hook stops the started workload as a failed start, counted once toward the start limit', async () => {
  const clock = new SimulatedClock();
  const calls: string[] = [];
  const script: Script = { startPost: async () => Promise.reject(startFailure('exec_start_post[0] `x` exited 2')) };
  const { actor } = await run(clock, calls, script, { stages: allStages, restart: { policy: 'no' } });
  assert.deepEqual(calls, ['conditions', 'startPre', 'sync:create', 'startPost', 'terminating', 'terminated', 'stopPost:exec_start_post[0] `x` exited 2']);
  const { context } = actor.getSnapshot();
  assert.equal(context.outcome, 'failed');
  assert.equal(context.recentStarts.length, 1);
  assert.match(context.decision?.reason ?? '', /failed to start: exec_start_post\[0\]/);
  actor.stop();
});

test('a failed condition skips the run: it ends EXITED with the condition named, no hook runs, no restart, no failure counted', async () => {
  const clock = new SimulatedClock();
  const calls: string[] = [];
  const script: Script = { conditions: () => ({ met: false, reason: '/etc/app.conf does not exist', at: clock.now() }) };
  const { actor, ended } = await run(clock, calls, script, {
    stages: allStages,
    restart: { policy: 'always', delayMs: 0, startLimitBurst: 0 },
  });
  assert.deepEqual(calls, ['conditions']);
  const { context } = actor.getSnapshot();
  assert.equal(actor.getSnapshot().value, 'finished');
  assert.equal(context.outcome, 'exited');
  assert.equal(context.failureStreak, 0);
  assert.equal(context.restartCount, 0);
  assert.equal(context.lastError, 'condition failed: /etc/app.conf does not exist');
  assert.deepEqual(ended.map((fact) => fact.type === 'run.ended' && fact.reason), ['condition failed: /etc/app.conf does not exist']);
  actor.stop();
});

test('a terminate that wins the queue runs no stop-post hook: nothing was started', async () => {
  const clock = new SimulatedClock();
  const calls: string[] = [];
  const actor = createActor(staged(clock, calls), { clock, input: { id: 'p', stages: allStages } });
  actor.start();
  actor.send({ type: 'terminate' });
  clock.increment(0);
  await flush();
  assert.equal(actor.getSnapshot().value, 'finished');
  assert.deepEqual(calls, ['terminating', 'terminated']);
  actor.stop();
});

test('start_timeout bounds a run without a health check from its conditions to its start-post hooks: a hanging start-pre hook is abandoned and the start has failed', async () => {
  const clock = new SimulatedClock();
  const calls: string[] = [];
  let aborted = false;
  const script: Script = {
    startPre: (signal) =>
      new Promise<void>((_, reject) => {
        signal.addEventListener('abort', () => {
          aborted = true;
          reject(signal.reason);
        });
      }),
  };
  const { actor } = await run(clock, calls, script, {
    stages: allStages,
    startTimeoutMs: 5_000,
    restart: { policy: 'on-failure', delayMs: 1_000, startLimitBurst: 0 },
  });
  assert.deepEqual(actor.getSnapshot().value, { starting: 'startPreHook' });
  clock.increment(4_999);
  await flush();
  assert.deepEqual(actor.getSnapshot().value, { starting: 'startPreHook' }, 'abandoned before its time');
  clock.increment(1);
  await flush();
  assert.ok(aborted, 'the hanging hook was told to stop');
  const { context } = actor.getSnapshot();
  assert.equal(context.termination, 'start-timeout');
  assert.deepEqual(actor.getSnapshot().value, { terminated: 'restartDelay' });
  assert.match(context.decision?.reason ?? '', /^not started within start_timeout \(5000 ms\)/);
  assert.deepEqual(calls, ['conditions', 'startPre', 'terminating', 'terminated', 'stopPost:none']);
  actor.stop();
});

test('start_timeout is cancelled once the run is up: a run without a health check is not stopped later', async () => {
  const clock = new SimulatedClock();
  const calls: string[] = [];
  const { actor } = await run(clock, calls, {}, { stages: allStages, startTimeoutMs: 5_000 });
  assert.deepEqual(actor.getSnapshot().value, { syncing: { sync: 'awaitingUpdate', health: 'off' } });
  clock.increment(60_000);
  await flush();
  assert.deepEqual(actor.getSnapshot().value, { syncing: { sync: 'awaitingUpdate', health: 'off' } });
  actor.stop();
});
