/**
 * The daemon spawns its children from its spawner (runtime/exec/spawner.ts), a small process
 * whose fork is cheap. A kill -9 of the spawner while the daemon lives loses no workload: each is
 * watched as a survivor (pid and start time), its exit noticed, its restart policy applied, and
 * the next spawn forks a new spawner. The daemon's stop ends the spawner (the harness checks).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { daemonFor, described, untilDescribed } from '../helpers/process-waits.js';
import { procParent, sleepsWithMarker, spawnersFor, waitUntil } from '../helpers/leaks.js';

const summary = (p: { state: string; pid: number }) => ({ state: p.state, pid: p.pid });

test('children are spawned by the spawner, and a kill -9 of the spawner loses none: watched, restarted, stopped as before', async (t) => {
  const h = await daemonFor(t);
  await h.client.createProcess({ name: 'web', command: 'sleep', args: h.sleepArgs(), restart: { policy: 'always', delayMs: 100 } }, { start: true });
  await h.client.createProcess({ name: 'once', command: 'sh', args: ['-c', `exit 3 # ${h.marker}`], restart: { policy: 'no' } }, { start: true });
  const web = await untilDescribed(h, 'web', 'running', (p) => p.state === 'RUNNING', { timeoutMs: 10_000, summary });
  const [spawner] = spawnersFor(h.stateDir);
  assert.ok(spawner !== undefined, 'the daemon runs a spawner');
  assert.equal(procParent(spawner), process.pid);
  assert.equal(procParent(web.pid), spawner, "the workload is the spawner's child, not the daemon's");
  const once = await untilDescribed(h, 'once', 'failed', (p) => p.state === 'FAILED', { timeoutMs: 10_000, summary });
  assert.equal(once.exitCode, 3, 'the exit status came back from the spawner');

  process.kill(spawner, 'SIGKILL');
  await waitUntil('the spawner is gone', () => spawnersFor(h.stateDir).length === 0);
  assert.deepEqual(summary(await described(h, 'web')), { state: 'RUNNING', pid: web.pid }, 'not taken for lost');

  // Its exit, now init's to reap, is seen by identity; the policy restarts it from a new spawner.
  process.kill(web.pid, 'SIGKILL');
  const again = await untilDescribed(h, 'web', 'restarted', (p) => p.state === 'RUNNING' && p.pid > 0 && p.pid !== web.pid, { timeoutMs: 15_000, summary });
  const [next] = spawnersFor(h.stateDir);
  assert.ok(next !== undefined && next !== spawner, 'a new spawner');
  assert.equal(procParent(again.pid), next);
  // Reaping the orphan is init's business now (this machine's pid 1 does it only now and then).
  assert.ok(![process.pid, next].includes(procParent(web.pid)!), 'no zombie of ours');

  const stopped = await h.client.stopProcess('web', { gracePeriodMs: 2_000 });
  assert.equal(stopped.state, 'STOPPED');
  assert.deepEqual(sleepsWithMarker(h.marker), []);
});
