import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { status } from '@grpc/grpc-js';
import {
  createClient,
  isAlreadyExists,
  isInvalidArgument,
  isInvalidState,
  isNotFound,
  isUnauthenticated,
  isUnavailable,
  isUnimplemented,
  RpcError,
  StatevisorError,
  type StatevisorClient,
} from '../../src/client/index.js';
import type { ErrorCode } from '../../src/errors.js';
import { startFakeDaemon, statusWithCode, wireProcess, type FakeDaemon } from './fake-daemon.js';

/** What StartProcess answers, keyed by the name asked for. */
const answers: Record<string, [status, string, ErrorCode?]> = {
  missing: [status.NOT_FOUND, 'process "missing" not found', 'E_NOT_FOUND'],
  dup: [status.ALREADY_EXISTS, 'process "dup" already exists', 'E_ALREADY_EXISTS'],
  running: [status.FAILED_PRECONDITION, 'process "running" is already running', 'E_INVALID_STATE'],
  badspec: [status.INVALID_ARGUMENT, 'spec.restart.policy: expected one of no, always, got "sometimes"', 'E_SPEC_INVALID'],
  badarg: [status.INVALID_ARGUMENT, 'signal: unknown signal "SIGFOO"', 'E_INVALID_ARGUMENT'],
  shutting: [status.UNAVAILABLE, 'shutting down', 'E_UNAVAILABLE'],
  noauth: [status.UNAUTHENTICATED, 'missing bearer token', 'E_UNAUTHENTICATED'],
  later: [status.UNIMPLEMENTED, 'not yet', 'E_UNIMPLEMENTED'],
  // The trailer is exact where the status is ambiguous: both are FAILED_PRECONDITION.
  crashed: [status.FAILED_PRECONDITION, 'exited within min_uptime', 'E_START_FAILED'],
  // The trailer wins over a status that disagrees.
  disagree: [status.UNKNOWN, 'no such process', 'E_NOT_FOUND'],
  // Another server (a proxy) that sends no trailer: the status decides.
  bare: [status.FAILED_PRECONDITION, 'not now'],
};

const helpers = { isNotFound, isAlreadyExists, isInvalidState, isInvalidArgument, isUnavailable, isUnauthenticated, isUnimplemented };

