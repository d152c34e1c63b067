/**
 * The process chart's transitions, event by event, on a SimulatedClock with scripted hooks: what
 * each phase does with an update, a terminate, an exit, a failed or cancelled hook, a reconfigure.
 * Each test pins a transition that a deliberate one-line change of the chart (a mutant) removed
 * or redirected without any other test noticing.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { createActor, fromPromise, SimulatedClock } from 'xstate';
import { processMachine } from '../../src/machines/process.machine.js';
import type {
  HealthSettings,
  HookOutput,
  ProbeInput,
  ProbeOutput,
  ProcessFact,
  ProcessInput,
  SyncInput,
  SyncOutput,
  TerminatedInput,
  TerminatingInput,
} from '../../src/machines/process-types.js';
import { deferred, flush, untilAborted } from '../helpers/simulated-manager.js';

interface Hooks {
  sync?: (input: SyncInput, signal: AbortSignal) => Promise<SyncOutput> | SyncOutput;
  terminating?: (input: TerminatingInput, signal: AbortSignal) => Promise<HookOutput> | HookOutput;
  terminated?: (input: TerminatedInput, signal: AbortSignal) => Promise<HookOutput> | HookOutput;
  probe?: (input: ProbeInput, signal: AbortSignal) => Promise<ProbeOutput> | ProbeOutput;
}

/** A process actor whose hooks record their inputs; a hook not scripted succeeds at once. */
function chart(t: TestContext, input: ProcessInput, script: (clock: SimulatedClock) => Hooks = () => ({})) {
  const clock = new SimulatedClock();
  const hooks = script(clock);
  const calls = { sync: [] as SyncInput[], terminating: [] as TerminatingInput[], terminated: [] as TerminatedInput[], probes: [] as number[] };
  const machine = processMachine.provide({
    actors: {
      syncProcess: fromPromise<SyncOutput, SyncInput>(async ({ input, signal }) => {
        calls.sync.push(input);
        return hooks.sync ? hooks.sync(input, signal) : { terminal: false, at: clock.now() };
      }),
      syncTerminatingProcess: fromPromise<HookOutput, TerminatingInput>(async ({ input, signal }) => {
        calls.terminating.push(input);
        return hooks.terminating ? hooks.terminating(input, signal) : { at: clock.now() };
      }),
      syncTerminatedProcess: fromPromise<HookOutput, TerminatedInput>(async ({ input, signal }) => {
        calls.terminated.push(input);
        return hooks.terminated ? hooks.terminated(input, signal) : { at: clock.now() };
      }),
      probeHealth: fromPromise<ProbeOutput, ProbeInput>(async ({ input, signal }) => {
        calls.probes.push(clock.now());
        return hooks.probe ? hooks.probe(input, signal) : { healthy: true, message: 'ok', at: clock.now() };
      }),
    },
  });
  const actor = createActor(machine, { clock, input });
  const facts: ProcessFact[] = [];
  actor.on('*', (fact: ProcessFact) => facts.push(fact));
  actor.start();
  t.after(() => actor.stop());
  return {
    clock,
    actor,
    calls,
    facts,
    /** Move simulated time (0: fire what is due now) and let the hooks settle. */
    async advance(ms = 0) {
      clock.increment(ms);
      await flush();
    },
    context: () => actor.getSnapshot().context,
    value: () => actor.getSnapshot().value,
  };
}

const syncs = (calls: { sync: SyncInput[] }) => calls.sync.map((s) => `${s.updateType} ${String(s.config)}${s.restart ? ' restart' : ''}`);

const check: HealthSettings = { intervalMs: 1_000, timeoutMs: 500, startPeriodMs: 0, failureThreshold: 3, successThreshold: 1, restartAfter: 0 };

test('with no hooks provided the sync is a no-op that keeps the run up, and a health check without a probe fails visibly', async (t) => {
  const clock = new SimulatedClock();
  const actor = createActor(processMachine, { clock, input: { id: 'bare', healthCheck: { ...check, failureThreshold: 1 } } });
  t.after(() => actor.stop());
  actor.start();
  clock.increment(0);
  await flush();
  const { context } = actor.getSnapshot();
  assert.ok(actor.getSnapshot().matches('syncing'), JSON.stringify(actor.getSnapshot().value));
  assert.equal(context.health, 'unhealthy');
  assert.equal(context.lastProbe?.message, 'no health probe is provided for this process');
});

test('without a resync interval a synced process waits for an update, and an update syncs it', async (t) => {
  const c = chart(t, { id: 'still', config: 'v1', resyncIntervalMs: 0 });
  await c.advance();
  await c.advance(60_000);
  assert.deepEqual(c.value(), { syncing: { sync: 'awaitingUpdate', health: 'off' } });
  assert.deepEqual(syncs(c.calls), ['create v1']);
  c.actor.send({ type: 'update', updateType: 'update', config: 'v2' });
  await c.advance();
  assert.deepEqual(syncs(c.calls), ['create v1', 'update v2']);
  assert.deepEqual(c.value(), { syncing: { sync: 'awaitingUpdate', health: 'off' } });
});

