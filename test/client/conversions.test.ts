import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createClient, type StatevisorClient } from '../../src/client/index.js';
import { startFakeDaemon, wireProcess, type FakeDaemon } from './fake-daemon.js';

describe('responses arrive in camelCase with friendly enums, Dates and untouched map keys', () => {
  let daemon: FakeDaemon;
  let client: StatevisorClient;

  before(async () => {
    daemon = await startFakeDaemon({
      StartProcess: (call, callback) => callback(null, { process: wireProcess({ name: call.request.name_or_id }) }),
      ListProcesses: (_call, callback) =>
        callback(null, {
          processes: [
            wireProcess(),
            // Exited with code 0: an optional field set to its zero value must stay present.
            wireProcess({ name: 'job', state: 'PROCESS_STATE_EXITED', phase: 'PHASE_FINISHED', pid: 0, exit_code: 0, ended_at: { seconds: 1_700_000_200, nanos: 999_000_000 } }),
            wireProcess({ name: 'killed', state: 'PROCESS_STATE_FAILED', signal: 'SIGKILL', health: 'HEALTH_STATUS_UNHEALTHY', last_error: 'boom' }),
          ],
        }),
      DescribeProcess: (_call, callback) =>
        callback(null, {
          process: wireProcess(),
          spec: {
            name: 'web',
            command: '/usr/bin/env',
            args: ['sleep', '3600.123'],
            labels: { 'app.kubernetes.io/name': 'web', camelKey: 'x' },
            env: { MY_VAR: '1', lower_case: '2', mixedCase: '3' },
            restart: { policy: 'always', delay_ms: 0, max_delay_ms: 5_000, success_exit_codes: [3] },
            stop: { signal: 'SIGTERM', grace_period_ms: 10_000, kill_mode: 'process-group' },
            start_timeout_ms: 90_000,
            exec_start_pre: [{ argv: ['/bin/true', '--flag'] }],
            health_check: { type: 'http', url: 'http://127.0.0.1:8080/healthz', interval_ms: 1_000 },
          },
          counters: { run_count: 2, restart_count: 1, error_count: 3, failure_streak: 0 },
          enforcement: [{ field: 'resources.memory_bytes', enforced: false, detail: 'no memory controller' }],
          recent_transitions: [{ at: { seconds: 1_700_000_100, nanos: 0 }, from: 'STARTING', to: 'RUNNING', reason: 'spawned' }],
        }),
      GetStatus: (_call, callback) =>
        callback(null, {
          version: '0.1.0',
          pid: 99,
          uptime_ms: 1_000,
          counts_by_state: { RUNNING: 2, FAILED: 1 },
          work_queue_depth: 4,
          listeners: [{ kind: 'unix', address: '/tmp/x.sock' }],
          state_dir: '/var/lib/statevisor',
          config_path: '',
          unimplemented_rpcs: ['Inspect'],
          process_count: 3,
        }),
      GetResourceUsage: (_call, callback) =>
        callback(null, { cpu_user_us: 10, cpu_system_us: 20, cpu_percent: 1.5, rss_bytes: 2 ** 40, memory_limit_bytes: 0, pids: 3, fds: 9, io_read_bytes: 1, io_write_bytes: 2, source: 'proc' }),
      ReloadConfig: (_call, callback) => callback(null, { added: ['a'], removed: ['b'], modified: [], unchanged: ['c', 'd'] }),
      UpdateProcess: (_call, callback) =>
        callback(null, { updated_fields: ['restart.delay_ms', 'env'], restart_required_fields: ['env'], process_restarted: false, process: wireProcess() }),
      GetMachineDefinition: (call, callback) =>
        callback(null, { definition_json: JSON.stringify({ id: call.request.kind || call.request.name_or_id, states: { starting: {} } }) }),
    });
    client = createClient({ socket: daemon.socket });
  });

  after(async () => {
    client.close();
    await daemon.stop();
  });

  test('a process: enum prefixes dropped, timestamps as Dates, unset optionals undefined', async () => {
    const process = await client.startProcess('web');
    assert.deepEqual(process, {
      id: '6f1c2b9e-0000-4000-8000-000000000001',
      name: 'web',
      state: 'RUNNING',
      phase: 'SYNCING',
      pid: 4242,
      runCount: 2,
      restartCount: 1,
      exitCode: undefined,
      signal: undefined,
      health: 'HEALTHY',
      healthFailures: 0,
      healthMessage: '',
      waitingFor: '',
      cpuPercent: 0,
      memoryBytes: 0,
      createdAt: new Date(1_700_000_000_250),
      startedAt: new Date(1_700_000_100_000),
      endedAt: undefined,
      uptimeMs: 12_345,
      lastError: '',
      command: '/usr/bin/env',
      args: ['sleep', '3600.123'],
      labels: { 'app.kubernetes.io/name': 'web', camelKey: 'x', snake_key: 'y' },
    });
  });

  test('an optional field set to zero is present; a signal arrives by name', async () => {
    const [, job, killed] = await client.listProcesses();
    assert.equal(job?.exitCode, 0);
    assert.equal(job?.state, 'EXITED');
    assert.equal(job?.phase, 'FINISHED');
    assert.deepEqual(job?.endedAt, new Date(1_700_000_200_999));
    assert.equal(killed?.exitCode, undefined);
    assert.equal(killed?.signal, 'SIGKILL');
    assert.equal(killed?.health, 'UNHEALTHY');
    assert.equal(killed?.lastError, 'boom');
  });

  test('describe: the spec in camelCase with env and label keys as sent, command lines as arrays', async () => {
    const description = await client.describeProcess('web');
    assert.equal(description.process.name, 'web');
    assert.deepEqual(description.spec?.env, { MY_VAR: '1', lower_case: '2', mixedCase: '3' });
    assert.deepEqual(description.spec?.labels, { 'app.kubernetes.io/name': 'web', camelKey: 'x' });
    assert.deepEqual(description.spec?.restart, { policy: 'always', delayMs: 0, maxDelayMs: 5_000, successExitCodes: [3] });
    assert.deepEqual(description.spec?.stop, { signal: 'SIGTERM', gracePeriodMs: 10_000, killMode: 'process-group' });
    assert.equal(description.spec?.startTimeoutMs, 90_000);
    assert.deepEqual(description.spec?.execStartPre, [['/bin/true', '--flag']]);
    assert.deepEqual(description.spec?.healthCheck, { type: 'http', url: 'http://127.0.0.1:8080/healthz', intervalMs: 1_000, args: [] });
    assert.equal(description.spec?.logs, undefined, 'an unset section stays unset');
    assert.equal(description.spec?.workingDir, undefined);
    assert.ok(!Object.keys(description.spec ?? {}).some((key) => key.startsWith('_')), 'no virtual oneof keys leak');
    assert.deepEqual(description.counters, { runCount: 2, restartCount: 1, errorCount: 3, failureStreak: 0 });
    assert.deepEqual(description.enforcement, [{ field: 'resources.memory_bytes', enforced: false, detail: 'no memory controller' }]);
    assert.deepEqual(description.recentTransitions, [{ at: new Date(1_700_000_100_000), from: 'STARTING', to: 'RUNNING', reason: 'spawned' }]);
  });

  test('status keeps its counts keyed by state name', async () => {
    const status = await client.getStatus();
    assert.deepEqual(status, {
      version: '0.1.0',
      pid: 99,
      uptimeMs: 1_000,
      countsByState: { RUNNING: 2, FAILED: 1 },
      workQueueDepth: 4,
      listeners: [{ kind: 'unix', address: '/tmp/x.sock' }],
      stateDir: '/var/lib/statevisor',
      configPath: '',
      unimplementedRpcs: ['Inspect'],
      processCount: 3,
      eventLoopLagP50Ms: 0,
      eventLoopLagP99Ms: 0,
      eventLoopLagMaxMs: 0,
      rssBytes: 0,
      logRotations: 0,
      logBytesLost: 0,
      logBytesDropped: 0,
      restartRateLimit: 0,
      restartsDelayed: 0,
      restartsWaiting: 0,
      uncaughtErrors: 0,
    });
  });

  test('resource usage: int64s as numbers', async () => {
    const usage = await client.getResourceUsage('web');
    assert.deepEqual(usage, {
      cpuUserUs: 10,
      cpuSystemUs: 20,
      cpuPercent: 1.5,
      rssBytes: 2 ** 40,
      memoryLimitBytes: 0,
      pids: 3,
      fds: 9,
      ioReadBytes: 1,
      ioWriteBytes: 2,
      source: 'proc',
      cgroupMemoryBytes: 0,
      cpuLimitMillis: 0,
      pidsLimit: 0,
      limits: [],
    });
  });

  test('reload and update results', async () => {
    assert.deepEqual(await client.reloadConfig(), { added: ['a'], removed: ['b'], modified: [], unchanged: ['c', 'd'], errors: [] });
    const result = await client.updateProcess('web', { restart: { delayMs: 5 } });
    assert.deepEqual(result.updatedFields, ['restart.delay_ms', 'env']);
    assert.deepEqual(result.restartRequiredFields, ['env']);
    assert.equal(result.processRestarted, false);
    assert.equal(result.process?.state, 'RUNNING');
  });

  test('a machine definition arrives parsed', async () => {
    assert.deepEqual(await client.getMachineDefinition({ kind: 'process' }), { id: 'process', states: { starting: {} } });
    assert.deepEqual(await client.getMachineDefinition({ nameOrId: 'web' }), { id: 'web', states: { starting: {} } });
  });
});
