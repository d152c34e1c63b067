import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  decideRestart,
  defaultRestartPolicy,
  pruneStarts,
  type RestartPolicy,
  type RunEnding,
} from '../../src/machines/restart-policy.js';

const clean: RunEnding = { kind: 'exited', exitCode: 0, signal: null, uptimeMs: 60_000 };
const crash: RunEnding = { kind: 'exited', exitCode: 3, signal: null, uptimeMs: 60_000 };
const killed: RunEnding = { kind: 'exited', exitCode: null, signal: 'SIGSEGV', uptimeMs: 60_000 };
const stopped: RunEnding = { kind: 'stopped' };
const unhealthy: RunEnding = { kind: 'unhealthy', failures: 3 };
const startTimeout: RunEnding = { kind: 'start-timeout', timeoutMs: 90_000 };
// Ended 10 ms after its start, well before min_uptime (judged with minUptimeMs 1_000 below).
const earlyClean: RunEnding = { kind: 'exited', exitCode: 0, signal: null, uptimeMs: 10 };
const earlyCrash: RunEnding = { kind: 'exited', exitCode: 3, signal: null, uptimeMs: 10 };
const counters = { failureStreak: 0, recentStarts: [0], now: 60_000 };

const table: [RestartPolicy['policy'], RunEnding, boolean, string][] = [
  ['no', clean, false, 'exited'],
  ['no', crash, false, 'failed'],
  // min_uptime judges failures only: a clean exit is a success however early (systemd's semantics).
  ['no', earlyClean, false, 'exited'],
  ['no', earlyCrash, false, 'failed'],
  ['always', earlyClean, true, ''],
  ['always', earlyCrash, true, ''],
  ['on-failure', earlyClean, false, 'exited'],
  ['on-failure', earlyCrash, true, ''],
  ['on-success', earlyClean, true, ''],
  ['on-success', earlyCrash, false, 'failed'],
  ['no', stopped, false, 'stopped'],
  ['always', clean, true, ''],
  ['always', crash, true, ''],
  ['always', killed, true, ''],
  ['always', stopped, false, 'stopped'],
  ['on-failure', clean, false, 'exited'],
  ['on-failure', crash, true, ''],
  ['on-failure', killed, true, ''],
  ['on-failure', stopped, false, 'stopped'],
  ['on-success', clean, true, ''],
  ['on-success', crash, false, 'failed'],
  ['on-success', stopped, false, 'stopped'],
  // restart_after asks for the restart: whatever the policy, it is a failure that restarts.
  ['no', unhealthy, true, ''],
  ['on-success', unhealthy, true, ''],
  ['always', unhealthy, true, ''],
  // start_timeout is a failed start: the policy decides.
  ['no', startTimeout, false, 'failed'],
  ['on-failure', startTimeout, true, ''],
  ['on-success', startTimeout, false, 'failed'],
];

for (const [policy, ending, restarts, outcome] of table) {
  const label =
    ending.kind === 'stopped'
      ? 'a requested stop'
      : ending.kind === 'unhealthy'
        ? 'restart_after failed probes'
        : ending.kind === 'start-timeout'
          ? 'a start timeout'
          : `${ending.signal ?? `exit ${ending.exitCode}`}${ending.uptimeMs < 1_000 ? ' before min_uptime' : ''}`;
  test(`policy ${policy} after ${label}: ${restarts ? 'restart' : `no restart (${outcome})`}`, () => {
    const decision = decideRestart(ending, { ...defaultRestartPolicy, policy, minUptimeMs: 1_000 }, counters, 0);
    assert.equal(decision.restart, restarts);
    if (!decision.restart) assert.equal(decision.outcome, outcome);
  });
}

test('success_exit_codes make a non-zero exit a success', () => {
  const policy = { ...defaultRestartPolicy, policy: 'on-failure' as const, successExitCodes: [3] };
  const decision = decideRestart(crash, policy, counters, 0);
  assert.equal(decision.restart, false);
  assert.equal(!decision.restart && decision.outcome, 'exited');
});

