/**
 * Readable inspection: XState's inspection events of a real actor system (the supervisor and a
 * process chart, hooks scripted, on a SimulatedClock) become one step per state change a person
 * cares about, with the event, from → to and the reason the chart computed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { InspectionEvent } from 'xstate';
import { InspectionReader, type InspectionStep } from '../../src/charts/inspection-steps.js';
import { pathsPhrase, leafPaths } from '../../src/charts/state-paths.js';
import { stepLine } from '../../src/charts/step-lines.js';
import { simulatedManager } from '../helpers/simulated-manager.js';

function crashLoop() {
  const events: InspectionEvent[] = [];
  const h = simulatedManager({ restart: { policy: 'always', delayMs: 1_000, startLimitBurst: 0 }, resyncIntervalMs: 0, inspect: (event) => events.push(event) });
  return { h, events };
}

const visible = (steps: InspectionStep[]) => steps.filter((step) => !step.internal);

test('one crash-loop restart is five steps: event, from → to, and the reason the chart gave', async () => {
  const { h, events } = crashLoop();
  h.manager.updateProcess({ id: 'flaky', type: 'create' });
  await h.advance(0);
  const reader = new InspectionReader(() => h.clock.now());
  reader.seed([h.manager.actor, ...Object.values(h.manager.actor.getSnapshot().children).map((child) => child!)]);
  events.length = 0;
  h.manager.reportWorkloadExit('flaky', { exitCode: 3, signal: null, at: h.clock.now() });
  await h.advance(1_000);
  const steps = events.map((event) => reader.read(event));
  const lines = visible(steps).map((step) => `${step.actorId} ${step.event}${step.payload ? ` ${step.payload}` : ''}: ${pathsPhrase(step.from ?? [])} → ${pathsPhrase(step.to ?? [])} (${step.reason ?? ''})`)
    // The restart delay is jittered.
    .map((line) => line.replace(/restarting in \d+ ms/, 'restarting in N ms'));
  assert.deepEqual(lines, [
    'flaky workload.exited code=3: syncing.{sync.awaitingUpdate, health.off} → terminating.stopHook (exited with code 3)',
    'flaky stopHook done: terminating.stopHook → terminated.cleanupHook (cleaning up)',
    'flaky cleanupHook done: terminated.cleanupHook → terminated.restartDelay (exited with code 3; restarting in N ms)',
    'flaky after restartDelay: terminated.restartDelay → starting.syncHook (run 2)',
    'flaky syncHook done: starting.syncHook → syncing.{sync.awaitingUpdate, health.off} (first sync succeeded)',
  ]);
  assert.ok(steps.length > 40, `XState reported ${steps.length} events; all but five are internal`);
  assert.ok(steps.some((step) => step.internal && step.kind === 'microstep'));
  assert.ok(steps.some((step) => step.internal && step.event === 'init'), 'the hooks’ actors start with xstate.init');
  h.dispose();
});

test('a step is a line: time, name, event, from → to, why', () => {
  const at = new Date(2026, 11, 1, 14, 2, 11, 250).getTime();
  const step: InspectionStep = {
    kind: 'transition',
    at,
    actorId: 'id-1',
    name: 'flaky',
    internal: false,
    event: 'workload.exited',
    payload: 'code=3',
    from: ['syncing.sync.awaitingUpdate', 'syncing.health.off'],
    to: ['terminating.stopHook'],
    reason: 'exited with code 3',
  };
  assert.equal(stepLine(step), '14:02:11.250  flaky  workload.exited code=3  syncing.{sync.awaitingUpdate, health.off} → terminating.stopHook  (exited with code 3)');
  assert.equal(stepLine({ kind: 'state', at, actorId: 'x', name: 'web', internal: false, to: ['finished'], status: 'active', replay: true }), '14:02:11.250  web  is in finished');
  assert.equal(stepLine({ kind: 'missed', at, actorId: '', internal: false, count: 12 }), '14:02:11.250  missed 12 inspection events (this watcher fell behind); the current state follows');
});

test('a state value as leaf paths, and several paths as one phrase', () => {
  assert.deepEqual(leafPaths('finished'), ['finished']);
  assert.deepEqual(leafPaths({ syncing: { sync: 'awaitingUpdate', health: { checking: { probes: 'probe', startPeriod: 'over' } } } }), [
    'syncing.sync.awaitingUpdate',
    'syncing.health.checking.probes.probe',
    'syncing.health.checking.startPeriod.over',
  ]);
  assert.deepEqual(leafPaths(undefined), []);
  assert.equal(pathsPhrase(['a.b.c', 'a.b.d']), 'a.b.{c, d}');
  assert.equal(pathsPhrase(['a', 'b']), 'a, b');
  assert.equal(pathsPhrase([]), '∅');
});

test('event payloads are short and carry no secret', async () => {
  const { eventPhrase } = await import('../../src/charts/inspection-steps.js');
  assert.deepEqual(eventPhrase({ type: 'terminate', reason: 'requested', gracePeriodSecs: 5 }), { event: 'terminate', payload: 'reason=requested gracePeriodSecs=5' });
  assert.deepEqual(eventPhrase({ type: 'update', updateType: 'update', config: { env: { A: 'b' } }, token: 'abc' }), { event: 'update', payload: 'updateType=update token=[redacted]' });
  assert.deepEqual(eventPhrase({ type: 'xstate.error.actor.0.process.starting.syncHook', error: new Error('spawn ENOENT') }), { event: 'syncHook failed', payload: 'spawn ENOENT' });
  assert.equal(eventPhrase({ type: 'x', long: 'y'.repeat(200) }).payload!.length <= 80, true);
});
