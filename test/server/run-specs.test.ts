/** "spec changed, restart pending": what a live run lacks of the stored spec, and nothing once it is gone. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateSpec } from '../../src/spec/validate.js';
import { RunSpecs } from '../../src/server/run-specs.js';

const started = validateSpec({ name: 'web', command: 'sleep', args: ['60'] });
const stored = validateSpec({ name: 'web', command: 'sleep', args: ['60'], env: { A: '1' }, restart: { policy: 'always' } });

test('a live run lacks the restart-required fields stored since it started; hot ones are not pending', () => {
  const runs = new RunSpecs({ isAlive: () => true });
  runs.started('id', started);
  assert.deepEqual(runs.pendingFor('id', stored), ['env']);
  assert.deepEqual(runs.pendingFor('id', started), []);
});

test('without a live run nothing is pending: the next start takes the stored spec whole', () => {
  let alive = true;
  const runs = new RunSpecs({ isAlive: () => alive });
  assert.equal(runs.pendingFor('id', stored), undefined, 'never started');
  runs.started('id', started);
  alive = false;
  assert.equal(runs.pendingFor('id', stored), undefined, 'its workload is gone');
  alive = true;
  runs.ended('id');
  assert.equal(runs.pendingFor('id', stored), undefined, 'its run ended');
});