test('a success exit before min_uptime is still a success (code 0 or a success_exit_code)', () => {
  // Regression: on-failure restarted `exit 0` five times and ended FAILED ("before min_uptime ...; start limit reached").
  const policy = { ...defaultRestartPolicy, policy: 'on-failure' as const, minUptimeMs: 1_000, successExitCodes: [7] };
  for (const exitCode of [0, 7]) {
    const quick: RunEnding = { kind: 'exited', exitCode, signal: null, uptimeMs: 0 };
    const decision = decideRestart(quick, policy, { ...counters, failureStreak: 2 }, 0);
    assert.equal(decision.restart, false, `exit ${exitCode}`);
    assert.equal(!decision.restart && decision.outcome, 'exited', `exit ${exitCode}`);
    assert.equal(decision.failureStreak, 0, `exit ${exitCode}`);
    assert.doesNotMatch(decision.reason, /min_uptime/);
  }
});

test('a crash before min_uptime is a failed start: it grows the streak and says so', () => {
  const policy = { ...defaultRestartPolicy, policy: 'on-failure' as const, minUptimeMs: 1_000 };
  const decision = decideRestart(earlyCrash, policy, { ...counters, failureStreak: 1 }, 0);
  assert.equal(decision.restart, true);
  assert.equal(decision.failureStreak, 2);
  assert.match(decision.reason, /exited with code 3 after 10 ms, before min_uptime 1000 ms; restarting in/);
});

test('always restarts an instant clean exit, and the start limit still ends the loop FAILED', () => {
  const policy = { ...defaultRestartPolicy, policy: 'always' as const, minUptimeMs: 1_000, startLimitBurst: 3, startLimitIntervalMs: 10_000 };
  const first = decideRestart(earlyClean, policy, { failureStreak: 0, recentStarts: [59_000], now: 60_000 }, 0);
  assert.equal(first.restart && first.delayMs, policy.delayMs);
  assert.equal(first.failureStreak, 0);
  const limited = decideRestart(earlyClean, policy, { failureStreak: 0, recentStarts: [58_000, 59_000, 59_990], now: 60_000 }, 0);
  assert.equal(limited.restart, false);
  assert.equal(!limited.restart && limited.outcome, 'failed');
  assert.match(limited.reason, /^exited with code 0; start limit reached \(3 starts within 10000 ms\)$/);
});

test('the restart delay doubles with the failure streak up to max_delay', () => {
  const policy = { ...defaultRestartPolicy, policy: 'always' as const, delayMs: 100, maxDelayMs: 1_000, startLimitBurst: 0 };
  const delays = [0, 1, 2, 3, 4, 5].map((failureStreak) => {
    const d = decideRestart(crash, policy, { ...counters, failureStreak }, 0);
    return d.restart ? d.delayMs : -1;
  });
  assert.deepEqual(delays, [100, 200, 400, 800, 1_000, 1_000]);
});

test('a successful run resets the failure streak', () => {
  const policy = { ...defaultRestartPolicy, policy: 'always' as const, startLimitBurst: 0 };
  const decision = decideRestart(clean, policy, { ...counters, failureStreak: 7 }, 0);
  assert.equal(decision.failureStreak, 0);
  assert.equal(decision.restart && decision.delayMs, policy.delayMs);
});

test('start_limit_burst starts within start_limit_interval end the run as failed', () => {
  const policy = { ...defaultRestartPolicy, policy: 'always' as const, startLimitBurst: 3, startLimitIntervalMs: 10_000 };
  const busy = { failureStreak: 2, recentStarts: [51_000, 55_000, 59_000], now: 60_000 };
  const decision = decideRestart(crash, policy, busy, 0);
  assert.equal(decision.restart, false);
  assert.equal(!decision.restart && decision.outcome, 'failed');
  assert.match(decision.reason, /start limit/);
  const old = { failureStreak: 2, recentStarts: [40_000, 45_000, 59_000], now: 60_000 };
  assert.equal(decideRestart(crash, policy, old, 0).restart, true);
});

test('a zero delay restarts at once, whatever the streak', () => {
  const policy = { ...defaultRestartPolicy, policy: 'always' as const, delayMs: 0, startLimitBurst: 0 };
  const decision = decideRestart(crash, policy, { ...counters, failureStreak: 9 }, 0.5);
  assert.equal(decision.restart && decision.delayMs, 0);
});

