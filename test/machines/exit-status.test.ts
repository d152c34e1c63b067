import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeExit } from '../../src/machines/exit-status.js';

test('an exit is told by its code or signal, and an exit nothing waited for says its status is unknown', () => {
  assert.equal(describeExit({ exitCode: 3, signal: null }), 'exited with code 3');
  assert.equal(describeExit({ exitCode: null, signal: 'SIGKILL', cause: 'out of memory' }), 'killed by SIGKILL (out of memory)');
  // Regression: an adopted or forked workload's end read "exited with code null".
  assert.equal(describeExit({ exitCode: null, signal: null }), 'exited (exit status unknown: not a child of the daemon)');
});
