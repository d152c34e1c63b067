/**
 * The spellings each field kind takes, and the near misses it refuses (src/spec/fields.ts,
 * os-fields.ts, byte-size.ts, duration.ts). Each row pins one rule of a reader that a one-line
 * slip would bend without any other test noticing: the edges of a pattern, a number's form, a
 * path segment. Bounds live in bounds.test.ts; messages of whole specs in violations.test.ts.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { validateSpec, type ProcessSpec } from '../../src/spec/index.js';
import { minimal, violationOf, violationsOf } from './support.js';

type Pick = (spec: ProcessSpec) => unknown;
const burst: Pick = (s) => s.restart.startLimitBurst;
const delay: Pick = (s) => s.restart.delayMs;
const maxBytes: Pick = (s) => s.logs.maxBytes;

describe('taken: each form a field kind reads, normalized', () => {
  // [what, given on top of a minimal spec, where the value lands, what it reads as]
  const cases: [string, Record<string, unknown>, Pick, unknown][] = [
    ['an integer as a decimal string (proto3 JSON)', { restart: { start_limit_burst: '42' } }, burst, 42],
    ['an integer as a bigint (other protobuf readers)', { restart: { start_limit_burst: 42n } }, burst, 42],
    ['milliseconds as a decimal string', { restart: { delay_ms: '250' } }, delay, 250],
    ['a size as a bigint', { logs: { max_bytes: 1024n } }, maxBytes, 1024],
    ['a size with spaces around and inside', { logs: { max_bytes: ' 512 MiB ' } }, maxBytes, 512 * 1024 ** 2],
    ['a size with a two-digit fraction', { logs: { max_bytes: '1.25K' } }, maxBytes, 1250],
    ['a duration string at the timer limit', { stop: { grace_period: '2147483647ms' } }, (s) => s.stop.gracePeriodMs, 2 ** 31 - 1],
    // 64 characters: the longest duration string read.
    ['a duration string of 64 characters', { restart: { delay: `10ms${'1ms'.repeat(20)}` } }, delay, 30],
    ['a user name with digits', { user: 'user1' }, (s) => s.user, 'user1'],
    ['a log target of inherit', { logs: { stdout: 'inherit' } }, (s) => s.logs.stdout, 'inherit'],
    ['a log path with proc, sys or dev below the root', { logs: { stdout: '/srv/proc/dev/out.log' } }, (s) => s.logs.stdout, '/srv/proc/dev/out.log'],
    ['a log path that only begins like /dev', { logs: { stderr: '/devices.log' } }, (s) => s.logs.stderr, '/devices.log'],
    ['repeated exit codes, once each', { restart: { success_exit_codes: [0, 143, 0] } }, (s) => s.restart.successExitCodes, [0, 143]],
    ['a field set to undefined: not given', { working_dir: undefined, args: undefined }, (s) => [s.workingDir, s.args], [undefined, []]],
  ];
  for (const [what, given, pick, expected] of cases) {
    test(what, () => assert.deepEqual(pick(validateSpec({ ...minimal, ...given })), expected));
  }

  test('a oneshot may restart on failure or never, by default on failure', () => {
    for (const restart of [{}, { policy: 'no' }, { policy: 'on-failure' }, { policy: 'never' }]) {
      assert.equal(validateSpec({ ...minimal, type: 'oneshot', restart }).type, 'oneshot', JSON.stringify(restart));
    }
    for (const policy of ['always', 'on-success']) {
      assert.equal(violationOf(() => validateSpec({ ...minimal, type: 'oneshot', restart: { policy } })).field, 'restart.policy', policy);
    }
  });
});

describe('refused: the near misses, each named at its field with what was expected', () => {
  const integer = 'an integer from 0 to 1000000';
  const milliseconds = 'an integer number of milliseconds';
  const size = 'a size such as "512MiB", "200MB", "1G" or an integer number of bytes';
  const logTarget = 'capture, null, inherit or an absolute path outside /proc, /sys and /dev, without "." or ".." segments';
  const relative = 'a relative path without ".." segments';
  const account = 'a user or group name, or a numeric id';
  const umask = 'an octal string such as "022", or a number from 0 to 511 (0o777)';
  // [given on top of a minimal spec, the field, what was expected]
  const cases: [Record<string, unknown>, string, string][] = [
    // Decimal strings are digits only: no spaces, signs, exponents; booleans are not numbers.
    ...[' 42', '42 ', '4e1', '', true].map((value): [Record<string, unknown>, string, string] => [{ restart: { start_limit_burst: value } }, 'restart.start_limit_burst', integer]),
    ...[' 5', '5 ', '', true].map((value): [Record<string, unknown>, string, string] => [{ restart: { delay_ms: value } }, 'restart.delay_ms', milliseconds]),
    // The _ms name (camelCase too) takes milliseconds, never a duration string.
    [{ restart: { delayMs: '5s' } }, 'restart.delay_ms', milliseconds],
    [{ health_check: { type: 'tcp', port: 80, interval_ms: 0 } }, 'health_check.interval_ms', 'a duration of at least 1ms'],
    [{ restart: { delay: `100ms${'1ms'.repeat(20)}` } }, 'restart.delay', 'a duration such as "250ms", "5s", "1.5s", "2m" or "1h", or an integer number of milliseconds'],
    [{ stop: { grace_period: '2147483648ms' } }, 'stop.grace_period', 'at most 2147483647 ms (about 24.8 days)'],
    // Sizes: no sign, nothing after the unit, whole bytes.
    ...['-1MB', '512MiB,', '1G2', '5Kxyz', 'MiB', -1].map((value): [Record<string, unknown>, string, string] => [{ logs: { max_bytes: value } }, 'logs.max_bytes', size]),
    [{ logs: { max_bytes: '1.5' } }, 'logs.max_bytes', `${size}, a whole number of bytes`],
    // Log paths: plainly spelled, never into /proc, /sys or /dev themselves.
    ...['/var/log/../x', '/var//log', '/var/./log', '/dev', '/proc', '/sys/x'].map((value): [Record<string, unknown>, string, string] => [{ logs: { stdout: value } }, 'logs.stdout', logTarget]),
    ...['a//b', 'a/./b', '.', 'a/'].map((value): [Record<string, unknown>, string, string] => [{ runtime_directory: value }, 'runtime_directory', relative]),
    [{ health_check: { type: 'http', url: 'xhttp://host/' } }, 'health_check.url', 'an http:// or https:// URL'],
    ...['0o0o22', -1, 1.5].map((value): [Record<string, unknown>, string, string] => [{ umask: value }, 'umask', umask]),
    ...['1e3', -1, 1.5, '12 '].map((value): [Record<string, unknown>, string, string] => [{ user: value }, 'user', account]),
    // Lists and maps: a missing item is named as such, a map must be a map.
    [{ args: ['-v', null] }, 'args[1]', 'a value'],
    [{ args: ['-v', undefined] }, 'args[1]', 'a value'],
    [{ env: { A: null } }, 'env.A', 'a value'],
    [{ env: { A: undefined } }, 'env.A', 'a value'],
    [{ exec_start_pre: ['/bin/true'] }, 'exec_start_pre[0]', 'a non-empty list'],
    [{ env: 'A=1' }, 'env', 'a map of an environment variable name ([A-Za-z_][A-Za-z0-9_]*) to values'],
  ];
  for (const [given, field, expected] of cases) {
    test(`${JSON.stringify(given, (_, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v))}: ${field}`, () => {
      const violation = violationOf(() => validateSpec({ ...minimal, ...given }));
      assert.deepEqual([violation.field, violation.expected], [field, expected]);
    });
  }

  test('a list with a bad item is dropped whole: no rule of the spec judges its other items', () => {
    // Had the good items been kept, "web" would also be reported as a dependency on itself.
    const violations = violationsOf(() => validateSpec({ ...minimal, after: ['web', 'bad name'] }));
    assert.deepEqual(violations.map((v) => v.field), ['after[1]']);
  });
});
