import { test } from 'node:test';
import assert from 'node:assert/strict';
import { enforcementOf } from '../../src/server/enforcement.js';
import { validateSpec } from '../../src/spec/validate.js';

test('Describe says whether a user: process gets its supplementary groups: with setpriv, or not without it', () => {
  const spec = validateSpec({ name: 'web', command: 'sleep', user: 'www-data' });
  assert.deepEqual(enforcementOf(spec, undefined, '/usr/bin/setpriv').find((e) => e.field === 'user'), {
    field: 'user',
    enforced: true,
    detail: "runs as www-data with the user's supplementary groups (initgroups through /usr/bin/setpriv), exec probes too",
  });
  assert.deepEqual(enforcementOf(spec, undefined, undefined).find((e) => e.field === 'user'), {
    field: 'user',
    enforced: false,
    detail: "runs as www-data without supplementary groups: setpriv (util-linux) was not found, and Node's spawn drops them all",
  });
  assert.equal(enforcementOf(validateSpec({ name: 'web', command: 'sleep' })).find((e) => e.field === 'user'), undefined);
});

test('Describe says what a pidfile does: read for type forking, written by the daemon otherwise', () => {
  const forking = enforcementOf(validateSpec({ name: 'web', command: 'nginx', type: 'forking', pidfile: '/run/nginx.pid' })).find((e) => e.field === 'pidfile');
  assert.equal(forking?.enforced, true);
  assert.match(forking?.detail ?? '', /^type forking: once the command exits 0, the daemon's pid is read from \/run\/nginx\.pid/);
  const written = enforcementOf(validateSpec({ name: 'web', command: 'sleep', pidfile: '/run/web.pid' })).find((e) => e.field === 'pidfile');
  assert.deepEqual(written, {
    field: 'pidfile',
    enforced: true,
    detail: 'the main pid is written to /run/web.pid (atomically) once the program runs, and the file is removed when the run ends',
  });
  assert.equal(enforcementOf(validateSpec({ name: 'web', command: 'sleep' })).find((e) => e.field === 'pidfile'), undefined);
});

test('the six dependency fields are enforced, each saying what the daemon does with the names given', () => {
  const spec = validateSpec({
    name: 'web',
    command: 'sleep',
    after: ['migrate:completed_successfully'],
    before: ['proxy'],
    requires: ['db:healthy'],
    wants: ['cache'],
    binds_to: ['db'],
    conflicts: ['maintenance'],
  });
  const list = enforcementOf(spec).filter((e) => ['after', 'before', 'requires', 'wants', 'binds_to', 'conflicts'].includes(e.field));
  assert.deepEqual(list.map((e) => [e.field, e.enforced]), [
    ['after', true],
    ['before', true],
    ['requires', true],
    ['wants', true],
    ['binds_to', true],
    ['conflicts', true],
  ]);
  assert.match(list.find((e) => e.field === 'requires')!.detail, /requirement X failed.*: db:healthy$/);
  assert.match(list.find((e) => e.field === 'binds_to')!.detail, /for any reason.*: db$/);
  assert.deepEqual(enforcementOf(validateSpec({ name: 'web', command: 'sleep' })).filter((e) => e.field === 'after'), []);
});
