import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { RestartPolicy } from '../../src/machines/restart-policy.js';
import { specDefaults, validateSpec, type ProcessSpec } from '../../src/spec/index.js';
import { specToSnakeCase } from '../../src/proto/spec-wire.js';
import { example, minimal, violationOf, violationsOf } from './support.js';

describe('validateSpec: defaults and normal form', () => {
  test('a minimal spec gets every default', () => {
    const spec = validateSpec(minimal);
    const { healthCheck: _unused, ...rest } = structuredClone(specDefaults);
    assert.deepEqual(spec, { name: 'web', command: '/bin/true', ...rest, runtime: { kind: 'exec' } });
    assert.equal('healthCheck' in spec, false);
  });

  test('the defaults are the documented ones', () => {
    const { description, labels, args, env, envFiles, startTimeoutMs } = specDefaults;
    assert.deepEqual({ description, labels, args, env, envFiles, startTimeoutMs }, { description: '', labels: {}, args: [], env: {}, envFiles: [], startTimeoutMs: 90_000 });
    assert.equal(specDefaults.type, 'simple');
    assert.equal(specDefaults.autoStart, false);
    assert.deepEqual(specDefaults.restart, {
      policy: 'on-failure',
      delayMs: 100,
      maxDelayMs: 30_000,
      startLimitBurst: 5,
      startLimitIntervalMs: 10_000,
      successExitCodes: [],
      minUptimeMs: 1_000,
    });
    // No kill_mode: its default is the machine's (control-group where a cgroup can be made).
    assert.deepEqual(specDefaults.stop, { signal: 'SIGTERM', gracePeriodMs: 10_000 });
    assert.deepEqual(specDefaults.logs, { stdout: 'capture', stderr: 'capture', maxBytes: 10 * 1024 * 1024, maxFiles: 5 });
    assert.deepEqual(specDefaults.runtime, { kind: 'exec', export: 'default' });
  });

  test('the defaults are frozen and never shared with a spec', () => {
    assert.throws(() => (specDefaults.args as string[]).push('x'), TypeError);
    const first = validateSpec(minimal);
    first.args.push('changed');
    first.restart.successExitCodes.push(3);
    const second = validateSpec(minimal);
    assert.deepEqual(second.args, []);
    assert.deepEqual(second.restart.successExitCodes, []);
  });

  test('an unset kill_mode stays unset, in the spec and in its stored form; a set one round-trips', () => {
    const unset = validateSpec(minimal);
    assert.equal('killMode' in unset.stop, false);
    assert.deepEqual(specToSnakeCase(unset).stop, { signal: 'SIGTERM', grace_period_ms: 10_000 });
    assert.equal('killMode' in validateSpec(specToSnakeCase(unset)).stop, false);
    const set = validateSpec({ ...minimal, stop: { kill_mode: 'process-group' } });
    assert.equal(validateSpec(specToSnakeCase(set)).stop.killMode, 'process-group');
  });

  test('given fields override defaults, field by field within sections', () => {
    const spec = validateSpec({ ...minimal, restart: { policy: 'always' }, stop: { kill_mode: 'control-group' } });
    assert.deepEqual(spec.restart, { ...specDefaults.restart, policy: 'always', successExitCodes: [] });
    assert.deepEqual(spec.stop, { ...specDefaults.stop, killMode: 'control-group' });
  });

  test('a health check gets probe defaults, and host or method only where its type uses them', () => {
    const tcp = validateSpec({ ...minimal, health_check: { type: 'tcp', port: 8080 } }).healthCheck;
    assert.deepEqual(tcp, {
      type: 'tcp',
      host: '127.0.0.1',
      port: 8080,
      intervalMs: 10_000,
      timeoutMs: 1_000,
      failureThreshold: 3,
      successThreshold: 1,
      startPeriodMs: 0,
      restartAfter: 0,
    });
    const http = validateSpec({ ...minimal, health_check: { type: 'http', url: 'http://127.0.0.1:8080/healthz' } }).healthCheck;
    assert.equal(http?.method, 'GET');
    assert.equal(http?.host, undefined);
  });

  test('the restart delay cap follows a longer delay when no cap is given', () => {
    assert.equal(validateSpec({ ...minimal, restart: { delay: '1m' } }).restart.maxDelayMs, 60_000);
  });

  test('a worker runtime needs no command: it is shown as its module', () => {
    const spec = validateSpec({ name: 'w', runtime: { kind: 'worker', module: '/srv/job.js', export: 'run' } });
    assert.equal(spec.command, '/srv/job.js');
    assert.deepEqual(spec.runtime, { kind: 'worker', module: '/srv/job.js', export: 'run' });
  });

  test('the restart section is a RestartPolicy the chart takes as it is', () => {
    const policy: RestartPolicy = validateSpec(minimal).restart;
    assert.equal(policy.policy, 'on-failure');
  });

  test('the options name the spec and its source in the error', () => {
    assert.throws(() => validateSpec({ ...minimal, type: 'notify' }, { source: '/etc/statevisor/web.yaml' }), {
      message: /^invalid process spec "web" in \/etc\/statevisor\/web\.yaml: type: got "notify", expected one of simple, oneshot, forking$/,
    });
    assert.equal(validateSpec({ command: '/bin/true' }, { defaultName: 'from-file' }).name, 'from-file');
  });
});

