/**
 * XState's actor system at the scale statevisor runs it: one supervisor with a child per process.
 * Two of XState 5.33.3's paths were quadratic there, and statevisor ships XState with a patch
 * (patches/xstate+5.33.3.patch, bundled in the package; docs/upstream/ holds the same fix as a pull
 * request against upstream). These tests pin the patched behaviour without timing anything: they
 * instrument the store the path reads and count what it touches.
 *
 * - Stopping an actor cancels its delayed events (`scheduler.cancelAll`); unpatched, that visited
 *   every scheduled event of the whole system, so a mass stop was O(actors × scheduled events).
 * - Stopping a parent stops its children (`stopChildren`); unpatched, each child's stop copied the
 *   parent's children map, so a supervisor of 1,000 processes made ~500,000 property copies on
 *   shutdown (2 s measured; ~50 s at 10,000).
 * - `assign` built the next context with Object.assign({}, …), which leaves a context of the
 *   process chart's size (47 properties) in V8's dictionary mode: every later assign copied it
 *   property by property and every read was a hash lookup, on every transition of every process.
 *   A spread keeps it a fast object (and does not let an assigned `__proto__` key become the
 *   context's prototype).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { assign, createActor, createMachine, setup, SimulatedClock, spawnChild, stopChild, type AnyActorRef } from 'xstate';

const siblings = 50;

/** A child that waits a minute in `waiting`: one delayed event on the system's scheduler. */
const waiter = createMachine({ initial: 'waiting', states: { waiting: { after: { 60_000: 'done' } }, done: {} } });

/** A parent that spawns `count` waiters on start and can stop the one named `stopId`. */
function parentOf(count: number) {
  return setup({ actors: { waiter }, types: { events: {} as { type: 'stopOne'; id: string } } }).createMachine({
    entry: Array.from({ length: count }, (_, i) => spawnChild('waiter', { id: `child-${i}` })),
    on: { stopOne: { actions: stopChild(({ event }) => event.id) } },
  });
}

interface SchedulerStore {
  _snapshot: { _scheduledEvents: Record<string, { source: AnyActorRef }> };
}

/** Replaces the system's scheduled-event store with a proxy that records every key it is asked about. */
function recordKeysTouched(system: unknown): Set<string> {
  const touched = new Set<string>();
  const store = (system as SchedulerStore)._snapshot;
  store._scheduledEvents = new Proxy(store._scheduledEvents, {
    get: (target, key, receiver) => (typeof key === 'string' && touched.add(key), Reflect.get(target, key, receiver)),
    getOwnPropertyDescriptor: (target, key) => (typeof key === 'string' && touched.add(key), Reflect.getOwnPropertyDescriptor(target, key)),
    has: (target, key) => (typeof key === 'string' && touched.add(key), Reflect.has(target, key)),
    deleteProperty: (target, key) => (typeof key === 'string' && touched.add(key), Reflect.deleteProperty(target, key)),
  });
  return touched;
}

test("stopping one actor touches only its own scheduled events, never another actor's", () => {
  const clock = new SimulatedClock();
  const actor = createActor(parentOf(siblings), { clock }).start();
  const scheduled = (actor.system as unknown as SchedulerStore)._snapshot._scheduledEvents;
  assert.equal(Object.keys(scheduled).length, siblings, 'each child has its delayed event scheduled');
  const stopped = actor.getSnapshot().children['child-7']!;
  const own = (key: string) => key.startsWith(`${stopped.sessionId}.`);

  const touched = recordKeysTouched(actor.system);
  actor.send({ type: 'stopOne', id: 'child-7' });

  assert.deepEqual([...touched].filter((key) => !own(key)), [], 'no other actor\'s scheduled event is read');
  assert.ok([...touched].some(own), 'the stopped actor\'s own event was cancelled through the store');
  const left = Object.keys((actor.system as unknown as SchedulerStore)._snapshot._scheduledEvents);
  assert.equal(left.length, siblings - 1);
  assert.ok(!left.some(own), 'the stopped actor\'s event is gone');
  actor.stop();
});

