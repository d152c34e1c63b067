/** The guard every handler runs in, and the one function that shapes every status message. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { status, type ServiceError } from '@grpc/grpc-js';
import { StatevisorError } from '../../src/errors.js';
import { guardedUnary } from '../../src/server/grpc/guarded-handlers.js';
import { maxEncodedDetails, toServiceError, wellFormedDetails } from '../../src/server/grpc/service-errors.js';
import { recordingLogger } from '../helpers/recording-logger.js';

test('a status message is made well-formed: a lone surrogate becomes U+FFFD, and grpc-js can encode it', () => {
  const details = wellFormedDetails('got "x\ud83d", expected y');
  assert.equal(details, 'got "x\ufffd", expected y');
  assert.doesNotThrow(() => encodeURI(details));
});

test('a status message is cut to fit the encoded limit exactly, by whole code points, and says so', () => {
  const fits = 'a'.repeat(maxEncodedDetails);
  assert.equal(wellFormedDetails(fits), fits, 'exactly at the limit: kept whole');
  const cut = wellFormedDetails(`${fits}a`);
  assert.ok(cut.endsWith('... (cut)'));
  assert.ok(encodeURI(cut).length <= maxEncodedDetails);
  assert.ok(encodeURI(cut).length > maxEncodedDetails - 12, 'only as much is cut as needed');

  const emoji = wellFormedDetails('\u{1F600}'.repeat(2000));
  assert.ok(emoji.isWellFormed() && emoji.endsWith('... (cut)'));
  assert.ok(encodeURI(emoji).length <= maxEncodedDetails, '12 encoded characters per emoji are counted');
});

test('a StatevisorError keeps its code and message; anything else is INTERNAL, logged, and leaks nothing', () => {
  const logger = recordingLogger();
  const known = toServiceError(new StatevisorError('E_NOT_FOUND', 'no process named x'), logger, 'DescribeProcess');
  assert.equal(known.code, status.NOT_FOUND);
  assert.equal(known.details, 'no process named x');
  assert.deepEqual(known.metadata?.get('statevisor-error-code'), ['E_NOT_FOUND']);

  const bug = toServiceError(new TypeError('secret internals'), logger, 'DescribeProcess');
  assert.equal(bug.code, status.INTERNAL);
  assert.equal(bug.details, 'internal error in DescribeProcess');
  assert.equal(logger.records.length, 1);
  assert.match(String((logger.records[0]!.fields.err as Error).stack), /secret internals/);
});

/** Calls a guarded unary handler with `callback`; the guard's work is promise jobs, all done by the next macrotask. */
async function callGuarded(handle: (request: Record<string, unknown>) => unknown, callback: (error: Partial<ServiceError> | null) => void) {
  const logger = recordingLogger();
  const answers: (Partial<ServiceError> | null)[] = [];
  const handler = guardedUnary('GetStatus', { logger, shuttingDown: () => false }, handle);
  handler({ request: {} } as never, ((error: Partial<ServiceError> | null) => {
    answers.push(error);
    callback(error);
  }) as never);
  await new Promise((resolve) => setImmediate(resolve));
  return { answers, logger };
}

test('a callback that throws while answering is retried once with a plain INTERNAL, and the failure is logged', async () => {
  let calls = 0;
  const { answers, logger } = await callGuarded(
    () => Promise.reject(new StatevisorError('E_NOT_FOUND', 'no such process')),
    () => {
      calls += 1;
      if (calls === 1) throw new URIError('URI malformed');
    },
  );
  assert.deepEqual(answers.map((a) => a?.code), [status.NOT_FOUND, status.INTERNAL]);
  assert.equal(answers[1]?.details, 'internal error in GetStatus');
  assert.match(String(logger.records[0]?.message), /sending the answer failed/);
});

test('a callback that throws on the retry too is logged, not thrown', async () => {
  const { answers, logger } = await callGuarded(
    () => {
      throw new StatevisorError('E_NOT_FOUND', 'no such process');
    },
    () => {
      throw new URIError('URI malformed');
    },
  );
  assert.equal(answers.length, 2);
  assert.deepEqual(logger.records.map((r) => r.message), ['sending the answer failed; answering INTERNAL instead', 'sending INTERNAL failed too']);
});