describe('validateSpec: snake_case, camelCase and durations', () => {
  const full = {
    name: 'api',
    description: 'the API',
    labels: { tier: 'web', 'app.kubernetes.io/part-of': 'shop', version: 2 },
    command: '/usr/bin/api',
    args: ['--port', 8080],
    env: { PORT: 8080, DEBUG: true, EMPTY: '' },
    env_files: ['/etc/api.env', '-/etc/api.local.env'],
    working_dir: '/srv/api',
    user: 'www-data',
    group: 33,
    umask: '027',
    type: 'simple',
    auto_start: true,
    restart: {
      policy: 'always',
      delay: '250ms',
      max_delay: '1m',
      start_limit_burst: 3,
      start_limit_interval: '30s',
      success_exit_codes: [0, 143],
      min_uptime: '2s',
    },
    stop: { signal: 'INT', grace_period: '5s', kill_mode: 'mixed' },
    start_timeout: '1m',
    logs: { stdout: '/var/log/api.out', stderr: 'null', max_bytes: 1024, max_files: 2 },
    health_check: {
      type: 'http',
      url: 'http://127.0.0.1:8080/healthz',
      method: 'HEAD',
      expected_status: 204,
      interval: '5s',
      timeout: '500ms',
      failure_threshold: 2,
      success_threshold: 2,
      start_period: '10s',
      restart_after: 3,
    },
    resources: { cpu_millis: 500, memory_bytes: 268_435_456, pids: 64 },
    after: ['db'],
    before: ['proxy'],
    requires: ['db'],
    wants: ['cache', 'cache'],
    binds_to: ['db'],
    conflicts: ['api-old'],
    exec_start_pre: [['/usr/bin/migrate', '--up']],
    exec_start_post: [],
    exec_stop_post: [['/bin/rm', '-f', '/run/api/lock']],
    pidfile: '/run/api.pid',
    condition_path_exists: '/etc/api.conf',
    runtime_directory: 'api',
    runtime: { kind: 'exec' },
    sockets: [{ listen: '127.0.0.1:8080', name: 'http' }, { listen: '/run/api.sock' }],
    start_on: 'connection',
  };

  // Kept beside the other fixtures, which build on it.
  const expected: ProcessSpec = example;

  test('a snake_case spec with duration strings is normalized', () => {
    assert.deepEqual(validateSpec(full), expected);
  });

  test('the normalized camelCase spec reads back as itself', () => {
    assert.deepEqual(validateSpec(expected), expected);
  });

  test('the snake_case form with _ms integers reads back as the same spec', () => {
    const snake = specToSnakeCase(expected);
    assert.equal((snake.stop as Record<string, unknown>).grace_period_ms, 5_000);
    assert.deepEqual(snake.labels, expected.labels, 'map keys are data and keep their spelling');
    assert.deepEqual(validateSpec(snake), expected);
  });

  test('durations are accepted as _ms integers, plain-name strings or plain-name numbers', () => {
    const forms = [
      { grace_period_ms: 5000 },
      { grace_period_ms: '5000' },
      { gracePeriodMs: 5000 },
      { grace_period: '5s' },
      { gracePeriod: '5000ms' },
      { grace_period: 5000 },
    ];
    for (const stop of forms) {
      assert.equal(validateSpec({ ...minimal, stop }).stop.gracePeriodMs, 5000, JSON.stringify(stop));
    }
  });

  test('a _ms field takes milliseconds only, not a duration string', () => {
    const violation = violationOf(() => validateSpec({ ...minimal, stop: { grace_period_ms: '5s' } }));
    assert.deepEqual(violation, { field: 'stop.grace_period_ms', value: '5s', expected: 'an integer number of milliseconds' });
  });

  test('camelCase and snake_case may be mixed, but one field is given once', () => {
    assert.equal(validateSpec({ ...minimal, autoStart: true, start_timeout: '1s' }).autoStart, true);
    const violation = violationOf(() => validateSpec({ ...minimal, autoStart: true, auto_start: false }));
    assert.equal(violation.field, 'auto_start');
    assert.equal(violation.expected, 'only one of autoStart and auto_start (the same field)');
  });

  test('umask is read as octal from a string and as itself from a number', () => {
    assert.equal(validateSpec({ ...minimal, umask: '022' }).umask, 0o022);
    assert.equal(validateSpec({ ...minimal, umask: '0o077' }).umask, 0o077);
    assert.equal(validateSpec({ ...minimal, umask: 18 }).umask, 0o022);
  });

  test('64-bit integers may come as decimal strings, as proto3 JSON sends them', () => {
    assert.equal(validateSpec({ ...minimal, resources: { memory_bytes: '1073741824' } }).resources.memoryBytes, 2 ** 30);
  });

  test("restart policy 'never' (DataDog's name) is a synonym of 'no', stored as 'no'", () => {
    assert.equal(validateSpec({ ...minimal, restart: { policy: 'never' } }).restart.policy, 'no');
    // Config files (snake_case) and the wire (_ms integers) read it the same way.
    assert.equal(validateSpec({ ...minimal, restart: { policy: 'never', min_uptime: '2s' } }).restart.policy, 'no');
    assert.equal(validateSpec({ ...minimal, restart: { policy: 'never', min_uptime_ms: 2_000 } }).restart.policy, 'no');
  });

  test('only listed synonyms are accepted: an inherited property name is not a policy', () => {
    for (const policy of ['constructor', '__proto__', 'toString', 'Never']) {
      assert.equal(violationOf(() => validateSpec({ ...minimal, restart: { policy } })).field, 'restart.policy', policy);
    }
  });

  test('null means not given', () => {
    assert.deepEqual(validateSpec({ ...minimal, args: null, restart: { policy: null } }), validateSpec(minimal));
  });

  test('env may not set the daemon’s markers: the violation names env.STATEVISOR_PROCESS_ID', () => {
    const violations = violationsOf(() =>
      validateSpec({
        ...minimal,
        env: { STATEVISOR_PROCESS_ID: 'forged', STATEVISOR_MANAGED_BY: '/y', STATEVISOR_STATE_DIR: '/x', STATEVISOR_OTHER: 'fine' },
      }),
    );
    assert.deepEqual(
      violations.map((v) => [v.field, v.value]),
      [
        ['env.STATEVISOR_PROCESS_ID', 'forged'],
        ['env.STATEVISOR_MANAGED_BY', '/y'],
      ],
    );
    assert.match(violations[0]!.expected, /^no STATEVISOR_PROCESS_ID here: the daemon sets it on every child/);
  });

  test('a "__proto__" env key is kept as data and does not touch the prototype', () => {
    const input = JSON.parse('{"name":"web","command":"/bin/true","env":{"__proto__":"x","A":"1"}}') as unknown;
    const spec = validateSpec(input);
    assert.equal(Object.getPrototypeOf(spec.env), Object.prototype);
    assert.deepEqual(Object.keys(spec.env), ['__proto__', 'A']);
  });
});

test('sizes take units: decimal K/M/G as systemd, binary with i; bad units name the field', () => {
  const memory = (value: unknown) => validateSpec({ ...minimal, resources: { memory_bytes: value } }).resources.memoryBytes;
  assert.equal(memory('200MB'), 200_000_000);
  assert.equal(memory('512MiB'), 512 * 1024 ** 2);
  assert.equal(memory('1G'), 1e9);
  assert.equal(memory('1.5GiB'), 1.5 * 1024 ** 3);
  assert.equal(validateSpec({ ...minimal, logs: { max_bytes: '64k' } }).logs.maxBytes, 64_000);
  for (const bad of ['12 parsecs', '-1MB', '1.0000001k', 'MB']) {
    assert.throws(() => memory(bad), (error: unknown) => /resources\.memory_bytes/.test((error as Error).message), `'${bad}'`);
  }
  assert.throws(() => memory('512k'), /at least 1048576/);
});
