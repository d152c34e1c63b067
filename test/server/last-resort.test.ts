import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { LastResort } from '../../src/server/last-resort.js';
import { recordingLogger } from '../helpers/recording-logger.js';

test('the last resort logs each uncaught exception and unhandled rejection with its stack and counts them', () => {
  const target = new EventEmitter();
  const logger = recordingLogger();
  const lastResort = new LastResort();
  const uninstall = lastResort.install(target, logger);
  assert.equal(lastResort.count, 0);

  target.emit('uncaughtException', new TypeError('thrown from a timer'), 'uncaughtException');
  target.emit('unhandledRejection', 'a bare string', Promise.resolve());
  assert.equal(lastResort.count, 2);
  const [first, second] = logger.records;
  assert.equal(first?.level, 'error');
  assert.match(String((first?.fields.err as Error).stack), /TypeError: thrown from a timer\n\s+at /);
  assert.equal(first?.fields.origin, 'uncaughtException');
  assert.match((second?.fields.err as Error).message, /a non-Error was thrown: a bare string/);
  assert.equal(second?.fields.origin, 'unhandledRejection');
  assert.equal(second?.fields.uncaughtErrors, 2);

  uninstall();
  assert.equal(target.listenerCount('uncaughtException') + target.listenerCount('unhandledRejection'), 0);
});
