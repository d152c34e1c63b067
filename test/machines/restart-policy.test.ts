import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  decideRestart,
  defaultRestartPolicy,
  type RestartPolicy,
  type RunEnding,
} from '../../src/machines/restart-policy.js';

const clean: RunEnding = { kind: 'exited', exitCode: 0, signal: null, uptimeMs: 60_000 };
const crash: RunEnding = { kind: 'exited', exitCode: 3, signal: null, uptimeMs: 60_000 };
const killed: RunEnding = { kind: 'exited', exitCode: null, signal: 'SIGSEGV', uptimeMs: 60_000 };
const stopped: RunEnding = { kind: 'stopped' };
const unhealthy: RunEnding = { kind: 'unhealthy', failures: 3 };
const startTimeout: RunEnding = { kind: 'start-timeout', timeoutMs: 90_000 };
const counters = { failureStreak: 0, recentStarts: [0], now: 60_000 };

const table: [RestartPolicy['policy'], RunEnding, boolean, string][] = [
  ['no', clean, false, 'exited'],
  ['no', crash, false, 'failed'],
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
          : (ending.signal ?? `exit ${ending.exitCode}`);
  test(`policy ${policy} after ${label}: ${restarts ? 'restart' : `no restart (${outcome})`}`, () => {
    const decision = decideRestart(ending, { ...defaultRestartPolicy, policy }, counters, 0);
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

test('an exit before min_uptime is a failed start even with code 0', () => {
  const policy = { ...defaultRestartPolicy, policy: 'on-failure' as const, minUptimeMs: 1_000 };
  const quick: RunEnding = { kind: 'exited', exitCode: 0, signal: null, uptimeMs: 200 };
  const decision = decideRestart(quick, policy, counters, 0);
  assert.equal(decision.restart, true);
  assert.equal(decision.failureStreak, 1);
  assert.match(decision.reason, /before min_uptime/);
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
