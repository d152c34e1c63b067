import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { StatevisorError } from '../../src/errors.js';
import { SpecValidationError, validateSpec } from '../../src/spec/index.js';
import { firstCodePoints } from '../../src/spec/code-points.js';
import { processNamePattern } from '../../src/spec/fields.js';
import { describeProblem, formatViolation } from '../../src/spec/violations.js';
import { minimal, violationOf, violationsOf } from './support.js';

describe('violations name their field path and value', () => {
  // [what is given on top of a minimal spec, the field path, the offending value, what was expected]
  const cases: [string, Record<string, unknown>, string, unknown, RegExp][] = [
    ['a name that is a path', { name: '../etc' }, 'name', '../etc', /process name matching/],
    ['a name too long', { name: 'a'.repeat(64) }, 'name', 'a'.repeat(64), /process name/],
    ['an empty name', { name: '' }, 'name', '', /process name/],
    ['no name', { name: undefined }, 'name', undefined, /process name/],
    ['no command', { command: undefined }, 'command', undefined, /non-empty string/],
    ['an empty command', { command: '' }, 'command', '', /non-empty string/],
    ['a command with NUL', { command: '/bin/x\0y' }, 'command', '/bin/x\0y', /without NUL/],
    ['a command that is not a string', { command: ['/bin/ls'] }, 'command', ['/bin/ls'], /non-empty string/],
    ['an argument that is an object', { args: ['ok', {}] }, 'args[1]', {}, /a string/],
    ['args that are not a list', { args: '-v' }, 'args', '-v', /a list/],
    ['an env key that is not a name', { env: { '1BAD': 'x' } }, 'env["1BAD"]', '1BAD', /environment variable name/],
    ['an env value that is a map', { env: { GOOD: { a: 1 } } }, 'env.GOOD', { a: 1 }, /a string/],
    ['a relative env file', { env_files: ['api.env'] }, 'env_files[0]', 'api.env', /absolute path, optionally preceded by "-"/],
    ['a relative working dir', { working_dir: 'srv' }, 'working_dir', 'srv', /absolute path/],
    ['a relative pidfile', { pidfile: 'api.pid' }, 'pidfile', 'api.pid', /absolute path/],
    ['a relative log file', { logs: { stdout: 'out.log' } }, 'logs.stdout', 'out.log', /capture, null, inherit or an absolute path/],
    ['a negative max_files', { logs: { max_files: -1 } }, 'logs.max_files', -1, /integer from 0 to 1000/],
    ['a umask that is not octal', { umask: '099' }, 'umask', '099', /octal string/],
    ['a umask too large', { umask: 0o1000 }, 'umask', 0o1000, /0o777/],
    ['a user with a space', { user: 'www data' }, 'user', 'www data', /user or group name/],
    ['an unknown type', { type: 'notify' }, 'type', 'notify', /^one of simple, oneshot, forking$/],
    ['type forking without a pidfile', { type: 'forking' }, 'pidfile', undefined, /^an absolute path \(type forking reads the daemon's pid from it\)$/],
    ['a string for a boolean', { auto_start: 'yes' }, 'auto_start', 'yes', /true or false/],
    ['an unknown restart policy', { restart: { policy: 'sometimes' } }, 'restart.policy', 'sometimes', /^one of no, always, on-failure, on-success, never \(a synonym of no\)$/],
    ['a duration with an unknown unit', { restart: { delay: '5x' } }, 'restart.delay', '5x', /duration such as/],
    ['a negative duration', { restart: { delay_ms: -5 } }, 'restart.delay_ms', -5, /not negative/],
    ['a duration over the timer limit', { stop: { grace_period: '800h' } }, 'stop.grace_period', '800h', /at most 2147483647 ms/],
    ['NaN for a duration', { start_timeout: Number.NaN }, 'start_timeout', Number.NaN, /integer number of milliseconds/],
    ['a negative integer', { restart: { start_limit_burst: -1 } }, 'restart.start_limit_burst', -1, /integer from 0/],
    ['an exit code over 255', { restart: { success_exit_codes: [0, 256] } }, 'restart.success_exit_codes[1]', 256, /integer from 0 to 255/],
    ['a restart section that is a string', { restart: 'always' }, 'restart', 'always', /an object/],
    ['max_delay below delay', { restart: { delay: '10s', max_delay: '1s' } }, 'restart.max_delay', 1000, /at least restart.delay/],
    ['a oneshot that always restarts', { type: 'oneshot', restart: { policy: 'always' } }, 'restart.policy', 'always', /oneshot/],
    ['an unknown signal', { stop: { signal: 'SIGFOO' } }, 'stop.signal', 'SIGFOO', /signal name/],
    ['an unknown kill mode', { stop: { kill_mode: 'all' } }, 'stop.kill_mode', 'all', /^one of control-group, process-group, process, mixed$/],
    ['a port out of range', { health_check: { type: 'tcp', port: 70000 } }, 'health_check.port', 70000, /integer from 1 to 65535/],
    ['a port zero', { health_check: { type: 'grpc', port: 0 } }, 'health_check.port', 0, /integer from 1 to 65535/],
    ['an http check without url', { health_check: { type: 'http' } }, 'health_check.url', undefined, /http checks need it/],
    ['a tcp check without port', { health_check: { type: 'tcp' } }, 'health_check.port', undefined, /tcp checks need it/],
    ['an exec check without command', { health_check: { type: 'exec' } }, 'health_check.command', undefined, /exec checks need it/],
    ['a grpc check without port', { health_check: { type: 'grpc' } }, 'health_check.port', undefined, /grpc checks need it/],
    ['a health check without type', { health_check: { port: 80 } }, 'health_check.type', undefined, /one of http, tcp, exec, grpc/],
    ['an unknown health check type', { health_check: { type: 'udp', port: 53 } }, 'health_check.type', 'udp', /one of http, tcp, exec, grpc/],
    ['a url that is not http', { health_check: { type: 'http', url: 'ftp://host/' } }, 'health_check.url', 'ftp://host/', /http:\/\/ or https:\/\//],
    ['a url on a tcp check', { health_check: { type: 'tcp', port: 80, url: 'http://x/' } }, 'health_check.url', 'http://x/', /tcp checks do not use it/],
    ['a zero failure threshold', { health_check: { type: 'tcp', port: 80, failure_threshold: 0 } }, 'health_check.failure_threshold', 0, /integer from 1/],
    ['a tiny memory limit', { resources: { memory_bytes: 10 } }, 'resources.memory_bytes', 10, /at least 1048576/],
    ['zero cpu', { resources: { cpu_millis: 0 } }, 'resources.cpu_millis', 0, /integer from 1/],
    ['a dependency on itself', { after: ['db', 'web'] }, 'after[1]', 'web', /another process/],
    ['a dependency that is not a name', { requires: ['../db'] }, 'requires[0]', '../db', /process name/],
    ['a conflict that is also required', { requires: ['db'], conflicts: ['db'] }, 'conflicts[0]', 'db', /not also in requires/],
    ['after and before the same process', { after: ['db'], before: ['db'] }, 'before[0]', 'db', /cycle/],
    ['an empty hook command line', { exec_start_pre: [['/bin/x'], []] }, 'exec_start_pre[1]', [], /non-empty list/],
    ['a hook argument that is a map', { exec_stop_post: [['/bin/x', {}]] }, 'exec_stop_post[0][1]', {}, /a non-empty string/],
    ['a relative condition path', { condition_path_exists: 'etc/x' }, 'condition_path_exists', 'etc/x', /absolute path, optionally preceded by "!"/],
    ['a negation before the OR mark', { condition_path_exists: ['!|/etc/x'] }, 'condition_path_exists[0]', '!|/etc/x', /"\|" \(one of an OR group\) or "\|!"/],
    ['a relative OR condition', { condition_path_exists: ['|etc/x'] }, 'condition_path_exists[0]', '|etc/x', /absolute path/],
    ['a runtime directory mode that is not octal', { runtime_directory_mode: '0855' }, 'runtime_directory_mode', '0855', /octal string such as "0755"/],
    ['a runtime directory mode with setuid bits', { runtime_directory_mode: 0o4755 }, 'runtime_directory_mode', 0o4755, /at most|from 0 to 511/],
    ['a runtime directory that escapes', { runtime_directory: '../etc' }, 'runtime_directory', '../etc', /without "\.\." segments/],
    ['an absolute runtime directory', { runtime_directory: '/etc' }, 'runtime_directory', '/etc', /relative path/],
    ['a worker without module', { runtime: { kind: 'worker' } }, 'runtime.module', undefined, /worker runtime needs it/],
    ['a module on an exec runtime', { runtime: { module: '/m.js' } }, 'runtime.module', '/m.js', /for worker/],
    ['an unknown runtime kind', { runtime: { kind: 'wasm' } }, 'runtime.kind', 'wasm', /^one of exec, worker$/],
    ['a label key with a space', { labels: { 'my key': 'x' } }, 'labels["my key"]', 'my key', /letters, digits/],
    ['a label value too long', { labels: { tier: 'x'.repeat(257) } }, 'labels.tier', 'x'.repeat(257).slice(0, 64) + '... (257 characters)', /at most 256/],
    ['a spec that is not an object', {}, '', 'not a spec', /an object/],
  ];

  for (const [what, given, field, value, expected] of cases) {
    test(`${what}: ${field || 'the spec itself'}`, () => {
      const input = field === '' ? 'not a spec' : { ...minimal, ...given };
      const violation = violationOf(() => validateSpec(input));
      assert.equal(violation.field, field);
      assert.deepEqual(violation.value, value);
      assert.match(violation.expected, expected);
    });
  }
});

describe('violations are collected and reported together', () => {
  test('every violation is collected, not only the first', () => {
    const violations = violationsOf(() =>
      validateSpec({
        name: 'bad name',
        command: '',
        restart: { policy: 'sometimes', delay: '-1s' },
        stop: { signal: 'NOPE' },
        health_check: { type: 'tcp', port: 0 },
        args: ['ok', {}, 'ok', []],
      }),
    );
    assert.deepEqual(
      violations.map((v) => v.field),
      ['name', 'command', 'restart.policy', 'restart.delay', 'stop.signal', 'health_check.port', 'args[1]', 'args[3]'],
    );
  });

  test('the error is a StatevisorError whose message lists each violation', () => {
    let error: unknown;
    try {
      validateSpec({ ...minimal, restart: { policy: 'sometimes' }, stop: { kill_mode: 'all' } });
    } catch (caught) {
      error = caught;
    }
    assert.ok(error instanceof SpecValidationError);
    assert.ok(error instanceof StatevisorError);
    assert.equal(error.code, 'E_SPEC_INVALID');
    assert.equal(
      error.message,
      'invalid process spec "web": restart.policy: got "sometimes", expected one of no, always, on-failure, on-success, never (a synonym of no); ' +
        'stop.kill_mode: got "all", expected one of control-group, process-group, process, mixed',
    );
  });

  test('names other tools use point at ours', () => {
    const renamed: [string, string][] = [
      ['cwd', 'working_dir'],
      ['directory', 'working_dir'],
      ['environment', 'env'],
      ['autostart', 'auto_start'],
      ['depends_on', 'requires and after'],
      ['restart_policy', 'restart.policy'],
      ['stopsignal', 'stop.signal'],
      ['stop_signal', 'stop.signal'],
      ['kill_timeout', 'stop.grace_period'],
      ['startsecs', 'restart.min_uptime'],
      ['healthcheck', 'health_check'],
      ['readiness_probe', 'health_check'],
      ['liveness_probe', 'health_check'],
      ['StopSignal', 'stop.signal'],
    ];
    for (const [written, ours] of renamed) {
      assert.deepEqual(violationOf(() => validateSpec({ ...minimal, [written]: 1 })), { field: written, value: 1, expected: `no field of this name (use ${ours})` });
    }
  });

  test('the nearest name offered is a snake_case one, within a third of the length; far off, the section lists its names', () => {
    const hint = (stop: Record<string, unknown>) => violationOf(() => validateSpec({ ...minimal, stop })).expected;
    assert.equal(hint({ killmode: 'mixed' }), 'no field of this name (did you mean kill_mode?)');
    // Two letters swapped in twelve: two edits, within a third (4).
    assert.equal(hint({ grace_preiod: '5s' }), 'no field of this name (did you mean grace_period?)');
    // Three letters more is still a typo; four more is another name.
    assert.equal(hint({ kill_modexyz: 'mixed' }), 'no field of this name (did you mean kill_mode?)');
    assert.equal(hint({ kill_modewxyz: 'mixed' }), 'no field of this name (known: signal, grace_period_ms, grace_period, kill_mode)');
    assert.equal(hint({ zz: 1 }), 'no field of this name (known: signal, grace_period_ms, grace_period, kill_mode)');
    // The spec itself has too many names to list.
    assert.equal(violationOf(() => validateSpec({ ...minimal, zzzzzz: 1 })).expected, 'no field of this name');
    // Two letters missing in front are two edits: "me" is not a typo of "name".
    assert.equal(violationOf(() => validateSpec({ ...minimal, me: 1 })).expected, 'no field of this name');
  });

  test('unknown keys are named, with the nearest known name or the new one', () => {
    const violations = violationsOf(() =>
      validateSpec({ ...minimal, comand: '/bin/x', cwd: '/srv', grace_period: '5s', restart: { polcy: 'no' }, banana: 1 }),
    );
    assert.deepEqual(
      violations.map((v) => [v.field, v.value, v.expected]),
      [
        ['comand', '/bin/x', 'no field of this name (did you mean command?)'],
        ['cwd', '/srv', 'no field of this name (use working_dir)'],
        ['grace_period', '5s', 'no field of this name here (use stop.grace_period)'],
        ['restart.polcy', 'no', 'no field of this name (did you mean policy?)'],
        ['banana', 1, 'no field of this name'],
      ],
    );
  });

  test('a missing required field is reported beside another violation, and said to be missing', () => {
    let error: unknown;
    try {
      validateSpec({ command: 5 });
    } catch (caught) {
      error = caught;
    }
    assert.ok(error instanceof SpecValidationError);
    assert.equal(error.name, 'SpecValidationError');
    assert.deepEqual(error.violations.map((v) => v.field), ['command', 'name']);
    assert.equal(
      error.message,
      `invalid process spec: command: got 5, expected a non-empty string; name: missing, expected a process name matching ${processNamePattern.source}`,
    );
  });

  test('a name given and invalid is reported once, not again as the file name it fell back to', () => {
    const violation = violationOf(() => validateSpec({ name: 5, command: '/bin/true' }, { defaultName: 'not a name' }));
    assert.deepEqual([violation.field, violation.value], ['name', 5]);
  });

  test('a spec that is not an object, null included, is the one thing said, naming its source', () => {
    for (const input of [null, 42, ['web']]) {
      assert.throws(
        () => validateSpec(input, { source: '/etc/statevisor/web.yaml' }),
        {
          name: 'SpecValidationError',
          message: `invalid process spec in /etc/statevisor/web.yaml: spec: got ${JSON.stringify(input)}, expected an object with fields such as name, description, labels`,
        },
        JSON.stringify(input),
      );
    }
  });

  test('a health check missing the field its type needs is told what that field takes', () => {
    const needs: [Record<string, unknown>, string, string][] = [
      [{ type: 'http' }, 'health_check.url', 'an http:// or https:// URL (http checks need it)'],
      [{ type: 'tcp' }, 'health_check.port', 'an integer from 1 to 65535 (tcp checks need it)'],
      [{ type: 'exec' }, 'health_check.command', 'a non-empty string (exec checks need it)'],
      [{ type: 'grpc' }, 'health_check.port', 'an integer from 1 to 65535 (grpc checks need it)'],
    ];
    for (const [check, field, expected] of needs) {
      assert.deepEqual(violationOf(() => validateSpec({ ...minimal, health_check: check })), { field, value: undefined, expected });
    }
  });

  test('numbers are quoted as written: NaN and bigints too', () => {
    assert.equal(describeProblem({ field: 'x', value: Number.NaN, expected: 'y' }), 'got NaN, expected y');
    assert.equal(describeProblem({ field: 'x', value: 2n ** 70n, expected: 'y' }), 'got 1180591620717411303424, expected y');
    const [violation, ...more] = violationsOf(() => validateSpec({ ...minimal, restart: { start_limit_burst: 2n ** 70n } }));
    assert.equal(more.length, 0);
    assert.equal(formatViolation(violation!), 'restart.start_limit_burst: got 1180591620717411303424, expected an integer from 0 to 1000000');
  });

  test('the spec itself is named "spec" in the message', () => {
    assert.equal(formatViolation({ field: '', value: 42, expected: 'an object' }), 'spec: got 42, expected an object');
  });

  test('values are kept as given up to 256 characters, 16 items or 16 fields; beyond, summarised', () => {
    const kept = (value: unknown) => violationOf(() => validateSpec({ ...minimal, name: value })).value;
    const fields = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, i]));
    assert.equal(kept('x'.repeat(256)), 'x'.repeat(256));
    assert.equal(kept('x'.repeat(257)), `${'x'.repeat(64)}... (257 characters)`);
    assert.deepEqual(kept(Array(16).fill(1)), Array(16).fill(1));
    assert.equal(kept(Array(17).fill(1)), '(an array of 17 items)');
    assert.deepEqual(kept(fields(16)), fields(16));
    assert.equal(kept(fields(17)), '(an object with 17 fields)');
  });

  test('huge strings are rejected, and cut down in the violation and the message', () => {
    const huge = 'x'.repeat(1_000_000);
    const violations = violationsOf(() =>
      validateSpec({ ...minimal, command: huge, description: huge, env: { BIG: huge }, working_dir: `/${huge}` }),
    );
    assert.deepEqual(
      violations.map((v) => v.field),
      ['command', 'description', 'env.BIG', 'working_dir'],
    );
    for (const violation of violations) {
      assert.match(violation.expected, /of at most \d+ characters/);
      assert.ok(typeof violation.value === 'string' && violation.value.length < 100, 'the value is cut down');
    }
    assert.throws(() => validateSpec({ ...minimal, command: huge }), (error: Error) => error.message.length < 300);
  });

  test('huge lists and maps are rejected without reading every item', () => {
    const violations = violationsOf(() =>
      validateSpec({
        ...minimal,
        args: Array.from({ length: 5000 }, () => 'a'),
        env: Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`K${i}`, 'v'])),
      }),
    );
    assert.deepEqual(violations, [
      { field: 'args', value: '(an array of 5000 items)', expected: 'a list of at most 4096 items' },
      { field: 'env', value: '(an object with 5000 fields)', expected: 'at most 4096 entries' },
    ]);
  });

  test('a flood of violations keeps the first hundred and counts the rest', () => {
    const flood = Object.fromEntries(Array.from({ length: 250 }, (_, i) => [`unknown${i}`, i]));
    let error: unknown;
    try {
      validateSpec({ ...minimal, ...flood });
    } catch (caught) {
      error = caught;
    }
    assert.ok(error instanceof SpecValidationError);
    assert.equal(error.violations.length, 100);
    assert.match(error.message, /; and 230 more$/);
  });
});

