/** Where the daemon keeps its state without --state-dir: $STATEVISOR_STATE_DIR, then root's, then the user's. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultStateDir } from '../../src/paths.js';

test('the default state dir: $STATEVISOR_STATE_DIR, then /var/lib/statevisor as root, then ~/.statevisor', () => {
  const home = '/home/ada';
  assert.equal(defaultStateDir({ env: { STATEVISOR_STATE_DIR: '/srv/sv' }, uid: 0, homedir: home }), '/srv/sv');
  assert.equal(defaultStateDir({ env: { STATEVISOR_STATE_DIR: '/srv/sv' }, uid: 1000, homedir: home }), '/srv/sv');
  assert.equal(defaultStateDir({ env: {}, uid: 0, homedir: home }), '/var/lib/statevisor');
  assert.equal(defaultStateDir({ env: {}, uid: 1000, homedir: home }), '/home/ada/.statevisor');
});
