/**
 * The environment markers are a contract with every child a daemon ever started: a later daemon
 * finds its survivors by these names (src/runtime/exec/survivors.ts), so a renamed marker would
 * leave the children of a daemon before the upgrade unmanaged, running twice after a restart.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { legacyStateDirEnv, markerEnv, processIdEnv, stateDirEnv } from '../../src/spec/markers.js';

test('the markers keep the names children already carry, the pre-0.2 one included', () => {
  assert.equal(processIdEnv, 'STATEVISOR_PROCESS_ID');
  assert.equal(stateDirEnv, 'STATEVISOR_MANAGED_BY');
  assert.equal(legacyStateDirEnv, 'STATEVISOR_STATE_DIR');
  // The legacy name is read, not reserved: a child may be given it for a daemon of its own.
  assert.deepEqual(markerEnv, ['STATEVISOR_PROCESS_ID', 'STATEVISOR_MANAGED_BY']);
});