describe('values are cut by code point, never inside a surrogate pair', () => {
  // Regression: the message cut a quoted value at 77 UTF-16 units, splitting an emoji in two;
  // grpc-js then threw URIError on the lone surrogate and the daemon died.
  const emoji = '\u{1F600}';

  test('a policy of "x" and 40 emoji is quoted whole and well-formed: 43 code points, though 83 UTF-16 units', () => {
    const violation = violationOf(() => validateSpec({ ...minimal, restart: { policy: `x${emoji.repeat(40)}` } }));
    const problem = describeProblem(violation);
    assert.ok(problem.isWellFormed(), `ill-formed: ${JSON.stringify(problem)}`);
    const quoted = /^got (.*), expected /.exec(problem)![1]!;
    assert.equal(quoted, `"x${emoji.repeat(40)}"`);
  });

  test('a value of exactly 80 code points is kept whole; one more is cut', () => {
    const rendered = (value: string) => /^got (.*), expected /.exec(describeProblem({ field: 'x', value, expected: 'y' }))![1]!;
    assert.equal(rendered(emoji.repeat(78)), `"${emoji.repeat(78)}"`, '80 code points with the quotes');
    assert.equal(rendered(emoji.repeat(79)), `"${emoji.repeat(76)}...`);
  });

  test('U+FFFF is one UTF-16 unit: a cut after it keeps the next character', () => {
    assert.equal(firstCodePoints('\uffffab', 2), '\uffffa');
    assert.equal(firstCodePoints(`${emoji}ab`, 2), `${emoji}a`);
  });

  test('a long value summarised in the violation keeps whole code points', () => {
    const violation = violationOf(() => validateSpec({ ...minimal, labels: { tier: `${'a'.repeat(63)}${emoji.repeat(300)}` } }));
    assert.equal(violation.value, `${'a'.repeat(63)}${emoji}... (663 characters)`);
  });

  test('a huge emoji name is quoted cut down and well-formed in the message', () => {
    assert.throws(
      () => validateSpec({ ...minimal, name: emoji.repeat(200) }),
      (error: Error) => error.message.isWellFormed() && error.message.length < 400 && /^invalid process spec: name: got "/.test(error.message),
    );
  });
});
