/**
 * The TCP listener's bearer-token check as a client in another language meets it: a raw
 * `authorization` header on grpc.health.v1.Health/Check, and the status and trailer that come back.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import { startTestDaemon } from '../helpers/daemon-harness.js';
import { errorCodeMetadataKey } from '../../src/proto/status-codes.js';

const token = 's3cret-token';
const timeout = { timeout: 60_000 };

type Outcome = { ok: true } | { ok: false; error: grpc.ServiceError };

/** Health/Check of the empty service name (an empty request) with this `authorization` header. */
function check(address: string, authorization: string): Promise<Outcome> {
  const client = new grpc.Client(address, grpc.credentials.createInsecure());
  const metadata = new grpc.Metadata();
  metadata.set('authorization', authorization);
  return new Promise<Outcome>((resolve) => {
    client.makeUnaryRequest(
      '/grpc.health.v1.Health/Check',
      (request: Buffer) => request,
      (response: Buffer) => response,
      Buffer.alloc(0),
      metadata,
      { deadline: Date.now() + 30_000 },
      (error) => resolve(error ? { ok: false, error } : { ok: true }),
    );
  }).finally(() => client.close());
}

async function tcpDaemon(t: { after(fn: () => Promise<void> | void): void }): Promise<string> {
  const h = await startTestDaemon({ tcp: '127.0.0.1:0', token });
  t.after(() => h.close());
  const tcp = h.daemon.listeners.find((l) => l.kind === 'tcp');
  assert.ok(tcp);
  return tcp.address;
}

test('the right token under another scheme than Bearer is refused', timeout, async (t) => {
  const address = await tcpDaemon(t);
  assert.deepEqual(await check(address, `Bearer ${token}`), { ok: true });
  // "Digest " is as long as "Bearer ": only the scheme differs, the token sits where it should.
  const other = await check(address, `Digest ${token}`);
  assert.ok(!other.ok, 'refused');
  assert.equal(other.error.code, grpc.status.UNAUTHENTICATED);
});

test('spaces between Bearer and the token are not part of the token', timeout, async (t) => {
  const address = await tcpDaemon(t);
  assert.deepEqual(await check(address, `Bearer   ${token}`), { ok: true });
});

test('a refused call says why and carries E_UNAUTHENTICATED in its trailer, for clients of any language', timeout, async (t) => {
  const address = await tcpDaemon(t);
  const refused = await check(address, 'Bearer not-the-token');
  assert.ok(!refused.ok, 'refused');
  assert.equal(refused.error.code, grpc.status.UNAUTHENTICATED);
  assert.equal(refused.error.details, 'a valid bearer token is required on the TCP listener');
  assert.deepEqual(refused.error.metadata.get(errorCodeMetadataKey), ['E_UNAUTHENTICATED']);
});