test('a sync is told whether the restart guard began its run: a create, a resync or a start is not a restart', async (t) => {
  const c = chart(t, { id: 'runs', config: 'v1', resyncIntervalMs: 1_000, restart: { policy: 'always', delayMs: 0, startLimitBurst: 0 } });
  await c.advance();
  c.actor.send({ type: 'workload.exited', exitCode: 1, signal: null, at: c.clock.now() });
  await c.advance();
  await c.advance(1_000);
  c.actor.send({ type: 'terminate' });
  await c.advance();
  assert.equal(c.value(), 'finished');
  // A start from finished carries the config of the new run.
  c.actor.send({ type: 'start', config: 'v3' });
  await c.advance();
  assert.deepEqual(syncs(c.calls), ['create v1', 'create v1 restart', 'sync v1', 'create v3']);
});

test('an update that arrives while the first sync waits to retry goes into that sync, not into another one after it', async (t) => {
  let attempt = 0;
  const c = chart(t, { id: 'flaky', config: 'v1', resyncIntervalMs: 60_000 }, (clock) => ({
    sync: () => {
      attempt += 1;
      if (attempt === 1) throw new Error('backend down');
      return { terminal: false, at: clock.now() };
    },
  }));
  await c.advance();
  assert.deepEqual(c.value(), { starting: 'syncRetry' });
  c.actor.send({ type: 'update', updateType: 'update', config: 'v2' });
  await c.advance(1_000);
  await c.advance();
  assert.deepEqual(syncs(c.calls), ['create v1', 'create v2']);
  assert.deepEqual(c.value(), { syncing: { sync: 'resyncInterval', health: 'off' } });
});

test('a workload that exits while its first sync still runs is stopped at once, its sync cancelled', async (t) => {
  const signals: AbortSignal[] = [];
  const c = chart(t, { id: 'brief' }, () => ({
    sync: (_, signal) => {
      signals.push(signal);
      return untilAborted(signal);
    },
  }));
  await c.advance();
  c.actor.send({ type: 'workload.exited', exitCode: 4, signal: null, at: c.clock.now() });
  await c.advance();
  assert.equal(signals[0]?.aborted, true);
  assert.deepEqual(c.calls.terminating.map((i) => i.reason), ['exited']);
  assert.equal(c.value(), 'finished');
  assert.equal(c.context().outcome, 'failed');
});

test('an update while a resync runs is synced right after it, once, with the newest config (rule 1)', async (t) => {
  const inFlight = deferred<SyncOutput>();
  const c = chart(t, { id: 'busy', config: 'v1', resyncIntervalMs: 1_000 }, (clock) => ({
    sync: (input) => (input.updateType === 'sync' && input.config === 'v1' ? inFlight.promise : { terminal: false, at: clock.now() }),
  }));
  await c.advance();
  await c.advance(1_000);
  assert.deepEqual(syncs(c.calls), ['create v1', 'sync v1']);
  c.actor.send({ type: 'update', updateType: 'update', config: 'v2' });
  c.actor.send({ type: 'update', updateType: 'sync' });
  await c.advance();
  assert.equal(c.calls.sync.length, 2, 'no second sync while one is in flight');
  inFlight.resolve({ terminal: false, at: c.clock.now() });
  await c.advance();
  assert.deepEqual(syncs(c.calls), ['create v1', 'sync v1', 'update v2']);
  await c.advance(999);
  assert.equal(c.calls.sync.length, 3, 'the next resync waits a whole interval');
});

test('a resync that fails is retried after a backoff, with an update that came meanwhile', async (t) => {
  let failing = true;
  const c = chart(t, { id: 'retry', config: 'v1', resyncIntervalMs: 10_000, seed: 1 }, (clock) => ({
    sync: (input) => {
      if (input.updateType === 'sync' && failing) throw new Error('disk full');
      return { terminal: false, at: clock.now() };
    },
  }));
  await c.advance();
  await c.advance(10_000);
  assert.deepEqual(c.value(), { syncing: { sync: 'syncRetry', health: 'off' } });
  const retried = c.facts.filter((f) => f.type === 'queue.retried');
  assert.equal(retried.length, 1);
  const delayMs = c.context().retryDelayMs;
  assert.ok(delayMs >= 800 && delayMs <= 1_000, `first retry after ${delayMs} ms`);
  assert.deepEqual(retried[0], { type: 'queue.retried', id: 'retry', delayMs, phase: 'syncing', error: 'disk full' });
  assert.equal(c.context().errorCount, 1);
  failing = false;
  c.actor.send({ type: 'update', updateType: 'update', config: 'v2' });
  await c.advance(delayMs - 1);
  assert.equal(c.calls.sync.length, 2, 'not before its backoff');
  await c.advance(1);
  assert.deepEqual(syncs(c.calls), ['create v1', 'sync v1', 'update v2']);
  assert.deepEqual(c.value(), { syncing: { sync: 'resyncInterval', health: 'off' } });
});

