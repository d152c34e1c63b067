/**
 * Every bound of the spec schema (src/spec/schema.ts and the field kinds it uses), at its edge:
 * exactly at the limit is accepted, one past it is refused with one violation naming the field.
 * A bound removed or moved by one fails its row here; "a huge value is refused" would not.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { validateSpec } from '../../src/spec/index.js';
import { minimal, violationsOf } from './support.js';

interface Bound {
  /** The violation's path: where the refused value sits. */
  readonly field: string;
  readonly limit: string;
  /** The spec (over `minimal`) exactly at the limit, and one past it. */
  readonly at: Record<string, unknown>;
  readonly past: Record<string, unknown>;
}

/** `{ a: { b: value } }` for 'a.b', over a copy of `base` (the fields the value needs beside it). */
function put(path: string, value: unknown, base: Record<string, unknown> = {}): Record<string, unknown> {
  const out = structuredClone(base);
  const keys = path.split('.');
  let node = out;
  for (const key of keys.slice(0, -1)) node = (node[key] ??= {}) as Record<string, unknown>;
  node[keys.at(-1)!] = value;
  return out;
}

type Make = (n: number) => unknown;
const chars: Make = (n) => 'a'.repeat(n);
const absolute: Make = (n) => `/${'a'.repeat(n - 1)}`;
const number: Make = (n) => n;
const items = (item: (i: number) => unknown): Make => (n) => Array.from({ length: n }, (_, i) => item(i));
const entries = (key: (i: number) => string, value: unknown): Make => (n) =>
  Object.fromEntries(Array.from({ length: n }, (_, i) => [key(i), value]));

interface Where {
  /** Where the value goes in the input, when not at `field` itself (a list item goes in a list). */
  readonly input?: string;
  /** Wraps the made value: `[value]` for an item of a list. */
  readonly wrap?: (value: unknown) => unknown;
  readonly base?: Record<string, unknown>;
}

function edge(field: string, limit: string, make: Make, atN: number, pastN: number, where: Where = {}): Bound {
  const input = where.input ?? field;
  const wrap = where.wrap ?? ((value: unknown) => value);
  return { field, limit, at: put(input, wrap(make(atN)), where.base), past: put(input, wrap(make(pastN)), where.base) };
}
const atMost = (field: string, max: number, make: Make, where?: Where) => edge(field, `at most ${max}`, make, max, max + 1, where);
const atLeast = (field: string, min: number, make: Make, where?: Where) => edge(field, `at least ${min}`, make, min, min - 1, where);
const item: Pick<Where, 'wrap'> = { wrap: (value) => [value] };

const http = { health_check: { type: 'http', url: 'http://127.0.0.1/health' } };
const tcp = { health_check: { type: 'tcp', port: 8080 } };
const exec = { health_check: { type: 'exec', command: '/bin/true' } };
const grpc = { health_check: { type: 'grpc', port: 50051 } };
const worker = { runtime: { kind: 'worker', module: '/srv/job.js' } };
const pathMax = 4096;
const argMax = 64 * 1024;
/** setTimeout's limit: a longer delay fires at once. Written out, not imported: the test pins it. */
const maxDurationMs = 2 ** 31 - 1;

const durations = [
  'restart.delay_ms',
  'restart.max_delay_ms',
  'restart.start_limit_interval_ms',
  'restart.min_uptime_ms',
  'stop.grace_period_ms',
  'start_timeout_ms',
  'health_check.interval_ms',
  'health_check.timeout_ms',
  'health_check.start_period_ms',
];
const dependencies = ['after', 'before', 'requires', 'wants', 'binds_to', 'conflicts'];
const hooks = ['exec_start_pre', 'exec_start_post', 'exec_stop_post'];

