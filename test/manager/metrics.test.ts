import { test } from 'node:test';
import assert from 'node:assert/strict';
import { simulatedManager } from '../helpers/simulated-manager.js';
import { createPrometheusMetrics, type MetricsCollector } from '../../src/index.js';

function recordingMetrics() {
  const calls: [string, ...unknown[]][] = [];
  const record =
    (name: string) =>
    (...args: unknown[]) => {
      calls.push([name, ...args]);
    };
  const collector: MetricsCollector = {
    processStateTransition: record('processStateTransition'),
    processSyncDuration: record('processSyncDuration'),
    processTerminationDuration: record('processTerminationDuration'),
    processError: record('processError'),
    processRestart: record('processRestart'),
    workQueueDepth: record('workQueueDepth'),
    workQueueAdd: record('workQueueAdd'),
    workQueueRetry: record('workQueueRetry'),
    workQueueBackoffDuration: record('workQueueBackoffDuration'),
  };
  return { calls, collector, named: (name: string) => calls.filter((c) => c[0] === name) };
}

test('all nine metrics hooks are called by a run with an error, a restart and a termination', async (t) => {
  const m = recordingMetrics();
  const h = simulatedManager({
    metrics: m.collector,
    resyncIntervalMs: 1_000,
    restart: { policy: 'always', delayMs: 500, startLimitBurst: 0 },
  });
  t.after(() => h.dispose());
  let syncs = 0;
  h.syncer.onSync = () => {
    syncs += 1;
    if (syncs === 1) throw new Error('first try fails');
    return { terminal: syncs === 3 };
  };
  h.manager.updateProcess({ id: 'a', type: 'create' });
  await h.advance(3_000);
  h.manager.updateProcess({ id: 'a', type: 'terminate' });
  await h.advance(0);

  const names = new Set(m.calls.map((c) => c[0]));
  assert.deepEqual([...names].sort(), [
    'processError',
    'processRestart',
    'processStateTransition',
    'processSyncDuration',
    'processTerminationDuration',
    'workQueueAdd',
    'workQueueBackoffDuration',
    'workQueueDepth',
    'workQueueRetry',
  ]);
  assert.deepEqual(m.named('processStateTransition').slice(0, 2), [
    ['processStateTransition', 'a', null, 'starting'],
    ['processStateTransition', 'a', 'starting', 'syncing'],
  ]);
  assert.deepEqual(m.named('processError')[0], ['processError', 'a', 'starting']);
  assert.equal(m.named('processRestart').length, 1);
  const failedSync = m.named('processSyncDuration')[0]!;
  assert.equal(failedSync[2], 'create');
  assert.ok(failedSync[4] instanceof Error, 'a failed sync reports its error');
  const backoff = m.named('workQueueBackoffDuration')[0]![2] as number;
  assert.ok(backoff >= 0.8 && backoff <= 1, `first backoff ${backoff}s`);
  assert.deepEqual(m.named('workQueueDepth').at(-1), ['workQueueDepth', 0]);
});

test('the Prometheus collector exposes procmgr metric names under its namespace', async (t) => {
  const metrics = createPrometheusMetrics({ namespace: 'procmgr' });
  const h = simulatedManager({ metrics });
  t.after(() => h.dispose());
  h.manager.updateProcess({ id: 'a', type: 'create' });
  await h.advance(0);
  h.manager.updateProcess({ id: 'a', type: 'terminate' });
  await h.advance(0);
  const text = await metrics.registry.metrics();
  for (const name of [
    'procmgr_process_state_transitions_total',
    'procmgr_process_sync_duration_seconds',
    'procmgr_process_termination_duration_seconds',
    'procmgr_process_errors_total',
    'procmgr_process_restarts_total',
    'procmgr_work_queue_depth',
    'procmgr_work_queue_adds_total',
    'procmgr_work_queue_retries_total',
    'procmgr_work_queue_backoff_duration_seconds',
  ]) {
    assert.ok(text.includes(`# TYPE ${name} `), `${name} missing`);
  }
  assert.ok(
    text.includes('procmgr_process_state_transitions_total{process_id="a",from_state="Starting",to_state="Syncing"} 1'),
  );
  assert.ok(text.includes('procmgr_process_sync_duration_seconds_count{process_id="a",update_type="create",status="success"} 1'));
});

test('with processName, series carry the process name; a forgotten process leaves no series behind', async (t) => {
  const metrics = createPrometheusMetrics({ processName: (id) => `name-of-${id}` });
  const h = simulatedManager({ metrics });
  t.after(() => h.dispose());
  h.manager.updateProcess({ id: 'a', type: 'create' });
  h.manager.updateProcess({ id: 'b', type: 'create' });
  await h.advance(0);
  const before = await metrics.registry.metrics();
  assert.match(before, /statevisor_process_state_transitions_total\{process_id="a",process="name-of-a",from_state="Starting",to_state="Syncing"\} 1/);
  h.manager.purgeProcess('a');
  const after = await metrics.registry.metrics();
  assert.doesNotMatch(after, /process_id="a"/, 'every series of the purged process is gone');
  assert.match(after, /process_id="b",process="name-of-b"/, 'the others stay');
});
