import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BootGate } from '../../../src/runtime/worker/boot-gate.js';

test('the boot gate lets `limit` threads boot at once, the next one when one is done, in order', async () => {
  const gate = new BootGate(2);
  const never = new AbortController().signal;
  const first = await gate.enter(never);
  await gate.enter(never);
  const order: string[] = [];
  const third = gate.enter(never).then((release) => (order.push('third'), release));
  const fourth = gate.enter(never).then((release) => (order.push('fourth'), release));
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(order, [], 'two boot, the rest wait');
  assert.equal(gate.booting, 2);
  first();
  first(); // released twice: counted once
  (await third)();
  assert.deepEqual(order, ['third']);
  (await fourth)();
  assert.deepEqual(order, ['third', 'fourth']);
  assert.equal(gate.booting, 1);
});

test('a start stopped while it waits at the boot gate leaves the queue', async () => {
  const gate = new BootGate(1);
  const release = await gate.enter(new AbortController().signal);
  const stop = new AbortController();
  const waiting = gate.enter(stop.signal);
  const after = gate.enter(new AbortController().signal);
  stop.abort(new Error('stopped'));
  await assert.rejects(waiting, /stopped/);
  release();
  (await after)();
  assert.equal(gate.booting, 0);
});