test('a cancelled resync is retried after the short cancellation delay, counted as no error', async (t) => {
  let cancel = true;
  const c = chart(t, { id: 'cancel', config: 'v1', resyncIntervalMs: 10_000, cancelledRetryMs: 100 }, (clock) => ({
    sync: (input) => {
      if (input.updateType === 'sync' && cancel) {
        cancel = false;
        throw new DOMException('the backend cancelled the call', 'AbortError');
      }
      return { terminal: false, at: clock.now() };
    },
  }));
  await c.advance();
  await c.advance(10_000);
  assert.deepEqual(c.value(), { syncing: { sync: 'syncRetry', health: 'off' } });
  await c.advance(100);
  assert.deepEqual(syncs(c.calls), ['create v1', 'sync v1', 'sync v1']);
  assert.equal(c.context().errorCount, 0);
});

test('a retry after a cancellation says so when no error was seen', async (t) => {
  let attempt = 0;
  const c = chart(t, { id: 'cancelled', cancelledRetryMs: 100 }, (clock) => ({
    sync: () => {
      attempt += 1;
      if (attempt === 1) throw new DOMException('cancelled', 'AbortError');
      return { terminal: false, at: clock.now() };
    },
  }));
  await c.advance();
  assert.deepEqual(
    c.facts.filter((f) => f.type === 'queue.retried'),
    [{ type: 'queue.retried', id: 'cancelled', delayMs: 100, phase: 'starting', error: 'cancelled' }],
  );
});

test('a reconfigure that leaves the health check alone does not restart probing', async (t) => {
  const c = chart(t, { id: 'probed', healthCheck: check });
  await c.advance();
  await c.advance(500);
  c.actor.send({ type: 'reconfigure', settings: { restart: { policy: 'always' } } });
  await c.advance();
  await c.advance(500);
  assert.deepEqual(c.calls.probes, [0, 1_000]);
});

test('a check retimed to no start period counts failures at once', async (t) => {
  const c = chart(t, { id: 'sick', healthCheck: { ...check, startPeriodMs: 60_000, failureThreshold: 1 } }, (clock) => ({
    probe: () => ({ healthy: false, message: 'HTTP 503', at: clock.now() }),
  }));
  await c.advance();
  assert.equal(c.context().health, 'starting', 'not counted in the start period');
  await c.advance(500);
  c.actor.send({ type: 'reconfigure', settings: { healthCheck: { ...check, startPeriodMs: 0, failureThreshold: 1 } } });
  await c.advance();
  assert.equal(c.context().inStartPeriod, false);
  assert.equal(c.context().health, 'unhealthy');
});

test('a probe that throws is one failure, and the next probe comes an interval after it', async (t) => {
  const c = chart(t, { id: 'refused', healthCheck: check }, () => ({
    probe: () => {
      throw new Error('connect ECONNREFUSED');
    },
  }));
  await c.advance();
  await c.advance(999);
  assert.equal(c.context().healthFailures, 1);
  assert.equal(c.context().lastProbe?.message, 'connect ECONNREFUSED');
  await c.advance(1);
  assert.deepEqual(c.calls.probes, [0, 1_000]);
});

test('a stop asked for while a crashed workload is being stopped wins over the restart policy', async (t) => {
  const stopping = deferred<HookOutput>();
  const c = chart(t, { id: 'crashed', restart: { policy: 'always', delayMs: 0, startLimitBurst: 0 } }, () => ({
    terminating: () => stopping.promise,
  }));
  await c.advance();
  c.actor.send({ type: 'workload.exited', exitCode: 1, signal: null, at: c.clock.now() });
  await c.advance();
  c.actor.send({ type: 'terminate', config: 'last' });
  await c.advance();
  assert.equal(c.calls.terminating.length, 1, 'no shorter grace: the hook is not re-run');
  stopping.resolve({ at: c.clock.now() });
  await c.advance();
  assert.equal(c.value(), 'finished');
  assert.equal(c.context().outcome, 'stopped');
  assert.equal(c.context().termination, 'requested');
  assert.equal(c.calls.terminated[0]?.config, 'last');
  assert.equal(c.calls.sync.length, 1, 'not restarted');
});

