/**
 * The health region of the syncing phase, on a SimulatedClock with a scripted probe: thresholds,
 * start period, timeouts, restart_after, and hot changes of the check. No sleeps: time moves only
 * when the test advances it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { HealthSettings, ProcessFact } from '../../src/index.js';
import { simulatedManager, untilAborted, type Harness } from '../helpers/simulated-manager.js';

const check: HealthSettings = {
  intervalMs: 1_000,
  timeoutMs: 500,
  startPeriodMs: 0,
  failureThreshold: 3,
  successThreshold: 1,
  restartAfter: 0,
};

function create(h: Harness, id: string, healthCheck: Partial<HealthSettings> = {}): void {
  h.manager.updateProcess({ id, type: 'create', settings: { healthCheck: { ...check, ...healthCheck } } });
}

/** Scripted verdicts, one per probe; the last repeats. */
function verdicts(h: Harness, sequence: boolean[]): void {
  let index = 0;
  h.syncer.onProbe = () => {
    const healthy = sequence[Math.min(index, sequence.length - 1)]!;
    index += 1;
    return { healthy, message: healthy ? 'ok' : 'HTTP 503' };
  };
}

function healthFacts(h: Harness): (ProcessFact & { type: 'health.changed' })[] {
  const facts: (ProcessFact & { type: 'health.changed' })[] = [];
  h.manager.actor.on('health.changed', (fact) => facts.push(fact as ProcessFact & { type: 'health.changed' }));
  return facts;
}

test('without a health check no probe runs and health is unknown', async (t) => {
  const h = simulatedManager();
  t.after(() => h.dispose());
  h.manager.updateProcess({ id: 'a', type: 'create' });
  await h.advance(5_000);
  assert.equal(h.syncer.of('a', 'probe').length, 0);
  assert.equal(h.manager.getProcessStatus('a')?.health, 'unknown');
});

test('a check probes at once, then every interval; the first success makes it healthy', async (t) => {
  const h = simulatedManager();
  t.after(() => h.dispose());
  create(h, 'a');
  await h.advance(0);
  assert.equal(h.syncer.of('a', 'probe').length, 1, 'probed as soon as the workload is up');
  assert.equal(h.manager.getProcessStatus('a')?.health, 'healthy');
  assert.equal(h.manager.getProcessSnapshot('a')?.context.everHealthy, true);
  await h.advance(3_000);
  assert.deepEqual(
    h.syncer.of('a', 'probe').map((c) => c.at),
    [0, 1_000, 2_000, 3_000],
  );
});

test('failure_threshold failures in a row make it unhealthy; one success makes it healthy again', async (t) => {
  const h = simulatedManager();
  t.after(() => h.dispose());
  const facts = healthFacts(h);
  verdicts(h, [true, false, false, false, false, true]);
  create(h, 'a');
  await h.advance(0);
  await h.advance(2_000);
  assert.equal(h.manager.getProcessStatus('a')?.health, 'healthy', 'two failures are below the threshold');
  assert.equal(h.manager.getProcessStatus('a')?.healthFailures, 2);
  await h.advance(1_000);
  assert.equal(h.manager.getProcessStatus('a')?.health, 'unhealthy');
  assert.equal(h.manager.getProcessStatus('a')?.healthy, false);
  await h.advance(2_000);
  assert.equal(h.manager.getProcessStatus('a')?.health, 'healthy');
  assert.equal(h.manager.getProcessStatus('a')?.healthFailures, 0, 'the count resets on recovery');
  assert.deepEqual(
    facts.map((f) => [f.health, f.failures]),
    [['healthy', 0], ['healthy', 1], ['healthy', 2], ['unhealthy', 3], ['unhealthy', 4], ['healthy', 0]],
  );
  assert.equal(facts[3]?.message, 'HTTP 503');
  assert.deepEqual([facts[3]?.previous, facts[5]?.previous], ['healthy', 'unhealthy']);
});

