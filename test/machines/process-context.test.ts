/** The chart's arithmetic, without the chart: each function of process-context.ts on its own. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  beganRun,
  clampGrace,
  coalesce,
  decided,
  endReason,
  finishedOutcome,
  initialProcessContext,
  isCancellation,
  isStartFailure,
  minGracePeriodSecs,
  recordedExit,
  recordedStartFailure,
  recordedSync,
  recordedTerminal,
  reconfigured,
  rememberedUpdate,
  requestedTermination,
  restartDelayMs,
  runEndingOf,
  scheduledRetry,
  shortensGrace,
  terminatingReason,
} from '../../src/machines/process-context.js';
import type { HealthSettings, ProcessContext, UpdateType } from '../../src/machines/process-types.js';

const check: HealthSettings = { intervalMs: 1_000, timeoutMs: 500, startPeriodMs: 0, failureThreshold: 1, successThreshold: 1, restartAfter: 0 };

function context(changes: Partial<ProcessContext> = {}): ProcessContext {
  return { ...initialProcessContext({ id: 'p', defaultGracePeriodSecs: 10 }), ...changes };
}

test('a new run starts from what the first run starts from, and keeps what survives runs', () => {
  const first = initialProcessContext({ id: 'p', defaultGracePeriodSecs: 10, healthCheck: check, seed: 7 });
  // Everything a run can leave behind, dirtied.
  const after: ProcessContext = {
    ...first,
    updateType: 'sync',
    pending: 'update',
    termination: 'exited',
    stopRequested: true,
    exit: { exitCode: 1, signal: null, at: 5 },
    synced: true,
    consecutiveErrors: 3,
    gracePeriodSecs: 2,
    startedAt: 1,
    endedAt: 5,
    decision: { restart: false, outcome: 'failed', reason: 'x', failureStreak: 1 },
    outcome: 'failed',
    health: 'unhealthy',
    healthFailures: 4,
    healthSuccesses: 2,
    everHealthy: true,
    healthGated: false,
    inStartPeriod: true,
    lastProbe: { healthy: false, message: 'down', at: 4 },
    runCount: 1,
    restartCount: 2,
    errorCount: 5,
    failureStreak: 1,
    lastExit: { exitCode: 1, signal: null, at: 5 },
  };
  const next = { ...after, ...beganRun(after) };
  for (const key of Object.keys(first) as (keyof ProcessContext)[]) {
    if (['runCount', 'restartCount', 'errorCount', 'failureStreak', 'lastExit', 'phase'].includes(key)) continue;
    assert.deepEqual(next[key], first[key], `${key} is reset as at the first run`);
  }
  assert.equal(next.runCount, 2);
  assert.equal(next.restartCount, 2, 'counters survive runs');
  assert.equal(next.errorCount, 5);
  assert.deepEqual(next.lastExit, after.lastExit, "the last run's exit is kept for displays");
});

test('a health check gates each run; without one health is unknown', () => {
  assert.equal(initialProcessContext({ id: 'p', healthCheck: check }).health, 'starting');
  assert.equal(initialProcessContext({ id: 'p', healthCheck: check }).healthGated, true);
  assert.equal(initialProcessContext({ id: 'p' }).health, 'unknown');
  assert.equal(beganRun(context({ healthCheck: check })).healthGated, true);
});

test('updates coalesce: the newest wins, but a config change is never downgraded to a resync (rule 1)', () => {
  const rows: [UpdateType | undefined, UpdateType, UpdateType][] = [
    [undefined, 'sync', 'sync'],
    [undefined, 'update', 'update'],
    ['sync', 'update', 'update'],
    ['update', 'sync', 'update'],
    ['create', 'update', 'create'],
    ['create', 'sync', 'create'],
    ['update', 'create', 'create'],
  ];
  for (const [pending, next, kept] of rows) assert.equal(coalesce(pending, next), kept, `${pending} then ${next}`);
  assert.deepEqual(rememberedUpdate(context({ config: 'a' }), { type: 'update', updateType: 'sync' }), { config: 'a', pending: 'sync' });
  assert.deepEqual(rememberedUpdate(context({ pending: 'update' }), { type: 'start', config: 'b' }), {
    config: 'b',
    pending: 'create',
    runCause: 'start',
  });
});

test('the grace period only shrinks, and never below 1 s (rule 3)', () => {
  assert.equal(clampGrace(0.2, 30), minGracePeriodSecs);
  assert.equal(clampGrace(undefined, 30), 30);
  assert.equal(clampGrace(Number.NaN, 0), minGracePeriodSecs);
  const c = context({ gracePeriodSecs: 10 });
  assert.equal(requestedTermination(c, { type: 'terminate', gracePeriodSecs: 3 }).gracePeriodSecs, 3);
  assert.equal(requestedTermination(c, { type: 'terminate', gracePeriodSecs: 60 }).gracePeriodSecs, 10);
  assert.equal(requestedTermination(c, { type: 'terminate', gracePeriodSecs: 0 }).gracePeriodSecs, 1);
  assert.equal(shortensGrace(c, { type: 'terminate', gracePeriodSecs: 3 }), true);
  assert.equal(shortensGrace(c, { type: 'terminate', gracePeriodSecs: 10 }), false);
  assert.equal(shortensGrace(c, { type: 'terminate' }), false);
  assert.equal(shortensGrace(context({ gracePeriodSecs: 1 }), { type: 'terminate', gracePeriodSecs: 0 }), false, 'clamped to 1 s: no shorter');
});

test('a requested stop outranks an exit as the reason; the first request wins', () => {
  assert.equal(requestedTermination(context({ termination: 'exited' }), { type: 'terminate' }).termination, 'requested');
  assert.equal(requestedTermination(context({ termination: 'terminal' }), { type: 'terminate', reason: 'shutdown' }).termination, 'shutdown');
  assert.equal(requestedTermination(context({ termination: 'unhealthy' }), { type: 'terminate' }).termination, 'unhealthy');
  assert.equal(requestedTermination(context({ termination: 'shutdown' }), { type: 'terminate', reason: 'orphaned' }).termination, 'shutdown');
  const kept = requestedTermination(context({ config: 'last' }), { type: 'terminate' });
  assert.equal(kept.config, 'last', 'a terminate without config keeps the last one');
  assert.equal(kept.stopRequested, true);
});

test('the first sync of a run is its start and counts toward the start limit; later syncs do not', () => {
  const first = recordedSync(context({ recentStarts: [1] }), { terminal: false, at: 100, startedAt: 90 });
  assert.equal(first.startedAt, 90, 'an adopted workload started before the sync');
  assert.deepEqual(first.recentStarts, [1, 100]);
  const later = recordedSync(context({ synced: true, startedAt: 90, recentStarts: [1, 100] }), { terminal: false, at: 200 });
  assert.equal(later.startedAt, 90);
  assert.deepEqual(later.recentStarts, [1, 100]);
  assert.equal(later.lastSyncAt, 200);
});

test('the first exit of a run is its exit; a terminal sync is a clean exit unless one was seen', () => {
  const exit = { exitCode: 3, signal: null, at: 50, cause: 'out of memory' };
  const seen = recordedExit(context(), exit);
  assert.deepEqual(seen, { termination: 'exited', exit });
  const twice = recordedExit(context(seen), { exitCode: 9, signal: 'SIGKILL', at: 60 });
  assert.deepEqual(twice.exit, exit);
  assert.deepEqual(recordedTerminal(context(), { terminal: true, at: 70 }).exit, { exitCode: 0, signal: null, at: 70 });
  assert.deepEqual(recordedTerminal(context(seen), { terminal: true, at: 70 }).exit, exit);
});

test('a failed hook backs off further with each error in a row; a start failure is a failed run', () => {
  const once = scheduledRetry(context(), new Error('boom'));
  const twice = scheduledRetry(context(once), new Error('boom'));
  assert.equal(once.consecutiveErrors, 1);
  assert.equal(once.lastError, 'boom');
  assert.ok(twice.retryDelayMs! > once.retryDelayMs!, `${twice.retryDelayMs} after ${once.retryDelayMs}`);
  const failure = Object.assign(new Error('cannot start'), { code: 'E_START_FAILED', at: 42 });
  assert.equal(isStartFailure(failure), true);
  assert.equal(isStartFailure(new Error('x')), false);
  const failed = recordedStartFailure(context(), failure);
  assert.deepEqual(failed.exit, { exitCode: null, signal: null, at: 42, error: 'cannot start' });
  assert.equal(failed.startedAt, 42);
  assert.deepEqual(failed.recentStarts, [42]);
  assert.equal(isCancellation(Object.assign(new Error('x'), { name: 'AbortError' })), true);
  assert.equal(isCancellation({ code: 'E_CANCELLED' }), true);
  assert.equal(isCancellation('AbortError'), false);
});

test('hot settings replace what they name and keep the rest', () => {
  const c = context({ restart: { ...context().restart, policy: 'no', delayMs: 5 } });
  const changes = reconfigured(c, { restart: { policy: 'always' }, defaultGracePeriodSecs: 0.5 }, () => ({ health: 'healthy' }));
  assert.equal(changes.restart?.policy, 'always');
  assert.equal(changes.restart?.delayMs, 5);
  assert.equal(changes.defaultGracePeriodSecs, 1, 'clamped');
  assert.equal(changes.health, undefined, 'no health check named: its part is not asked');
  assert.equal(reconfigured(c, { healthCheck: null }, () => ({ health: 'unknown' })).health, 'unknown');
});

test('the restart guard reads how the run ended', () => {
  assert.deepEqual(runEndingOf(context({ stopRequested: true, termination: 'requested' })), { kind: 'stopped' });
  assert.deepEqual(runEndingOf(context({ termination: 'unhealthy', healthFailures: 3 })), { kind: 'unhealthy', failures: 3 });
  assert.deepEqual(runEndingOf(context({ termination: 'start-timeout', startTimeoutMs: 900 })), { kind: 'start-timeout', timeoutMs: 900, awaited: 'started' });
  assert.deepEqual(runEndingOf(context({ termination: 'start-timeout', startTimeoutMs: 900, healthGated: true })), { kind: 'start-timeout', timeoutMs: 900, awaited: 'healthy' });
  assert.deepEqual(runEndingOf(context({ termination: 'unhealthy', stopRequested: true })), { kind: 'stopped' }, 'a stop wins');
  assert.deepEqual(runEndingOf(context({ exit: { exitCode: 2, signal: null, at: 30 }, startedAt: 10 })), {
    kind: 'exited',
    exitCode: 2,
    signal: null,
    uptimeMs: 20,
  });
  assert.equal(
    (runEndingOf(context({ exit: { exitCode: 2, signal: null, at: 5 }, startedAt: 10 })) as { uptimeMs: number }).uptimeMs,
    0,
    'never a negative uptime',
  );
});

test('a decision is kept for this run and the next one; a stop ends the run stopped', () => {
  const c = context({ restart: { ...context().restart, policy: 'always', delayMs: 1_000 }, exit: { exitCode: 1, signal: null, at: 20 }, startedAt: 0 });
  const d = decided(c, 20);
  assert.equal(d.decision?.restart, true);
  assert.deepEqual(d.lastDecision, d.decision);
  assert.deepEqual(d.lastExit, c.exit);
  assert.equal(d.endedAt, 20);
  assert.notEqual(d.seed, c.seed, 'the jitter moved on');
  assert.ok(restartDelayMs(context(d)) > 0);
  assert.equal(restartDelayMs(context()), 0);
  const ended = context({ decision: { restart: false, outcome: 'exited', reason: 'exited with code 0', failureStreak: 0 } });
  assert.equal(finishedOutcome(ended).outcome, 'exited');
  assert.equal(finishedOutcome({ ...ended, stopRequested: true }).outcome, 'stopped');
  assert.equal(endReason(ended), 'exited with code 0');
  assert.equal(endReason({ ...ended, stopRequested: true, termination: 'shutdown' }), 'stopped on request (shutdown)');
});

test('terminating says how the workload exited, or why it is stopped and with what grace', () => {
  assert.equal(terminatingReason(context({ termination: 'requested', gracePeriodSecs: 3 })), 'requested, grace period 3 s');
  assert.match(terminatingReason(context({ termination: 'exited', exit: { exitCode: 2, signal: null, at: 1 } })), /code 2/);
});

test('a hook that rejects with nothing, null or a primitive is neither a cancellation nor a start failure', () => {
  // Regression guard: destructuring `null` or `undefined` would throw inside the chart's guard.
  for (const error of [undefined, null, 'AbortError', 42]) {
    assert.equal(isCancellation(error), false, `isCancellation(${String(error)})`);
    assert.equal(isStartFailure(error), false, `isStartFailure(${String(error)})`);
  }
  assert.equal(isCancellation({ code: 'ABORT_ERR' }), true, "Node's abort code alone is a cancellation");
});

test('a run starts ungated without a health check, and outside any start period', () => {
  for (const fresh of [initialProcessContext({ id: 'p' }), beganRun(context({ healthGated: true, inStartPeriod: true }))]) {
    assert.equal(fresh.healthGated, false);
    assert.equal(fresh.inStartPeriod, false);
  }
  assert.equal(initialProcessContext({ id: 'p', healthCheck: { ...check, startPeriodMs: 5_000 } }).inStartPeriod, false);
});

test('only the first sync of a run is its start: a resync neither restamps it nor counts again', () => {
  let c = context();
  for (const at of [100, 200, 300]) c = { ...c, ...recordedSync(c, { terminal: false, at }) };
  assert.equal(c.startedAt, 100);
  assert.deepEqual(c.recentStarts, [100]);
  assert.equal(c.lastSyncAt, 300);
});

test('each way a run ends names its termination, unless one was named first', () => {
  assert.equal(recordedTerminal(context(), { terminal: true, at: 1 }).termination, 'terminal');
  assert.equal(recordedTerminal(context({ termination: 'shutdown' }), { terminal: true, at: 1 }).termination, 'shutdown');
  assert.equal(recordedStartFailure(context(), new Error('x')).termination, 'exited');
  assert.equal(recordedStartFailure(context({ termination: 'requested' }), new Error('x')).termination, 'requested');
  assert.equal(requestedTermination(context(), { type: 'terminate' }).termination, 'requested');
  assert.equal(requestedTermination(context(), { type: 'terminate', reason: 'orphaned' }).termination, 'orphaned');
  assert.equal(requestedTermination(context({ config: 'old' }), { type: 'terminate', config: 'new' }).config, 'new');
});

test('a start failure counts as an error', () => {
  assert.equal(recordedStartFailure(context({ errorCount: 4 }), new Error('x')).errorCount, 5);
});

test('a hot start timeout replaces the old one; a setting not named keeps it', () => {
  const c = context({ startTimeoutMs: 5_000 });
  assert.equal(reconfigured(c, { startTimeoutMs: 9_000 }, () => ({})).startTimeoutMs, 9_000);
  assert.equal(reconfigured(c, { startTimeoutMs: 0 }, () => ({})).startTimeoutMs, 0);
  assert.equal(reconfigured(c, {}, () => ({})).startTimeoutMs, 5_000);
});

test('the restart guard hears what the runtime knew beyond the exit status', () => {
  const ending = runEndingOf(context({ exit: { exitCode: null, signal: 'SIGKILL', at: 30, cause: 'out of memory' }, startedAt: 10 }));
  assert.deepEqual(ending, { kind: 'exited', exitCode: null, signal: 'SIGKILL', uptimeMs: 20, cause: 'out of memory' });
  const failed = runEndingOf(context({ exit: { exitCode: null, signal: null, at: 30, error: 'ENOENT' }, startedAt: 30 }));
  assert.deepEqual(failed, { kind: 'exited', exitCode: null, signal: null, uptimeMs: 0, error: 'ENOENT' });
});

test('a stop requested after the workload exited says its grace period; reasons default to a plain request', () => {
  const exit = { exitCode: 2, signal: null, at: 1 };
  assert.equal(terminatingReason(context({ termination: 'requested', exit, gracePeriodSecs: 4 })), 'requested, grace period 4 s');
  assert.equal(terminatingReason(context({ gracePeriodSecs: 4 })), 'requested, grace period 4 s');
  assert.equal(endReason(context({ stopRequested: true })), 'stopped on request (requested)');
  assert.equal(endReason(context()), 'stopped', 'no decision: nothing else to say');
});
