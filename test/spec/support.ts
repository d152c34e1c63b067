/** Helpers shared by the spec tests. */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SpecValidationError, validateSpec, type ProcessSpec, type Violation } from '../../src/spec/index.js';

/** The smallest valid spec. */
export const minimal = { name: 'web', command: '/bin/true' } as const;

/** The violations `run` throws; fails the test when it throws none or something else. */
export function violationsOf(run: () => unknown): Violation[] {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof SpecValidationError, `expected a SpecValidationError, got ${String(error)}`);
    assert.equal(error.code, 'E_SPEC_INVALID');
    return [...error.violations];
  }
  return assert.fail('expected a SpecValidationError, but nothing was thrown');
}

/** The one violation `run` throws. */
export function violationOf(run: () => unknown): Violation {
  const violations = violationsOf(run);
  assert.equal(violations.length, 1, `expected one violation, got ${JSON.stringify(violations)}`);
  return violations[0] as Violation;
}

/** A fresh temporary directory for `body`, removed afterwards whatever happens. */
export async function withTempDir(body: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'statevisor-spec-'));
  try {
    await body(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A spec in its normal form: what validate.test.ts's `full` file spec reads as. */
export const example: ProcessSpec = {
  name: 'api',
  description: 'the API',
  labels: { tier: 'web', 'app.kubernetes.io/part-of': 'shop', version: '2' },
  command: '/usr/bin/api',
  args: ['--port', '8080'],
  env: { PORT: '8080', DEBUG: 'true', EMPTY: '' },
  envFiles: ['/etc/api.env', '-/etc/api.local.env'],
  workingDir: '/srv/api',
  user: 'www-data',
  group: 33,
  umask: 0o027,
  type: 'simple',
  autoStart: true,
  restart: {
    policy: 'always',
    delayMs: 250,
    maxDelayMs: 60_000,
    startLimitBurst: 3,
    startLimitIntervalMs: 30_000,
    successExitCodes: [0, 143],
    minUptimeMs: 2_000,
  },
  stop: { signal: 'SIGINT', gracePeriodMs: 5_000, killMode: 'mixed' },
  startTimeoutMs: 60_000,
  logs: { stdout: '/var/log/api.out', stderr: 'null', maxBytes: 1024, maxFiles: 2 },
  healthCheck: {
    type: 'http',
    url: 'http://127.0.0.1:8080/healthz',
    method: 'HEAD',
    expectedStatus: 204,
    intervalMs: 5_000,
    timeoutMs: 500,
    failureThreshold: 2,
    successThreshold: 2,
    startPeriodMs: 10_000,
    restartAfter: 3,
  },
  resources: { cpuMillis: 500, memoryBytes: 268_435_456, pids: 64 },
  after: ['db'],
  before: ['proxy'],
  requires: ['db'],
  wants: ['cache'],
  bindsTo: ['db'],
  conflicts: ['api-old'],
  execStartPre: [['/usr/bin/migrate', '--up']],
  execStartPost: [],
  execStopPost: [['/bin/rm', '-f', '/run/api/lock']],
  pidfile: '/run/api.pid',
  conditionPathExists: ['/etc/api.conf'],
  runtimeDirectory: 'api',
  runtime: { kind: 'exec' },
  runtimeDirectoryMode: 0o755,
  sockets: [{ listen: '127.0.0.1:8080', name: 'http' }, { listen: '/run/api.sock', name: 'api' }],
  startOn: 'connection',
};

/**
 * Every field set, and values at their edges (the longest duration, a size beyond 32 bits,
 * zeros, empty strings), so that a field lost or bent on the way shows.
 */
export const full: ProcessSpec = {
  ...example,
  labels: { ...example.labels, camelKey: 'x' },
  args: [...example.args, ''],
  env: { ...example.env, lower_case: 'kept', mixedCase: '' },
  restart: { ...example.restart, startLimitBurst: 0, minUptimeMs: 0 },
  stop: { ...example.stop, gracePeriodMs: 2 ** 31 - 1 },
  startTimeoutMs: 0,
  logs: { ...example.logs, maxBytes: 2 ** 40, maxFiles: 0 },
  execStartPost: [['/bin/true']],
  execStopPost: [...example.execStopPost, ['/bin/true']],
  conditionPathExists: [...example.conditionPathExists, '!/etc/api.down', '|/etc/api.a', '|!/etc/api.b'],
  runtimeDirectoryMode: 0o750,
  sockets: [...example.sockets, { listen: '[::1]:65535', name: 'v6' }],
};

function withoutFields(spec: ProcessSpec, fields: readonly (keyof ProcessSpec)[]): ProcessSpec {
  return Object.fromEntries(Object.entries(spec).filter(([key]) => !fields.includes(key as keyof ProcessSpec))) as unknown as ProcessSpec;
}

const timings = { intervalMs: 1_000, timeoutMs: 100, failureThreshold: 1, successThreshold: 1, startPeriodMs: 0, restartAfter: 0 };
/** `full` and its variants: each health-check type, a worker runtime, numeric ids, every optional field unset. */
export const variants: ProcessSpec[] = [
  full,
  { ...full, user: 0, group: 'staff', umask: 0, healthCheck: { ...timings, type: 'tcp', host: '::1', port: 5432 } },
  { ...full, healthCheck: { ...timings, type: 'exec', command: '/bin/check', args: ['-q', ''] } },
  { ...full, healthCheck: { ...timings, type: 'grpc', host: 'localhost', port: 50051, service: 'api.v1' } },
  // A worker thread: every field a thread can have, and none it cannot (spec/worker-fields.ts).
  {
    ...withoutFields(full, ['user', 'group', 'umask', 'workingDir', 'pidfile', 'runtimeDirectory']),
    command: '/srv/w.js',
    runtime: { kind: 'worker', module: '/srv/w.js', export: 'main' },
    stop: { signal: 'SIGTERM', gracePeriodMs: full.stop.gracePeriodMs },
    sockets: [],
    startOn: 'start',
    execStartPre: [],
    execStartPost: [],
    execStopPost: [],
  },
  validateSpec({ name: 'bare', command: '/bin/true' }),
];
