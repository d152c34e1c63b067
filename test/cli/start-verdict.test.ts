import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ProcessState } from '../../src/client/index.js';
import { startVerdict, type StartVerdict } from '../../src/cli/start-verdict.js';

test('startVerdict: when a start has succeeded, failed, or is on its way, for a service and a oneshot', () => {
  const table: [ProcessState, simple: StartVerdict, oneshot: StartVerdict][] = [
    ['UNSPECIFIED', 'waiting', 'waiting'],
    ['CREATED', 'waiting', 'waiting'],
    ['STARTING', 'waiting', 'waiting'],
    // A service runs (or, with a health check, is healthy); a job is still at work.
    ['RUNNING', 'started', 'waiting'],
    // Its run is ending: what follows tells (BACKOFF, FAILED, EXITED).
    ['STOPPING', 'waiting', 'waiting'],
    ['BACKOFF', 'failed', 'failed'],
    ['FAILED', 'failed', 'failed'],
    ['STOPPED', 'failed', 'failed'],
    ['EXITED', 'started', 'started'],
  ];
  for (const [state, simple, oneshot] of table) {
    assert.equal(startVerdict(state, 'simple'), simple, `simple, ${state}`);
    assert.equal(startVerdict(state, 'oneshot'), oneshot, `oneshot, ${state}`);
  }
});
