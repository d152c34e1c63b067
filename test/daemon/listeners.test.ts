import { test } from 'node:test';
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import * as grpc from '@grpc/grpc-js';
import { startTestDaemon } from '../helpers/daemon-harness.js';
import { createClient, isUnauthenticated, isUnavailable } from '../../src/client/index.js';
import { startDaemon } from '../../src/server/daemon.js';
import { silentLogger } from '../../src/manager/logger.js';

test('the Unix socket is mode 0600 and serves health and the API', async (t) => {
  const h = await startTestDaemon();
  t.after(() => h.close());
  assert.equal(statSync(h.socket).mode & 0o777, 0o600);
  assert.equal(await h.client.health(), 'SERVING');
  assert.equal((await h.client.getStatus()).listeners[0]?.kind, 'unix');
});

test('TCP without a valid token gets UNAUTHENTICATED, health included; with it, the API works', async (t) => {
  const h = await startTestDaemon({ tcp: '127.0.0.1:0', token: 's3cret-token' });
  t.after(() => h.close());
  const tcp = h.daemon.listeners.find((l) => l.kind === 'tcp');
  assert.ok(tcp);
  const anonymous = createClient({ address: tcp.address });
  const wrong = createClient({ address: tcp.address, token: 'guess' });
  const right = createClient({ address: tcp.address, token: 's3cret-token' });
  t.after(() => {
    anonymous.close();
    wrong.close();
    right.close();
  });
  await assert.rejects(anonymous.listProcesses(), isUnauthenticated);
  await assert.rejects(wrong.listProcesses(), isUnauthenticated);
  await assert.rejects(anonymous.health(), isUnauthenticated);
  assert.deepEqual(await right.listProcesses(), []);
  assert.equal(await right.health(), 'SERVING');
});

/** A raw health check with exactly this `authorization` header (none when undefined): the gRPC status code. */
function healthWithHeader(address: string, header: string | undefined): Promise<number> {
  const client = new grpc.Client(address, grpc.credentials.createInsecure());
  const metadata = new grpc.Metadata();
  if (header !== undefined) metadata.set('authorization', header);
  const bytes = (value: Buffer) => value;
  return new Promise<number>((resolve) => {
    client.makeUnaryRequest('/grpc.health.v1.Health/Check', bytes, bytes, Buffer.alloc(0), metadata, { deadline: Date.now() + 10_000 }, (error) => {
      client.close();
      resolve(error ? error.code : grpc.status.OK);
    });
  });
}

test('the TCP token is compared whole: a prefix, a longer string, a near miss or another scheme is UNAUTHENTICATED', async (t) => {
  // Regression (planted): a prefix compare accepted any prefix of the token, the empty one included.
  const token = 's3cret-token';
  const h = await startTestDaemon({ tcp: '127.0.0.1:0', token });
  t.after(() => h.close());
  const tcp = h.daemon.listeners.find((l) => l.kind === 'tcp');
  assert.ok(tcp);
  const refused: [string, string | undefined][] = [
    ['no header', undefined],
    ['an empty token', 'Bearer '],
    ['a one-character prefix', 'Bearer s'],
    ['all but the last character', `Bearer ${token.slice(0, -1)}`],
    ['the token and one more character', `Bearer ${token}x`],
    ['the token twice', `Bearer ${token}${token}`],
    ['the token, a space and more', `Bearer ${token} ${token}`],
    ['the same length, the last character changed', `Bearer ${token.slice(0, -1)}N`],
    ['the same length, the first character changed', `Bearer S${token.slice(1)}`],
    ['the token in upper case', `Bearer ${token.toUpperCase()}`],
    ['the token without a scheme', token],
    ['another scheme', `Basic ${token}`],
  ];
  for (const [what, header] of refused) {
    assert.equal(await healthWithHeader(tcp.address, header), grpc.status.UNAUTHENTICATED, `${what}: ${JSON.stringify(header)}`);
  }
  assert.equal(await healthWithHeader(tcp.address, `Bearer ${token}`), grpc.status.OK, 'the token itself');
});

test('a daemon refuses --tcp without a token', async () => {
  await assert.rejects(
    startDaemon({ socket: '/tmp/never.sock', stateDir: '/tmp/never', tcp: '127.0.0.1:0', logger: silentLogger }),
    /--tcp needs --token-file/,
  );
});

test('a second daemon on a live socket fails with a clear message; the first keeps serving', async (t) => {
  const h = await startTestDaemon();
  t.after(() => h.close());
  await assert.rejects(
    startDaemon({ socket: h.socket, stateDir: `${h.dir}/other`, logger: silentLogger }),
    (error: unknown) => isUnavailable(error) && /already listening/.test((error as Error).message),
  );
  assert.equal(await h.client.health(), 'SERVING');
});

test('a stale socket file left by a dead daemon is replaced', async (t) => {
  const { mkdtempSync, rmSync, writeFileSync } = await import('node:fs');
  const os = await import('node:os');
  const path = await import('node:path');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'statevisor-stale-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const socket = path.join(dir, 'statevisor.sock');
  writeFileSync(socket, 'left behind by a daemon killed with -9');
  const daemon = await startDaemon({ socket, stateDir: path.join(dir, 'state'), logger: silentLogger });
  const client = createClient({ socket });
  t.after(async () => {
    client.close();
    await daemon.stop();
  });
  assert.equal(await client.health(), 'SERVING');
});
