import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { specDefaults, validateSpec, validateSpecPatch } from '../../src/spec/index.js';
import { violationOf, violationsOf } from './support.js';

describe('validateSpecPatch with a field mask', () => {
  const base = validateSpec({
    name: 'api',
    command: '/usr/bin/api',
    args: ['--port', '8080'],
    env: { PORT: '8080' },
    restart: { policy: 'always', delay: '1s' },
    stop: { grace_period: '20s', signal: 'INT' },
  });

  test('only the masked fields are taken from the request', () => {
    const updated = validateSpecPatch(
      { command: '/usr/bin/other', restart: { policy: 'no', delay: '5s' } },
      base,
      ['restart.policy'],
    );
    assert.deepEqual(updated, { ...base, restart: { ...base.restart, policy: 'no' } });
  });

  test('mask paths and request keys may use either case and either duration name', () => {
    const masks = [['stop.grace_period'], ['stop.grace_period_ms'], ['stop.gracePeriodMs'], ['stop.gracePeriod']];
    for (const mask of masks) {
      for (const stop of [{ grace_period_ms: 5000 }, { gracePeriod: '5s' }]) {
        const updated = validateSpecPatch({ stop }, base, mask);
        assert.equal(updated.stop.gracePeriodMs, 5000, `${mask[0]} with ${JSON.stringify(stop)}`);
        assert.equal(updated.stop.signal, 'SIGINT');
      }
    }
  });

  test('a masked field absent from the request goes back to its default', () => {
    const updated = validateSpecPatch({}, base, ['env', 'stop.signal']);
    assert.deepEqual(updated.env, {});
    assert.equal(updated.stop.signal, 'SIGTERM');
    assert.equal(updated.stop.gracePeriodMs, 20_000);
  });

  test('a masked section is replaced whole', () => {
    const updated = validateSpecPatch({ restart: { max_delay: '1m' } }, base, ['restart']);
    assert.deepEqual(updated.restart, { ...specDefaults.restart, successExitCodes: [], maxDelayMs: 60_000 });
  });

  test('a health check can be added to a spec that had none', () => {
    const updated = validateSpecPatch({ health_check: { type: 'tcp', port: 8080 } }, base, ['health_check']);
    assert.equal(updated.healthCheck?.port, 8080);
    const one = validateSpecPatch({ health_check: { type: 'exec', command: '/bin/true' } }, base, ['health_check.type', 'health_check.command']);
    assert.equal(one.healthCheck?.command, '/bin/true');
  });

  test('unknown mask paths are rejected, each named', () => {
    const violations = violationsOf(() => validateSpecPatch({}, base, ['restart.polcy', 'env.PORT', 'args', 'bogus']));
    assert.deepEqual(
      violations.map((v) => [v.field, v.value]),
      [
        ['update_mask', 'restart.polcy'],
        ['update_mask', 'env.PORT'],
        ['update_mask', 'bogus'],
      ],
    );
  });

  test('masked fields are validated with their path; fields outside the mask are ignored', () => {
    const violation = violationOf(() =>
      validateSpecPatch({ restart: { policy: 'sometimes' }, stop: { signal: 'NOPE' } }, base, ['restart.policy']),
    );
    assert.deepEqual(violation, {
      field: 'restart.policy',
      value: 'sometimes',
      expected: 'one of no, always, on-failure, on-success, never (a synonym of no)',
    });
  });

  test('a required field cannot be reset', () => {
    assert.equal(violationOf(() => validateSpecPatch({}, base, ['command'])).field, 'command');
  });

  test('the name cannot change, but repeating it is harmless', () => {
    assert.equal(violationOf(() => validateSpecPatch({ name: 'other' }, base, ['name'])).field, 'name');
    assert.deepEqual(validateSpecPatch({ name: 'api' }, base, ['name']), base);
  });

  test('rules across fields apply to the merged spec', () => {
    const violation = violationOf(() => validateSpecPatch({ type: 'oneshot' }, base, ['type']));
    assert.deepEqual(violation.field, 'restart.policy');
  });

  test('without a mask, the fields present in the request are updated, and null resets one', () => {
    const updated = validateSpecPatch({ stop: { kill_mode: 'mixed' }, args: null }, base, []);
    assert.equal(updated.stop.killMode, 'mixed');
    assert.equal(updated.stop.signal, 'SIGINT');
    assert.deepEqual(updated.args, []);
    assert.equal(violationOf(() => validateSpecPatch({ stop: { kil_mode: 'mixed' } }, base, [])).field, 'stop.kil_mode');
  });

  test('a masked kill_mode absent from the request goes back to unset: the machine\'s default', () => {
    const mixed = validateSpecPatch({ stop: { kill_mode: 'mixed' } }, base, []);
    const reset = validateSpecPatch({}, mixed, ['stop.kill_mode']);
    assert.equal('killMode' in reset.stop, false);
    assert.equal(reset.stop.signal, 'SIGINT');
  });

  test('"*" replaces the whole spec', () => {
    const updated = validateSpecPatch({ command: '/bin/new' }, base, ['*']);
    assert.deepEqual(updated, validateSpec({ name: 'api', command: '/bin/new' }));
  });

  test('a request that is not an object is refused, naming the process and where the request came from', () => {
    assert.throws(() => validateSpecPatch(null, base, [], { source: 'request' }), {
      name: 'SpecValidationError',
      message: 'invalid process spec "api" in request: spec: got null, expected an object with fields such as name, description, labels',
    });
  });

  test('the messages of a patch name the process, its source, and what is wrong', () => {
    assert.throws(() => validateSpecPatch({ name: 'other', restart: { policy: 'sometimes' } }, base, ['name', 'restart.polcy'], { source: 'request' }), {
      message:
        'invalid process spec "api" in request: update_mask: got "restart.polcy", expected a ProcessSpec field path such as restart.policy, stop.grace_period or env; ' +
        'name: got "other", expected "api" (a process cannot be renamed)',
    });
  });

  test('a mask naming a section and a field of it takes the whole section', () => {
    const updated = validateSpecPatch({ restart: { policy: 'no', delay: '5s' } }, base, ['restart.policy', 'restart']);
    assert.equal(updated.restart.policy, 'no');
    assert.equal(updated.restart.delayMs, 5_000);
  });

  test('a field of a masked section outside the mask is not read: a bad value there fails nothing', () => {
    assert.equal(validateSpecPatch({ restart: { policy: 'no', delay: 'bogus' } }, base, ['restart.policy']).restart.policy, 'no');
  });

  test('resetting a field of a health check the process does not have leaves it without one', () => {
    const updated = validateSpecPatch({}, base, ['health_check.interval']);
    assert.equal(updated.healthCheck, undefined);
    assert.deepEqual(updated, base);
  });

  test('the base spec is never modified', () => {
    const before = structuredClone(base);
    validateSpecPatch({ env: { A: '1' }, restart: { policy: 'no' } }, base, ['env', 'restart.policy']);
    assert.deepEqual(base, before);
  });
});
