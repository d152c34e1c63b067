import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UsageMonitor } from '../../src/server/usage-monitor.js';
import { waitUntil } from '../helpers/leaks.js';

test('a failing sampling cycle is counted and reported, and the timer goes on', async (t) => {
  const errors: unknown[] = [];
  let calls = 0;
  const monitor = new UsageMonitor(
    {
      targets: () => {
        calls += 1;
        throw Object.assign(new Error('EMFILE: too many open files'), { code: 'EMFILE' });
      },
    },
    5,
    (error) => errors.push(error),
  );
  t.after(() => monitor.stop());
  monitor.start();
  await waitUntil('three cycles have failed', () => monitor.stats.failures >= 3);
  assert.equal(errors.length, monitor.stats.failures);
  assert.match((errors[0] as Error).message, /EMFILE/);
  assert.ok(calls >= 3);
  assert.equal(monitor.stats.cycles, 0);
});

test('a cycle samples every running target; a target that vanished is no error', async (t) => {
  const monitor = new UsageMonitor({ targets: () => new Map([['self', { pid: process.pid }], ['gone', { pid: 2 ** 22 + 1 }]]) }, 60_000);
  t.after(() => monitor.stop());
  await monitor.cycle();
  assert.equal(monitor.stats.cycles, 1);
  assert.equal(monitor.stats.lastCycleProcesses, 2);
  assert.ok((monitor.latest('self')?.rssBytes ?? 0) > 0, 'this process has a resident set');
});

test('soon() samples well before the next interval, once for starts that come together', async (t) => {
  let cycles = 0;
  const monitor = new UsageMonitor({ targets: () => (cycles++, new Map()) }, 60_000);
  t.after(() => monitor.stop());
  monitor.soon(10);
  assert.equal(cycles, 0, 'not started: nothing is scheduled');
  monitor.start();
  monitor.soon(10);
  monitor.soon(10);
  await waitUntil('a cycle ran', () => monitor.stats.cycles === 1);
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal(monitor.stats.cycles, 1, 'three requests, one cycle');
});
