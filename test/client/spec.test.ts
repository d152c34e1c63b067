import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createClient, hasCode, isInvalidArgument, type StatevisorClient } from '../../src/client/index.js';
import { specToWire, updateMaskOf, updateMaskToWire } from '../../src/proto/spec-wire.js';
import type { CreateProcessRequest__Output } from '../../src/proto/generated/statevisor/v1/CreateProcessRequest.js';
import type { UpdateProcessRequest__Output } from '../../src/proto/generated/statevisor/v1/UpdateProcessRequest.js';
import { startFakeDaemon, wireProcess, type FakeDaemon } from './fake-daemon.js';

test('a camelCase spec becomes the wire spec: snake_case, _ms names, only the fields set', () => {
  const wire = specToWire({
    name: 'web',
    command: '/usr/bin/node',
    args: ['server.js'],
    labels: { 'app.kubernetes.io/name': 'web', camelKey: 'x' },
    env: { NODE_ENV: 'production', lowerCamel: 'kept' },
    envFiles: ['-/etc/web.env'],
    workingDir: undefined,
    autoStart: false,
    restart: { policy: 'always', delayMs: 0, maxDelayMs: 5_000 },
    stop: { gracePeriodMs: 3_000 },
    startTimeoutMs: 20_000,
    healthCheck: { type: 'tcp', port: 8080, intervalMs: 500, startPeriodMs: 0 },
    resources: { cpuMillis: 500, memoryBytes: 2 ** 30 },
    bindsTo: ['db'],
    execStartPre: [['/bin/mkdir', '-p', '/tmp/web']],
    runtime: { kind: 'worker', module: './w.js', export: 'main' },
  });
  assert.deepEqual(wire, {
    name: 'web',
    command: '/usr/bin/node',
    args: ['server.js'],
    labels: { 'app.kubernetes.io/name': 'web', camelKey: 'x' },
    env: { NODE_ENV: 'production', lowerCamel: 'kept' },
    env_files: ['-/etc/web.env'],
    auto_start: false,
    restart: { policy: 'always', delay_ms: 0, max_delay_ms: 5_000 },
    stop: { grace_period_ms: 3_000 },
    start_timeout_ms: 20_000,
    health_check: { type: 'tcp', port: 8080, interval_ms: 500, start_period_ms: 0 },
    resources: { cpu_millis: 500, memory_bytes: 2 ** 30 },
    binds_to: ['db'],
    exec_start_pre: [{ argv: ['/bin/mkdir', '-p', '/tmp/web'] }],
    runtime: { kind: 'worker', module: './w.js', export: 'main' },
  });
});

test('an already snake_case spec passes through unchanged', () => {
  const snake = {
    name: 'web',
    command: '/bin/sleep',
    env: { SOME_VAR: '1' },
    restart: { start_limit_interval_ms: 1_000, success_exit_codes: [2] },
    exec_stop_post: [{ argv: ['/bin/true'] }],
  };
  assert.deepEqual(specToWire(snake), snake);
});

test('an unknown field is rejected with its path, not silently dropped', () => {
  assert.throws(
    () => specToWire({ name: 'web', command: '/bin/true', stop: { gracePeriod: 5 } } as never),
    (error: unknown) => isInvalidArgument(error) && /spec\.stop\.gracePeriod: unknown field; expected one of .*gracePeriodMs/.test((error as Error).message),
  );
});

test('a value of the wrong type is rejected rather than coerced by protobufjs', () => {
  const cases: [unknown, RegExp][] = [
    [{ autoStart: 'false' }, /spec\.autoStart: expected true or false, got "false"/],
    [{ restart: { delayMs: '5s' } }, /spec\.restart\.delayMs: expected an integer number of milliseconds, got "5s"/],
    [{ env: { PORT: 8080 } }, /spec\.env\["PORT"\]: expected a string, got 8080/],
    [{ args: 'server.js' }, /spec\.args: expected an array/],
    [{ execStartPre: [['/bin/true', 1]] }, /spec\.execStartPre\[0\]\.argv\[1\]: expected a string/],
  ];
  for (const [patch, message] of cases) {
    assert.throws(
      () => specToWire({ name: 'web', command: '/bin/true', ...(patch as object) }),
      (error: unknown) => hasCode(error, 'E_INVALID_ARGUMENT') && message.test((error as Error).message),
      String(message),
    );
  }
});

