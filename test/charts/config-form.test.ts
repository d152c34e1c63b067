/**
 * The config form round-trips: `createMachine(JSON.parse(definition))` is the chart again. XState's
 * own `toJSON()` did not load back (`Initial state node "[object Object]" not found`: its
 * `initial` is an object); the config form does, and with implementations provided by name it
 * walks the same states as the chart it came from.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assign, createActor, createMachine, fromPromise, setup, SimulatedClock, type AnyStateMachine } from 'xstate';
import { chartDefinition } from '../../src/charts/config-form.js';
import { chartOfKind, chartOfProcess } from '../../src/charts/machine-charts.js';
import { redactedMark } from '../../src/charts/redact.js';
import {
  decided,
  initialProcessContext,
  isCancellation,
  isStartFailure,
  recordedStartFailure,
  recordedSync,
  recordedTerminal,
  scheduledRetry,
} from '../../src/machines/process-context.js';
import { processMachine } from '../../src/machines/process.machine.js';
import type { HookOutput, ProcessContext, SyncOutput } from '../../src/machines/process-types.js';
import { flush } from '../helpers/simulated-manager.js';

/** What an implementation is given, loosely typed: the loaded machine has no types of its own. */
type Args = { context: ProcessContext; event: { output?: unknown; error?: unknown } };
const withArgs = <R>(body: (args: Args) => R) => (args: unknown) => body(args as Args);

/** Hooks that succeed at once. */
function stubActors(clock: SimulatedClock) {
  return {
    syncProcess: fromPromise(async () => ({ terminal: false, at: clock.now() })),
    syncTerminatingProcess: fromPromise(async () => ({ at: clock.now() })),
    syncTerminatedProcess: fromPromise(async () => ({ at: clock.now() })),
    probeHealth: fromPromise(async () => ({ healthy: true, message: 'ok', at: clock.now() })),
  };
}

/**
 * What a user loading the definition provides: the chart's own named implementations, except
 * that the few whose parameters the chart computes from the event (which JSON cannot carry) read
 * the event themselves. Facts (`report`, `enterPhase`) are left out: they tell, they decide nothing.
 */
function loadedImplementations(clock: SimulatedClock) {
  const { guards, actions, delays } = processMachine.implementations;
  return {
    actors: stubActors(clock),
    delays,
    guards: {
      ...guards,
      isTerminal: withArgs(({ event }) => (event.output as SyncOutput).terminal),
      wasCancelled: withArgs(({ event }) => isCancellation(event.error)),
      isStartFailure: withArgs(({ event }) => isStartFailure(event.error)),
    },
    actions: {
      ...actions,
      report: () => {},
      enterPhase: () => {},
      recordSync: assign(withArgs(({ context, event }) => recordedSync(context, event.output as SyncOutput))),
      recordTerminal: assign(withArgs(({ context, event }) => recordedTerminal(context, event.output as SyncOutput))),
      scheduleRetry: assign(withArgs(({ context, event }) => scheduledRetry(context, event.error))),
      recordStartFailure: assign(withArgs(({ context, event }) => recordedStartFailure(context, event.error))),
      recordProbe: () => {},
      decide: assign(withArgs(({ context, event }) => decided(context, (event.output as HookOutput).at))),
    },
  };
}

/** Drives a process chart through every phase: a run, an exit and its restart, a stop, a new start. */
async function walk(machine: AnyStateMachine, clock: SimulatedClock, input?: unknown): Promise<string[]> {
  const actor = createActor(machine, { clock, ...(input === undefined ? {} : { input }) });
  const seen: string[] = [];
  actor.subscribe((snapshot) => {
    const value = JSON.stringify(snapshot.value);
    if (seen.at(-1) !== value) seen.push(value);
  });
  actor.subscribe({ error: (error) => seen.push(`error: ${String(error)}`) });
  actor.start();
  const settle = async () => {
    clock.increment(0);
    await flush();
  };
  await settle();
  actor.send({ type: 'workload.exited', exitCode: 3, signal: null, at: clock.now() });
  await settle();
  clock.increment(60_000); // the restart delay
  await settle();
  actor.send({ type: 'terminate', reason: 'requested' });
  await settle();
  actor.send({ type: 'start' });
  await settle();
  actor.stop();
  return seen;
}

const phasesOf = (values: string[]) => new Set(values.map((value) => /^"?\{?"?(\w+)/.exec(value)![1]));

test("XState's toJSON() does not load back into createMachine (why the config form exists)", () => {
  const json = JSON.parse(JSON.stringify(processMachine.toJSON()));
  const actor = createActor(createMachine(json));
  actor.subscribe({ error: () => {} });
  actor.start();
  assert.equal(actor.getSnapshot().status, 'error');
  assert.match(String((actor.getSnapshot().error as Error).message), /Initial state node "\[object Object\]" not found/);
});

