import { test } from 'node:test';
import assert from 'node:assert/strict';
import { healthOf } from '../../src/server/process-view.js';
import type { ProcessState } from '../../src/machines/process-state.js';
import type { HealthStatus } from '../../src/machines/process-types.js';

// [state, the chart's last verdict, whether this run's workload came up, what the view shows]
// Health belongs to a run that is up: STARTING with a check, RUNNING, STOPPING of a run that was
// up. Otherwise it is unknown (`-`), whatever verdict the chart still holds.
const table: [ProcessState, HealthStatus | undefined, boolean, HealthStatus][] = [
  ['CREATED', undefined, false, 'unknown'],
  ['STARTING', 'starting', false, 'starting'],
  ['STARTING', 'starting', true, 'starting'],
  ['STARTING', 'unhealthy', true, 'unhealthy'],
  ['STARTING', 'unknown', false, 'unknown'],
  ['RUNNING', 'healthy', true, 'healthy'],
  ['RUNNING', 'unhealthy', true, 'unhealthy'],
  ['RUNNING', 'unknown', true, 'unknown'],
  ['STOPPING', 'healthy', true, 'healthy'],
  ['STOPPING', 'starting', false, 'unknown'],
  // Regression: a BACKOFF process showed `healthy` (its last run's verdict) or `starting`.
  ['BACKOFF', 'healthy', false, 'unknown'],
  ['BACKOFF', 'starting', false, 'unknown'],
  ['BACKOFF', 'unhealthy', true, 'unknown'],
  ['STOPPED', 'healthy', true, 'unknown'],
  ['EXITED', 'healthy', true, 'unknown'],
  ['FAILED', 'unhealthy', true, 'unknown'],
];

for (const [state, verdict, up, shown] of table) {
  test(`${state} with verdict ${verdict ?? 'none'}${up ? ', its workload up' : ''}: health ${shown}`, () => {
    const context = verdict === undefined ? undefined : { health: verdict, startedAt: up ? 1_000 : undefined };
    assert.equal(healthOf(state, context), shown);
  });
}
