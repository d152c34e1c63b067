/** The health region's arithmetic, without the chart: health-verdict.ts on its own. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { judgeProbe, probeRecordOf, reconfiguredHealth } from '../../src/machines/health-verdict.js';
import { initialProcessContext } from '../../src/machines/process-context.js';
import type { HealthSettings, ProcessContext } from '../../src/machines/process-types.js';

const check: HealthSettings = { intervalMs: 1_000, timeoutMs: 500, startPeriodMs: 0, failureThreshold: 2, successThreshold: 1, restartAfter: 0 };

function context(changes: Partial<ProcessContext> = {}): ProcessContext {
  return { ...initialProcessContext({ id: 'p', healthCheck: check }), ...changes };
}

test('a probe that failed without a time of its own is placed an interval after the previous one', () => {
  const afterProbe = context({ lastProbe: { healthy: true, message: 'ok', at: 5_000 }, startedAt: 2_000 });
  assert.deepEqual(probeRecordOf(afterProbe, { error: new Error('refused') }), { healthy: false, message: 'refused', at: 6_000 });
  assert.deepEqual(probeRecordOf(context({ startedAt: 2_000 }), { timedOut: true }), {
    healthy: false,
    message: 'timed out after 500 ms',
    at: 3_000,
  });
});

test('a probe that changes neither the verdict nor the failure count is not reported', () => {
  const healthy = context({ health: 'healthy', healthSuccesses: 1, everHealthy: true });
  const again = judgeProbe(healthy, { healthy: true, message: 'ok', at: 1 });
  assert.equal(again.fact, undefined);
  assert.equal(again.changes.healthSuccesses, 2);
  const failing = judgeProbe(healthy, { healthy: false, message: 'HTTP 503', at: 2 });
  assert.equal(failing.fact?.type, 'health.changed', 'a failure counted below the threshold is');
  assert.equal(failing.changes.health, 'healthy');
});

test('a changed health check: removed, it ungates the run; added, it starts from no verdict; retimed, it keeps the verdict', () => {
  const gated = context({ health: 'starting', healthFailures: 1, healthGated: true });
  assert.deepEqual(reconfiguredHealth(gated, null), {
    healthCheck: undefined,
    health: 'unknown',
    healthFailures: 0,
    healthSuccesses: 0,
    lastProbe: undefined,
    healthGated: false,
  });
  const unchecked = { ...initialProcessContext({ id: 'p' }), everHealthy: true };
  assert.deepEqual(reconfiguredHealth(unchecked, check), {
    healthCheck: check,
    health: 'starting',
    healthFailures: 0,
    healthSuccesses: 0,
    everHealthy: false,
  });
  const retimed = { ...check, intervalMs: 5_000 };
  assert.deepEqual(reconfiguredHealth(context({ health: 'unhealthy', healthFailures: 3 }), retimed), { healthCheck: retimed });
});