describe('errors carry the daemon code, message and gRPC status', () => {
  let daemon: FakeDaemon;
  let client: StatevisorClient;

  before(async () => {
    daemon = await startFakeDaemon({
      StartProcess: (call, callback) => {
        const answer = answers[call.request.name_or_id];
        if (!answer) return callback(null, { process: wireProcess() });
        const [code, details, errorCode] = answer;
        return callback(statusWithCode(code, details, errorCode));
      },
      StopProcess: (_call, callback) => {
        const trailer = statusWithCode(status.NOT_FOUND, 'gone');
        trailer.metadata?.set('statevisor-error-code', 'E_FROM_THE_FUTURE');
        return callback(trailer);
      },
    });
    client = createClient({ socket: daemon.socket });
  });

  after(async () => {
    client.close();
    await daemon.stop();
  });

  async function failure(name: string): Promise<RpcError> {
    const error = await client.startProcess(name).then(
      () => assert.fail(`${name} should have failed`),
      (e: unknown) => e,
    );
    assert.ok(error instanceof RpcError, `${name}: an RpcError`);
    assert.ok(error instanceof StatevisorError, `${name}: a StatevisorError`);
    return error;
  }

  const expected: Record<string, keyof typeof helpers | undefined> = {
    missing: 'isNotFound',
    dup: 'isAlreadyExists',
    running: 'isInvalidState',
    badspec: 'isInvalidArgument',
    badarg: 'isInvalidArgument',
    shutting: 'isUnavailable',
    noauth: 'isUnauthenticated',
    later: 'isUnimplemented',
    crashed: undefined,
    disagree: 'isNotFound',
    bare: 'isInvalidState',
  };

  for (const [name, helper] of Object.entries(expected)) {
    test(`${name}: ${helper ?? 'no helper'} and no other`, async () => {
      const error = await failure(name);
      for (const [helperName, check] of Object.entries(helpers)) {
        assert.equal(check(error), helperName === helper, `${helperName}(${error.code})`);
      }
    });
  }

  test('the code comes from the trailer, the message from the details, the status is kept', async () => {
    const error = await failure('crashed');
    assert.equal(error.code, 'E_START_FAILED');
    assert.equal(error.grpcCode, status.FAILED_PRECONDITION);
    assert.equal(error.message, 'exited within min_uptime');
    assert.equal(error.rpc, 'StartProcess');

    const disagree = await failure('disagree');
    assert.equal(disagree.code, 'E_NOT_FOUND');
    assert.equal(disagree.grpcCode, status.UNKNOWN);
  });

  test('without a trailer, or with a code this client does not know, the status decides', async () => {
    const bare = await failure('bare');
    assert.equal(bare.code, 'E_INVALID_STATE');
    const future = await client.stopProcess('x', { noWait: true }).then(
      () => assert.fail('should have failed'),
      (e: unknown) => e,
    );
    assert.ok(future instanceof RpcError);
    assert.equal(future.code, 'E_NOT_FOUND');
  });

  test('a method the daemon does not implement is E_UNIMPLEMENTED', async () => {
    await assert.rejects(client.reloadConfig(), isUnimplemented);
  });

  test('the helpers take anything', () => {
    for (const check of Object.values(helpers)) {
      for (const value of [undefined, null, 'E_NOT_FOUND', 42, new Error('plain'), { code: 5 }]) assert.equal(check(value), false);
    }
    assert.equal(isNotFound(new StatevisorError('E_NOT_FOUND', 'local')), true);
  });
});

test('nothing listening on the socket is E_UNAVAILABLE', async (t) => {
  const daemon = await startFakeDaemon({});
  t.after(() => daemon.stop());
  const client = createClient({ socket: `${daemon.socket}.absent` });
  t.after(() => client.close());
  await assert.rejects(client.getStatus(), isUnavailable);
});

test('a closed client rejects with E_UNAVAILABLE', async (t) => {
  const daemon = await startFakeDaemon({ GetStatus: (_call, callback) => callback(null, {}) });
  t.after(() => daemon.stop());
  const client = createClient({ socket: daemon.socket });
  await client.getStatus();
  client.close();
  await assert.rejects(client.getStatus(), (error: unknown) => isUnavailable(error) && /closed/.test((error as Error).message));
  await assert.rejects(client.watchEvents().next(), isUnavailable);
});

test('bad arguments are rejected before a call is made', async (t) => {
  const client = createClient({ socket: '/nonexistent/statevisor.sock' });
  t.after(() => client.close());
  await assert.rejects(client.startProcess(''), isInvalidArgument);
  await assert.rejects(client.signalProcess('web', ''), isInvalidArgument);
  await assert.rejects(client.streamLogs('web', { tailLines: 1.5 }).next(), isInvalidArgument);
  await assert.rejects(client.stopProcess('web', { gracePeriodMs: -1 }), isInvalidArgument);
  await assert.rejects(client.getStatus({ deadlineMs: 0 }), isInvalidArgument);
  await assert.rejects(client.updateProcess('web', {}), (error: unknown) => isInvalidArgument(error) && /no fields to update/.test((error as Error).message));
  await assert.rejects(client.updateProcess('web', { autoStart: true }, { updateMask: [] }), isInvalidArgument);
  assert.throws(() => createClient({ address: 'no-port' }), isInvalidArgument);
  assert.throws(() => createClient({ socket: '/x', address: 'h:1' } as never), isInvalidArgument);
  assert.throws(() => createClient({ address: 'h:1', token: ' \n' }), isInvalidArgument);
  assert.throws(() => createClient({ address: 'h:1', token: 'tok\u00e9n' }), (error: unknown) => isInvalidArgument(error) && /^token:/.test((error as Error).message));
});