const bounds: Bound[] = [
  // Top-level strings and paths.
  atMost('name', 63, chars),
  atMost('description', 4 * 1024, chars),
  atMost('command', pathMax, absolute),
  atMost('working_dir', pathMax, absolute),
  atMost('pidfile', pathMax, absolute),
  atMost('runtime_directory', 255, chars),
  atMost('user', 32, chars),
  atMost('group', 32, chars),
  edge('user', 'a numeric id below 2^32 - 1', number, 2 ** 32 - 2, 2 ** 32 - 1),
  atMost('umask', 0o777, number),
  atMost('runtime_directory_mode', 0o777, number),
  // Labels.
  atMost('labels', 64, entries((i) => `k${i}`, 'v')),
  atMost(`labels.${'k'.repeat(129)}`, 128, (n) => ({ ['k'.repeat(n)]: 'v' }), { input: 'labels' }),
  atMost('labels.tier', 256, chars),
  // Arguments and environment.
  atMost('args', 4096, items(() => 'a')),
  atMost('args[0]', argMax, chars, { input: 'args', ...item }),
  atMost('env', 4096, entries((i) => `K${i}`, 'v')),
  atMost(`env.${'E'.repeat(257)}`, 256, (n) => ({ ['E'.repeat(n)]: 'v' }), { input: 'env' }),
  atMost('env.BIG', argMax, chars),
  atMost('env_files', 64, items((i) => `/etc/env${i}`)),
  atMost('env_files[0]', pathMax, absolute, { input: 'env_files', ...item }),
  atMost('condition_path_exists', 64, items((i) => `/etc/c${i}`)),
  atMost('condition_path_exists[0]', pathMax, absolute, { input: 'condition_path_exists', ...item }),
  // Restart.
  atMost('restart.start_limit_burst', 1_000_000, number),
  atLeast('restart.start_limit_burst', 0, number),
  atMost('restart.success_exit_codes', 256, items((i) => i % 256)),
  atMost('restart.success_exit_codes[0]', 255, number, { input: 'restart.success_exit_codes', ...item }),
  atLeast('restart.success_exit_codes[0]', 0, number, { input: 'restart.success_exit_codes', ...item }),
  // Every duration: at most what setTimeout can hold, never negative.
  ...durations.flatMap((field) => {
    // A check needs its type; a cap below the delay is refused for that reason, not its own.
    const base = field.startsWith('health_check') ? tcp : field === 'restart.max_delay_ms' ? { restart: { delay_ms: 0 } } : {};
    const bounds = [atMost(field, maxDurationMs, number, { base })];
    // These two start at 1, below.
    if (field !== 'health_check.interval_ms' && field !== 'health_check.timeout_ms') bounds.push(atLeast(field, 0, number, { base }));
    return bounds;
  }),
  // Logs.
  atMost('logs.max_files', 1000, number),
  atLeast('logs.max_files', 0, number),
  atLeast('logs.max_bytes', 0, number),
  atMost('logs.max_bytes', Number.MAX_SAFE_INTEGER, number),
  atMost('logs.stdout', pathMax, absolute),
  atMost('logs.stderr', pathMax, absolute),
  // Health checks.
  atLeast('health_check.expected_status', 100, number, { base: http }),
  atMost('health_check.expected_status', 599, number, { base: http }),
  atMost('health_check.url', pathMax, (n) => `http://h/${'a'.repeat(n - 'http://h/'.length)}`, { base: http }),
  atMost('health_check.host', 253, chars, { base: tcp }),
  atLeast('health_check.port', 1, number, { base: tcp }),
  atMost('health_check.port', 65535, number, { base: tcp }),
  atMost('health_check.command', pathMax, absolute, { base: exec }),
  atMost('health_check.args', 4096, items(() => 'a'), { base: exec }),
  atMost('health_check.args[0]', argMax, chars, { input: 'health_check.args', ...item, base: exec }),
  atMost('health_check.service', 1024, chars, { base: grpc }),
  atLeast('health_check.interval_ms', 1, number, { base: tcp }),
  atLeast('health_check.timeout_ms', 1, number, { base: tcp }),
  atLeast('health_check.failure_threshold', 1, number, { base: tcp }),
  atMost('health_check.failure_threshold', 1000, number, { base: tcp }),
  atLeast('health_check.success_threshold', 1, number, { base: tcp }),
  atMost('health_check.success_threshold', 1000, number, { base: tcp }),
  atLeast('health_check.restart_after', 0, number, { base: tcp }),
  atMost('health_check.restart_after', 1000, number, { base: tcp }),
  // Resources.
  atLeast('resources.cpu_millis', 1, number),
  atMost('resources.cpu_millis', 1_000_000, number),
  atLeast('resources.memory_bytes', 1024 * 1024, number),
  atLeast('resources.pids', 1, number),
  atMost('resources.pids', 4_194_304, number),
  // Worker runtime.
  atMost('runtime.module', pathMax, absolute, { base: worker }),
  atMost('runtime.export', 255, chars, { base: worker }),
  // Dependencies: distinct names (repeats are dropped before they count).
  ...dependencies.map((field) => atMost(field, 1024, items((i) => `p${i}`))),
  ...dependencies.map((field) => atMost(`${field}[0]`, 63, chars, { input: field, ...item })),
  // Hook command lines: how many, how long each, and no empty one.
  ...hooks.flatMap((field) => [
    atMost(field, 64, items(() => ['/bin/true'])),
    atMost(`${field}[0]`, 4096, (n) => Array.from({ length: n }, () => '/bin/true'), { input: field, ...item }),
    atLeast(`${field}[0]`, 1, (n) => Array.from({ length: n }, () => '/bin/true'), { input: field, ...item }),
    atMost(`${field}[0][0]`, pathMax, (n) => [absolute(n)], { input: field, ...item }),
  ]),
  // Sockets: how many, a unix path within sun_path, a port within 1..65535, a name's length.
  atMost('sockets', 64, items((i) => ({ listen: `127.0.0.1:${i + 1}`, name: `s${i}` }))),
  atMost('sockets[0].listen', 107, (n) => [{ listen: absolute(n) }], { input: 'sockets' }),
  atMost('sockets[0].listen', 65535, (n) => [{ listen: `127.0.0.1:${n}` }], { input: 'sockets' }),
  atLeast('sockets[0].listen', 1, (n) => [{ listen: `[::1]:${n}` }], { input: 'sockets' }),
  atMost('sockets[0].name', 255, (n) => [{ listen: '/run/a.sock', name: chars(n) }], { input: 'sockets' }),
];