test('success_threshold asks for that many successes in a row before healthy', async (t) => {
  const h = simulatedManager();
  t.after(() => h.dispose());
  verdicts(h, [true, false, true, true]);
  create(h, 'a', { successThreshold: 2 });
  await h.advance(0);
  assert.equal(h.manager.getProcessStatus('a')?.health, 'starting');
  await h.advance(2_000);
  assert.equal(h.manager.getProcessStatus('a')?.health, 'starting', 'the failure broke the streak');
  await h.advance(1_000);
  assert.equal(h.manager.getProcessStatus('a')?.health, 'healthy');
});

test('failures within start_period are not counted; a success within it is', async (t) => {
  const h = simulatedManager();
  t.after(() => h.dispose());
  verdicts(h, [false]);
  create(h, 'a', { startPeriodMs: 2_500, failureThreshold: 1 });
  await h.advance(2_000);
  assert.equal(h.syncer.of('a', 'probe').length, 3);
  assert.equal(h.manager.getProcessStatus('a')?.health, 'starting', 'no verdict during the start period');
  assert.equal(h.manager.getProcessStatus('a')?.healthFailures, 0);
  await h.advance(1_000);
  assert.equal(h.manager.getProcessStatus('a')?.health, 'unhealthy', 'the first failure after it counts');

  verdicts(h, [true]);
  create(h, 'b', { startPeriodMs: 60_000 });
  await h.advance(0);
  assert.equal(h.manager.getProcessStatus('b')?.health, 'healthy');
});

test('a probe still running at timeout_ms is cancelled and counts as a failure', async (t) => {
  const h = simulatedManager();
  t.after(() => h.dispose());
  const facts = healthFacts(h);
  h.syncer.onProbe = (call) => untilAborted(call.signal);
  create(h, 'a', { failureThreshold: 1 });
  await h.advance(499, 1);
  const first = h.syncer.of('a', 'probe')[0]!;
  assert.equal(first.signal.aborted, false);
  await h.advance(1, 1);
  assert.equal(first.signal.aborted, true, 'the probe is told to release what it started');
  assert.equal(h.manager.getProcessStatus('a')?.health, 'unhealthy');
  assert.equal(facts[0]?.message, 'timed out after 500 ms');
  await h.advance(1_000);
  assert.equal(h.syncer.of('a', 'probe').length, 2, 'the next probe comes an interval after the timeout');
});

test('a probe that throws is a failure carrying the error', async (t) => {
  const h = simulatedManager();
  t.after(() => h.dispose());
  h.syncer.onProbe = () => {
    throw new Error('connect ECONNREFUSED 127.0.0.1:8080');
  };
  create(h, 'a', { failureThreshold: 1 });
  await h.advance(0);
  const c = h.manager.getProcessSnapshot('a')?.context;
  assert.equal(c?.health, 'unhealthy');
  assert.equal(c?.lastProbe?.message, 'connect ECONNREFUSED 127.0.0.1:8080');
});

test('restart_after failures stop the run through terminating and start a new one, whatever the policy', async (t) => {
  const h = simulatedManager({ restart: { policy: 'no', delayMs: 100, startLimitBurst: 0 } });
  t.after(() => h.dispose());
  verdicts(h, [true, false, false, true]);
  create(h, 'a', { restartAfter: 2, failureThreshold: 1 });
  await h.advance(2_000);
  const terminating = h.syncer.of('a', 'terminating');
  assert.equal(terminating.length, 1, 'stopped through the normal stop path');
  assert.equal(terminating[0]?.gracePeriodSecs, 30, 'with its grace period');
  assert.equal(terminating[0]?.at, 2_000);
  await h.advance(1_000);
  const status = h.manager.getProcessStatus('a');
  assert.equal(status?.runCount, 2, 'started again');
  assert.equal(status?.restartCount, 1);
  assert.equal(status?.phase, 'syncing');
  assert.equal(status?.health, 'healthy');
  assert.equal(status?.healthFailures, 0, 'the new run starts its count from 0');
  assert.match(h.manager.getProcessSnapshot('a')?.context.lastDecision?.reason ?? '', /unhealthy: 2 health checks failed/);
});

test('a stop requested while unhealthy is not turned into a restart', async (t) => {
  const h = simulatedManager({ restart: { policy: 'always', delayMs: 100, startLimitBurst: 0 } });
  t.after(() => h.dispose());
  verdicts(h, [false]);
  create(h, 'a', { restartAfter: 5, failureThreshold: 1 });
  await h.advance(1_000);
  h.manager.updateProcess({ id: 'a', type: 'terminate' });
  await h.advance(1_000);
  assert.equal(h.manager.getProcessStatus('a')?.phase, 'finished');
  assert.equal(h.manager.getProcessStatus('a')?.outcome, 'stopped');
});