test('an unhealthy restart counts as a failure: it grows the streak and obeys the start limit', () => {
  const policy = { ...defaultRestartPolicy, policy: 'no' as const, startLimitBurst: 2, startLimitIntervalMs: 10_000 };
  const first = decideRestart({ kind: 'unhealthy', failures: 3 }, policy, { failureStreak: 0, recentStarts: [50_000], now: 60_000 }, 0);
  assert.equal(first.restart, true);
  assert.equal(first.failureStreak, 1);
  assert.match(first.reason, /unhealthy: 3 health checks failed in a row/);
  const limited = decideRestart({ kind: 'unhealthy', failures: 3 }, policy, { failureStreak: 1, recentStarts: [55_000, 59_000], now: 60_000 }, 0);
  assert.equal(limited.restart, false);
  assert.equal(!limited.restart && limited.outcome, 'failed');
});

test('a requested stop ends a failure streak: the next start backs off from scratch', () => {
  const decision = decideRestart(stopped, { ...defaultRestartPolicy, policy: 'always' }, { ...counters, failureStreak: 3 }, 0);
  assert.equal(decision.failureStreak, 0);
  assert.equal(decision.reason, 'stopped on request');
});

test('a signal or a start error is a failure even beside exit code 0', () => {
  const policy = { ...defaultRestartPolicy, policy: 'on-failure' as const, startLimitBurst: 0 };
  const signalled: RunEnding = { kind: 'exited', exitCode: 0, signal: 'SIGTERM', uptimeMs: 60_000 };
  const unstarted: RunEnding = { kind: 'exited', exitCode: 0, signal: null, uptimeMs: 0, error: 'spawn ENOENT' };
  for (const ending of [signalled, unstarted]) {
    const decision = decideRestart(ending, policy, counters, 0);
    assert.equal(decision.restart, true, JSON.stringify(ending));
    assert.equal(decision.failureStreak, 1);
  }
});

test('a signal before min_uptime is named as the signal; an uptime of exactly min_uptime is not early', () => {
  const policy = { ...defaultRestartPolicy, policy: 'no' as const, minUptimeMs: 1_000 };
  const early: RunEnding = { kind: 'exited', exitCode: null, signal: 'SIGSEGV', uptimeMs: 10 };
  assert.equal(decideRestart(early, policy, counters, 0).reason, "killed by SIGSEGV; restart policy 'no'");
  const atEdge: RunEnding = { kind: 'exited', exitCode: 3, signal: null, uptimeMs: 1_000 };
  assert.equal(decideRestart(atEdge, policy, counters, 0).reason, "exited with code 3; restart policy 'no'");
  const pastEdge: RunEnding = { kind: 'exited', exitCode: 3, signal: null, uptimeMs: 999 };
  assert.match(decideRestart(pastEdge, policy, counters, 0).reason, /after 999 ms, before min_uptime 1000 ms/);
});

test('a start exactly start_limit_interval ago no longer counts against the limit', () => {
  const policy = { ...defaultRestartPolicy, policy: 'always' as const, startLimitBurst: 3, startLimitIntervalMs: 10_000 };
  const edge = { failureStreak: 0, recentStarts: [50_000, 55_000, 59_000], now: 60_000 };
  assert.equal(decideRestart(crash, policy, edge, 0).restart, true);
  const inside = { failureStreak: 0, recentStarts: [50_001, 55_000, 59_000], now: 60_000 };
  assert.equal(decideRestart(crash, policy, inside, 0).restart, false);
});

test('the starts kept are those still inside the start limit window (the list cannot grow forever)', () => {
  const policy = { ...defaultRestartPolicy, startLimitIntervalMs: 10_000 };
  assert.deepEqual(pruneStarts([1_000, 40_000, 50_000, 50_001, 59_000], 60_000, policy), [50_001, 59_000]);
});

test('an early failure names its cause (a worker\'s rejection), not only its exit code', () => {
  // Regression: "exited with code 1 after 5 ms, before min_uptime" dropped the cause a worker's exit carries.
  const policy: RestartPolicy = { ...defaultRestartPolicy, policy: 'no', minUptimeMs: 1_000 };
  const decision = decideRestart({ ...earlyCrash, exitCode: 1, cause: 'the queue is gone' }, policy, counters, 0);
  assert.match(decision.reason, /exited with code 1 \(the queue is gone\) after 10 ms, before min_uptime/);
});
