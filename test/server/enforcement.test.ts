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