test('a health check added to a live process starts probing; removing it stops probing', async (t) => {
  const h = simulatedManager();
  t.after(() => h.dispose());
  h.manager.updateProcess({ id: 'a', type: 'create' });
  await h.advance(1_000);
  h.manager.reconfigureProcess('a', { healthCheck: check });
  await h.advance(0);
  assert.equal(h.syncer.of('a', 'probe').length, 1);
  assert.equal(h.manager.getProcessStatus('a')?.health, 'healthy');
  h.manager.reconfigureProcess('a', { healthCheck: { ...check, intervalMs: 5_000 } });
  await h.advance(0);
  assert.equal(h.manager.getProcessStatus('a')?.health, 'healthy', 'new timings keep the verdict');
  const probes = h.syncer.of('a', 'probe').length;
  await h.advance(4_000);
  assert.equal(h.syncer.of('a', 'probe').length, probes, 'the new interval is in force');
  h.manager.reconfigureProcess('a', { healthCheck: null });
  const after = h.syncer.of('a', 'probe').length;
  await h.advance(20_000);
  assert.equal(h.syncer.of('a', 'probe').length, after, 'no probe once the check is removed');
  assert.equal(h.manager.getProcessStatus('a')?.health, 'unknown');
});

test('probes stop with the run: none runs while terminating or after', async (t) => {
  const h = simulatedManager();
  t.after(() => h.dispose());
  h.syncer.onTerminating = (call) => untilAborted(call.signal);
  create(h, 'a');
  await h.advance(1_000);
  h.manager.updateProcess({ id: 'a', type: 'terminate', terminate: { gracePeriodSecs: 10 } });
  const before = h.syncer.of('a', 'probe').length;
  await h.advance(20_000);
  assert.equal(h.syncer.of('a', 'probe').length, before);
});

test('start_timeout: a health-gated run not healthy in time fails its start and follows the policy', async (t) => {
  const h = simulatedManager({ restart: { policy: 'on-failure', delayMs: 1_000, startLimitBurst: 0 } });
  t.after(() => h.dispose());
  verdicts(h, [false]);
  h.manager.updateProcess({ id: 'a', type: 'create', settings: { healthCheck: check, startTimeoutMs: 5_000 } });
  await h.advance(4_900, 100);
  assert.equal(h.syncer.of('a', 'terminating').length, 0, 'still within start_timeout');
  await h.advance(100, 100);
  const terminating = h.syncer.of('a', 'terminating');
  assert.equal(terminating.length, 1, 'stopped through the normal stop path');
  assert.equal(terminating[0]?.at, 5_000);
  await h.advance(0);
  const status = h.manager.getProcessStatus('a');
  assert.match(h.manager.getProcessSnapshot('a')?.context.lastDecision?.reason ?? '', /not healthy within start_timeout \(5000 ms\)/);
  assert.equal(status?.phase, 'terminated', 'waiting to restart, as on-failure says');
  assert.equal(h.manager.getProcessSnapshot('a')?.context.failureStreak, 1);
});

test('start_timeout does not fire once the run has been healthy, nor without a health check', async (t) => {
  const h = simulatedManager({ restart: { policy: 'no' } });
  t.after(() => h.dispose());
  verdicts(h, [false, true, false]);
  h.manager.updateProcess({ id: 'gated', type: 'create', settings: { healthCheck: check, startTimeoutMs: 5_000 } });
  h.manager.updateProcess({ id: 'plain', type: 'create', settings: { startTimeoutMs: 5_000 } });
  await h.advance(20_000, 100);
  assert.equal(h.syncer.of('gated', 'terminating').length, 0, 'healthy at 1 s: the start was complete');
  assert.equal(h.syncer.of('plain', 'terminating').length, 0, 'no check: complete at spawn');
  assert.equal(h.manager.getProcessStatus('gated')?.health, 'unhealthy', 'later failures are health, not start, failures');
});