test('the process definition loads into createMachine and walks every phase as the chart does', async () => {
  const definition = JSON.parse(JSON.stringify(chartOfKind('process')));
  assert.equal(typeof definition.initial, 'string');
  definition.context.restart.policy = 'always';
  const clock = new SimulatedClock();
  const loaded = await walk(createMachine(definition).provide(loadedImplementations(clock) as never), clock);

  const originalClock = new SimulatedClock();
  const original = await walk(processMachine.provide({ actors: stubActors(originalClock) as never }), originalClock, {
    id: 'process',
    restart: { policy: 'always' },
  });
  assert.deepEqual(loaded, original);
  assert.deepEqual([...phasesOf(loaded)].sort(), ['finished', 'starting', 'syncing', 'terminated', 'terminating']);
  assert.ok(loaded.includes('{"terminated":"restartDelay"}'), `no restart in ${loaded.join(' → ')}`);
});

test('the supervisor definition loads into createMachine and starts', () => {
  const definition = JSON.parse(JSON.stringify(chartOfKind('supervisor')));
  const actor = createActor(createMachine({ ...definition, context: { unfinished: new Set(), shutdownDeadlineMs: 0 } })).start();
  assert.equal(actor.getSnapshot().value, 'running');
  actor.stop();
});

test('the config form names everything: strings for initial, guards, actions, delays and actors; no code', () => {
  const definition = chartOfKind('process');
  const text = JSON.stringify(definition);
  assert.deepEqual(JSON.parse(text), definition, 'the definition is plain JSON');
  assert.ok(!text.includes('xstate.'), 'no generated event or action name');
  const starting = definition.states!.starting!;
  assert.equal(starting.initial, 'queued');
  assert.deepEqual(starting.states!.syncHook!.entry, ['beginFirstSync']);
  assert.equal(starting.states!.syncHook!.invoke![0]!.src, 'syncProcess');
  assert.deepEqual(starting.states!.queued!.after, { queueDelay: 'waitingForDependencies' });
  assert.deepEqual(starting.states!.waitingForConnection!.always, { guard: 'startsWithoutConnection', target: 'conditionCheck' });
  assert.equal(starting.states!.waitingForConnection!.invoke![0]!.src, 'waitForConnection');
  assert.deepEqual(Object.keys(starting.states!), ['queued', 'waitingForDependencies', 'waitingForConnection', 'conditionCheck', 'startPreHook', 'syncHook', 'syncRetry', 'startPostHook']);
  assert.equal(starting.states!.startPreHook!.invoke![0]!.src, 'runStartPreHooks');
  assert.deepEqual(starting.exit, ['disarmStartDeadline']);
  assert.deepEqual(Object.keys(definition.states!.terminated!.states!), ['cleanupHook', 'stopPostHook', 'cleanupRetry', 'restartGuard', 'restartDelay']);
  assert.deepEqual(definition.states!.syncing!.entry, [{ type: 'enterPhase', params: { phase: 'syncing', reason: 'first sync succeeded' } }]);
  assert.deepEqual(JSON.parse(JSON.stringify(initialProcessContext({ id: 'process' }))), definition.context);
});

test('an inline implementation is refused, naming where it is', () => {
  const machine = setup({}).createMachine({ id: 'inline', initial: 'a', states: { a: { entry: assign({}) } } });
  assert.throws(() => chartDefinition(machine), /inline\.a\.entry\[0\]: an inline xstate\.assign has no name in config form; name it in setup\(\)/);
});

test("a process's definition carries its context with env values and secrets redacted, everywhere", () => {
  const secrets = ['s3cr3t-db-pass', 'hunter2', 'ghp_abcdefghijklmnopqrstuvwxyz0123456789', 'tok-123', 'pw-in-url'];
  const context = {
    ...initialProcessContext({ id: 'api' }),
    config: {
      name: 'api',
      command: 'node',
      args: ['server.js', '--password', 'hunter2', '--token=tok-123', '--port', '8080'],
      env: { DATABASE_PASSWORD: 's3cr3t-db-pass', PORT: '8080' },
      labels: { note: 'ghp_abcdefghijklmnopqrstuvwxyz0123456789' },
      health_check: { url: 'http://admin:pw-in-url@127.0.0.1:8080/healthz' },
    },
  };
  const definition = chartOfProcess(context);
  const text = JSON.stringify(definition);
  for (const secret of secrets) assert.ok(!text.includes(secret), `${secret} leaked: ${text}`);
  const config = (definition.context as { config: Record<string, unknown> }).config;
  assert.deepEqual(config.env, { DATABASE_PASSWORD: redactedMark, PORT: redactedMark });
  assert.deepEqual(config.args, ['server.js', '--password', redactedMark, `--token=${redactedMark}`, '--port', '8080']);
  assert.deepEqual(config.health_check, { url: `http://admin:${redactedMark}@127.0.0.1:8080/healthz` });
  assert.equal(config.command, 'node');
});