test('a stopped actor\'s delayed event never fires, and the others still do', () => {
  const clock = new SimulatedClock();
  const actor = createActor(parentOf(3), { clock }).start();
  const child = (id: string) => actor.getSnapshot().children[id]!;
  const [kept, gone] = [child('child-0'), child('child-1')];
  actor.send({ type: 'stopOne', id: 'child-1' });
  clock.increment(60_000);
  assert.equal(kept.getSnapshot().value, 'done');
  assert.equal(gone.getSnapshot().status, 'stopped');
  assert.equal(gone.getSnapshot().value, 'waiting');
  assert.deepEqual(Object.keys((actor.system as unknown as SchedulerStore)._snapshot._scheduledEvents), []);
  actor.stop();
});

/** Makes every entry of `children` a getter that counts its reads: any copy of the map reads them all. */
function countReads(children: Record<string, unknown>): () => number {
  let reads = 0;
  for (const [id, child] of Object.entries(children)) {
    Object.defineProperty(children, id, { enumerable: true, configurable: true, get: () => (reads++, child) });
  }
  return () => reads;
}

test('stopping a parent reads each child once and does not copy its children map per child', () => {
  const clock = new SimulatedClock();
  const actor = createActor(parentOf(siblings), { clock }).start();
  const children = Object.values(actor.getSnapshot().children) as AnyActorRef[];
  const reads = countReads(actor.getSnapshot().children as Record<string, unknown>);

  actor.stop();

  assert.equal(reads(), siblings, 'each child is read once, to stop it; a copy of the map would read every one again');
  assert.ok(children.every((child) => child.getSnapshot().status === 'stopped'), 'every child is stopped');
  assert.deepEqual(Object.keys((actor.system as unknown as SchedulerStore)._snapshot._scheduledEvents), [], 'their delayed events are cancelled');
});

test('a parent that reaches its final state stops every child and cancels their delayed events', () => {
  const clock = new SimulatedClock();
  const machine = setup({ actors: { waiter } }).createMachine({
    initial: 'live',
    states: {
      live: {
        entry: Array.from({ length: 5 }, (_, i) => spawnChild('waiter', { id: `child-${i}` })),
        on: { finish: 'over' },
      },
      over: { type: 'final' },
    },
  });
  const actor = createActor(machine, { clock }).start();
  const children = Object.values(actor.getSnapshot().children) as AnyActorRef[];
  actor.send({ type: 'finish' });
  assert.equal(actor.getSnapshot().status, 'done');
  assert.ok(children.every((child) => child.getSnapshot().status === 'stopped'));
  assert.deepEqual(Object.keys((actor.system as unknown as SchedulerStore)._snapshot._scheduledEvents), []);
});

test('an assigned __proto__ key is a property of the context, not its prototype', () => {
  const machine = setup({ types: { context: {} as Record<string, unknown> } }).createMachine({
    context: { kept: 1 },
    // What an event carrying parsed JSON would assign.
    on: { load: { actions: assign(() => JSON.parse('{"__proto__": {"injected": true}, "loaded": 1}') as Record<string, unknown>) } },
  });
  const actor = createActor(machine).start();
  actor.send({ type: 'load' });
  const { context } = actor.getSnapshot();
  assert.equal(Object.getPrototypeOf(context), Object.prototype);
  assert.equal((context as { injected?: unknown }).injected, undefined);
  assert.deepEqual(Object.keys(context).sort(), ['__proto__', 'kept', 'loaded']);
  actor.stop();
});

test("a process actor's context stays a fast object in V8 through assigns (not a dictionary)", { timeout: 60_000 }, () => {
  // %HasFastProperties needs --allow-natives-syntax: asked of a child Node on the real process chart.
  const chart = new URL('../../src/machines/process.machine.js', import.meta.url).href;
  const script = `
    const { createActor } = await import('xstate');
    const { processMachine } = await import(${JSON.stringify(chart)});
    const actor = createActor(processMachine, { input: { id: 'p', reportsToParent: false, seed: 1 } }).start();
    for (let i = 0; i < 3; i++) actor.send({ type: 'reconfigure', settings: { resyncIntervalMs: 1000 + i } });
    const { context } = actor.getSnapshot();
    console.log(JSON.stringify({ keys: Object.keys(context).length, fast: %HasFastProperties(context) }));
    actor.stop();`;
  const out = execFileSync(process.execPath, ['--allow-natives-syntax', '--input-type=module', '-e', script], {
    cwd: new URL('../../../', import.meta.url),
    encoding: 'utf8',
  });
  const { keys, fast } = JSON.parse(out) as { keys: number; fast: boolean };
  assert.ok(keys > 40, `the chart's context is as large as it is (${keys} properties)`);
  assert.equal(fast, true);
});