test('update masks: derived from the patch down to its leaves, or converted from camelCase', () => {
  const wire = specToWire({ restart: { delayMs: 500, policy: 'always' }, labels: { tier: 'web' }, stop: {}, autoStart: true });
  assert.deepEqual(updateMaskOf(wire as Record<string, unknown>), ['restart.delay_ms', 'restart.policy', 'labels', 'stop', 'auto_start']);
  assert.deepEqual(updateMaskToWire(['restart.delayMs', 'health_check.interval_ms', 'labels.myKey', 'env.lower_case', 'noSuchField']), [
    'restart.delay_ms',
    'health_check.interval_ms',
    'labels.myKey',
    'env.lower_case',
    'noSuchField',
  ]);
});

describe('on the wire', () => {
  let daemon: FakeDaemon;
  let client: StatevisorClient;
  const created: CreateProcessRequest__Output[] = [];
  const updated: UpdateProcessRequest__Output[] = [];

  before(async () => {
    daemon = await startFakeDaemon({
      CreateProcess: (call, callback) => {
        created.push(call.request);
        callback(null, { process: wireProcess({ name: call.request.spec?.name ?? '' }) });
      },
      UpdateProcess: (call, callback) => {
        updated.push(call.request);
        callback(null, { updated_fields: call.request.update_mask?.paths ?? [] });
      },
    });
    client = createClient({ socket: daemon.socket });
  });

  after(async () => {
    client.close();
    await daemon.stop();
  });

  test('the daemon sees the set fields present (zero included) and the others absent', async () => {
    await client.createProcess({ name: 'web', command: '/bin/sleep', args: ['3600.123'], restart: { delayMs: 0 }, autoStart: false }, { start: true });
    const request = created.at(-1);
    assert.equal(request?.start, true);
    const spec = request?.spec;
    assert.equal(spec?.name, 'web');
    assert.equal(spec?.auto_start, false, 'false was sent, not left to the default');
    assert.equal(spec?.restart?.delay_ms, 0, 'zero was sent, not left to the default');
    assert.equal(spec?.restart?.max_delay_ms, undefined);
    assert.equal(spec?.restart?.policy, undefined);
    assert.equal(spec?.start_timeout_ms, undefined);
    assert.equal(spec?.stop, undefined);
    assert.equal(spec?.working_dir, undefined);
  });

  test('updateProcess sends the spec, the mask and the flags', async () => {
    await client.updateProcess('web', { restart: { maxDelayMs: 1_000 }, env: { A_B: '1' } }, { restartProcess: true, dryRun: true });
    const request = updated.at(-1);
    assert.equal(request?.name_or_id, 'web');
    assert.deepEqual(request?.update_mask?.paths, ['restart.max_delay_ms', 'env']);
    assert.equal(request?.spec?.restart?.max_delay_ms, 1_000);
    assert.deepEqual(request?.spec?.env, { A_B: '1' });
    assert.equal(request?.restart_process, true);
    assert.equal(request?.dry_run, true);

    await client.updateProcess('web', { stop: { gracePeriodMs: 1 } }, { updateMask: ['stop.gracePeriodMs'] });
    assert.deepEqual(updated.at(-1)?.update_mask?.paths, ['stop.grace_period_ms']);
  });

  test('a spec error is thrown before anything is sent', async () => {
    const before = created.length;
    await assert.rejects(client.createProcess({ name: 'web', command: '/bin/true', startTimeout: 5 } as never), isInvalidArgument);
    assert.equal(created.length, before);
  });
});