test('an exit seen while the stop hook runs is the run exit the cleanup hook is given', async (t) => {
  const stopping = deferred<HookOutput>();
  const c = chart(t, { id: 'stopped' }, () => ({ terminating: () => stopping.promise }));
  await c.advance();
  c.actor.send({ type: 'terminate' });
  await c.advance();
  c.actor.send({ type: 'workload.exited', exitCode: null, signal: 'SIGTERM', at: c.clock.now() });
  stopping.resolve({ at: c.clock.now() });
  await c.advance();
  assert.deepEqual(c.calls.terminated[0]?.exit, { exitCode: null, signal: 'SIGTERM', at: 0 });
  assert.equal(c.context().outcome, 'stopped');
});

test('an update without a config while stopping keeps the last config for the cleanup hook', async (t) => {
  const stopping = deferred<HookOutput>();
  const c = chart(t, { id: 'kept', config: 'v1' }, () => ({ terminating: () => stopping.promise }));
  await c.advance();
  c.actor.send({ type: 'terminate' });
  await c.advance();
  c.actor.send({ type: 'update', updateType: 'sync' });
  stopping.resolve({ at: c.clock.now() });
  await c.advance();
  assert.equal(c.calls.terminated[0]?.config, 'v1');
});

test('during cleanup an update is kept for the next run, an exit is kept as the last exit, and a terminate cancels the restart', async (t) => {
  let cleanup = deferred<HookOutput>();
  const c = chart(t, { id: 'cleaning', config: 'v1', restart: { policy: 'always', delayMs: 0, startLimitBurst: 0 } }, () => ({
    terminated: () => cleanup.promise,
  }));
  await c.advance();
  c.actor.send({ type: 'terminate', reason: 'requested' });
  await c.advance();
  assert.deepEqual(c.value(), { terminated: 'cleanupHook' });
  c.actor.send({ type: 'workload.exited', exitCode: 143, signal: null, at: c.clock.now() });
  cleanup.resolve({ at: c.clock.now() });
  await c.advance();
  assert.equal(c.context().lastExit?.exitCode, 143);

  // A new run that crashes: the restart guard will say restart, unless a terminate comes first.
  cleanup = deferred<HookOutput>();
  c.actor.send({ type: 'start' });
  await c.advance();
  c.actor.send({ type: 'workload.exited', exitCode: 1, signal: null, at: c.clock.now() });
  await c.advance();
  c.actor.send({ type: 'update', updateType: 'update', config: 'v2' });
  cleanup.resolve({ at: c.clock.now() });
  await c.advance();
  assert.deepEqual(syncs(c.calls), ['create v1', 'create v1', 'create v2 restart'], 'the restarted run syncs the config that came during cleanup');

  cleanup = deferred<HookOutput>();
  c.actor.send({ type: 'workload.exited', exitCode: 1, signal: null, at: c.clock.now() });
  await c.advance();
  c.actor.send({ type: 'terminate' });
  cleanup.resolve({ at: c.clock.now() });
  await c.advance();
  assert.equal(c.value(), 'finished');
  assert.equal(c.context().outcome, 'stopped');
  assert.equal(c.calls.sync.length, 3, 'not restarted');
});

test('a cleanup hook that fails is retried after a backoff, then the run ends', async (t) => {
  let attempt = 0;
  const c = chart(t, { id: 'umount', seed: 1 }, (clock) => ({
    terminated: () => {
      attempt += 1;
      if (attempt === 1) throw new Error('device busy');
      return { at: clock.now() };
    },
  }));
  await c.advance();
  c.actor.send({ type: 'terminate' });
  await c.advance();
  assert.deepEqual(c.value(), { terminated: 'cleanupRetry' });
  const retried = c.facts.find((f) => f.type === 'queue.retried');
  assert.deepEqual(retried, { type: 'queue.retried', id: 'umount', delayMs: c.context().retryDelayMs, phase: 'terminated', error: 'device busy' });
  await c.advance(c.context().retryDelayMs);
  assert.equal(c.calls.terminated.length, 2);
  assert.equal(c.value(), 'finished');
});

test('a terminate during the restart delay ends the run stopped, and no new run begins', async (t) => {
  const c = chart(t, { id: 'delayed', restart: { policy: 'always', delayMs: 1_000, startLimitBurst: 0 } });
  await c.advance();
  c.actor.send({ type: 'workload.exited', exitCode: 1, signal: null, at: c.clock.now() });
  await c.advance();
  assert.deepEqual(c.value(), { terminated: 'restartDelay' });
  c.actor.send({ type: 'terminate' });
  await c.advance();
  assert.equal(c.value(), 'finished');
  assert.equal(c.context().outcome, 'stopped');
  await c.advance(5_000);
  assert.equal(c.calls.sync.length, 1);
  assert.equal(c.value(), 'finished');
});
