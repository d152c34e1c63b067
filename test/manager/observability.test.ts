import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { InspectionEvent } from 'xstate';
import { simulatedManager } from '../helpers/simulated-manager.js';
import { recordingLogger } from '../helpers/recording-logger.js';

test('every transition is logged once at debug, with process, from, to and reason', async (t) => {
  const logger = recordingLogger();
  const h = simulatedManager({ logger });
  t.after(() => h.dispose());
  h.manager.updateProcess({ id: 'a', type: 'create' });
  await h.advance(0);
  h.manager.updateProcess({ id: 'a', type: 'terminate', terminate: { gracePeriodSecs: 3 } });
  await h.advance(0);
  const logged = logger.records.filter((l) => l.message === 'transition');
  // Not at info: a mass stop would fill the daemon's log with what Describe and WatchEvents tell.
  assert.deepEqual(new Set(logged.map((l) => l.level)), new Set(['debug']));
  const transitions = logged.map((l) => l.fields);
  assert.deepEqual(
    transitions.map((o) => [o.process, o.from, o.to]),
    [
      ['a', null, 'starting'],
      ['a', 'starting', 'syncing'],
      ['a', 'syncing', 'terminating'],
      ['a', 'terminating', 'terminated'],
      ['a', 'terminated', 'finished'],
    ],
  );
  assert.equal(transitions[2]?.reason, 'requested, grace period 3 s');
  assert.ok(transitions.every((o) => typeof o.reason === 'string' && o.reason.length > 0));
});

test('inspect receives the XState inspection events of the process actors', async (t) => {
  const events: InspectionEvent[] = [];
  const h = simulatedManager({ inspect: (event) => events.push(event) });
  t.after(() => h.dispose());
  h.manager.updateProcess({ id: 'watched', type: 'create' });
  await h.advance(0);
  const idOf = (e: InspectionEvent) => (e.actorRef as { id?: string }).id;
  const processActor = events.find((e) => e.type === '@xstate.actor' && idOf(e) === 'watched');
  assert.ok(processActor, 'the process actor was announced');
  assert.ok(
    events.some(
      (e) =>
        e.type === '@xstate.snapshot' &&
        idOf(e) === 'watched' &&
        JSON.stringify((e.snapshot as unknown as { value: unknown }).value) === '{"syncing":{"sync":"resyncInterval","health":"off"}}',
    ),
    'its snapshots are inspected',
  );
});