describe('every spec bound at its edge: at the limit accepted, one past refused naming the field', () => {
  for (const bound of bounds) {
    const shown = bound.field.replace(/(.)\1{15,}/g, (run) => `<${run.length} × ${run[0]}>`);
    test(`${shown}: ${bound.limit}`, () => {
      assert.doesNotThrow(() => validateSpec({ ...minimal, ...bound.at }), 'exactly at the limit');
      const violations = violationsOf(() => validateSpec({ ...minimal, ...bound.past }));
      assert.deepEqual(
        violations.map((v) => v.field),
        [bound.field],
        `one past the limit: ${JSON.stringify(violations.map((v) => `${v.field}: ${v.expected}`))}`,
      );
    });
  }
});

test('the table covers every field of the schema that has a bound', async () => {
  // A field added to the schema with a limit, and not here, fails this: add its edge above.
  const { specShape } = await import('../../src/spec/schema.js');
  const covered = new Set(bounds.map((b) => b.field.replace(/\[\d+\]/g, '').replace(/^(labels|env)\..*$/, '$1').replace(/\.(tier|BIG)$/, '')));
  const unbounded = new Set(['type', 'auto_start', 'restart.policy', 'stop.signal', 'stop.kill_mode', 'health_check.type', 'health_check.method', 'runtime.kind', 'start_on']);
  const missing: string[] = [];
  const walk = (shape: Record<string, { shape?: Record<string, unknown> }>, prefix: string) => {
    for (const [key, field] of Object.entries(shape)) {
      const name = `${prefix}${key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}`;
      if (field.shape) walk(field.shape as Record<string, { shape?: Record<string, unknown> }>, `${name}.`);
      else if (!covered.has(name) && !unbounded.has(name)) missing.push(name);
    }
  };
  walk(specShape as unknown as Record<string, { shape?: Record<string, unknown> }>, '');
  assert.deepEqual(missing, []);
});
