import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { status, type ServerUnaryCall, type sendUnaryData } from '@grpc/grpc-js';
import { createClient, defaultSocketPath, isNotFound, isUnauthenticated, type StatevisorClient } from '../../src/client/index.js';
import type { DescribeProcessRequest__Output } from '../../src/proto/generated/statevisor/v1/DescribeProcessRequest.js';
import type { DescribeProcessResponse } from '../../src/proto/generated/statevisor/v1/DescribeProcessResponse.js';
import { startFakeDaemon, statusWithCode, wireProcess, type FakeDaemon } from './fake-daemon.js';
import { readUntil } from '../helpers/streams.js';

test('the default socket: $STATEVISOR_SOCKET, then root, then $XDG_RUNTIME_DIR, then ~/.statevisor', () => {
  const home = '/home/ada';
  assert.equal(defaultSocketPath({ env: { STATEVISOR_SOCKET: '/tmp/s.sock', XDG_RUNTIME_DIR: '/run/user/0' }, uid: 0, homedir: home }), '/tmp/s.sock');
  assert.equal(defaultSocketPath({ env: { XDG_RUNTIME_DIR: '/run/user/0' }, uid: 0, homedir: home }), '/run/statevisor/statevisor.sock');
  assert.equal(defaultSocketPath({ env: { XDG_RUNTIME_DIR: '/run/user/1000' }, uid: 1000, homedir: home }), '/run/user/1000/statevisor.sock');
  assert.equal(defaultSocketPath({ env: {}, uid: 1000, homedir: home }), '/home/ada/.statevisor/statevisor.sock');
  const relative = createClient({ socket: 'rel/s.sock' });
  relative.close();
  assert.equal(relative.target, `unix:${path.resolve('rel/s.sock')}`, 'a relative socket is resolved once, at creation');
});

describe('over TCP with a bearer token', () => {
  let daemon: FakeDaemon;

  before(async () => {
    daemon = await startFakeDaemon(
      {
        GetStatus: (call, callback) => {
          if (call.metadata.get('authorization')[0] !== 'Bearer s3cret') return callback(statusWithCode(status.UNAUTHENTICATED, 'bad token', 'E_UNAUTHENTICATED'));
          callback(null, { version: '0.1.0' });
        },
        WatchEvents: (call) => call.end(),
      },
      { tcp: true },
    );
  });

  after(() => daemon.stop());

  test('every call carries `authorization: Bearer <token>`, health checks included', async (t) => {
    // A token read from a file keeps its newline; the header must not.
    const client = createClient({ address: daemon.address!, token: 's3cret\n' });
    t.after(() => client.close());
    const before = daemon.arrivals.length;
    assert.equal((await client.getStatus()).version, '0.1.0');
    assert.deepEqual(await readUntil(client.watchEvents()), [], 'the fake ends the stream at once');
    assert.equal(await client.health(), 'SERVING');
    assert.deepEqual(daemon.arrivals.slice(before), [
      { path: '/statevisor.v1.ProcessManager/GetStatus', authorization: ['Bearer s3cret'] },
      { path: '/statevisor.v1.ProcessManager/WatchEvents', authorization: ['Bearer s3cret'] },
      { path: '/grpc.health.v1.Health/Check', authorization: ['Bearer s3cret'] },
    ]);
  });

  test('without a token no authorization is sent, and the daemon says UNAUTHENTICATED', async (t) => {
    const client = createClient({ address: daemon.address! });
    t.after(() => client.close());
    await assert.rejects(client.getStatus(), isUnauthenticated);
    assert.deepEqual(daemon.arrivals.at(-1), { path: '/statevisor.v1.ProcessManager/GetStatus', authorization: [] });
  });
});

describe('concurrent calls on one client', () => {
  let daemon: FakeDaemon;
  let client: StatevisorClient;
  const calls = 50;
  const held: [ServerUnaryCall<DescribeProcessRequest__Output, DescribeProcessResponse>, sendUnaryData<DescribeProcessResponse>][] = [];

  before(async () => {
    daemon = await startFakeDaemon({
      DescribeProcess: (call, callback) => {
        held.push([call, callback]);
        // Answer only once every call is in, and in reverse order of arrival.
        if (held.length < calls) return;
        for (const [heldCall, heldCallback] of held.reverse()) {
          heldCallback(null, { process: wireProcess({ name: heldCall.request.name_or_id, pid: Number(heldCall.request.name_or_id.slice(2)) }) });
        }
      },
    });
    client = createClient({ socket: daemon.socket });
  });

  after(async () => {
    client.close();
    await daemon.stop();
  });

  test('fifty calls in flight at once each get their own answer', async () => {
    const names = Array.from({ length: calls }, (_, i) => `p-${i}`);
    const descriptions = await Promise.all(names.map((name) => client.describeProcess(name)));
    assert.deepEqual(
      descriptions.map((d) => [d.process.name, d.process.pid]),
      names.map((name, i) => [name, i]),
    );
  });
});

describe('health via grpc.health.v1', () => {
  let daemon: FakeDaemon;
  let client: StatevisorClient;

  before(async () => {
    daemon = await startFakeDaemon({}, { health: { '': 'SERVING', 'statevisor.v1.ProcessManager': 'NOT_SERVING' } });
    client = createClient({ socket: daemon.socket });
  });

  after(async () => {
    client.close();
    await daemon.stop();
  });

  test('the server as a whole, a named service, a status change, an unknown service', async () => {
    assert.equal(await client.health(), 'SERVING');
    assert.equal(await client.health('statevisor.v1.ProcessManager'), 'NOT_SERVING');
    daemon.health.setStatus('statevisor.v1.ProcessManager', 'SERVING');
    assert.equal(await client.health('statevisor.v1.ProcessManager'), 'SERVING');
    await assert.rejects(client.health('no.such.Service'), isNotFound);
  });
});

/** A self-signed certificate for 127.0.0.1, or undefined where openssl is missing. */
async function selfSignedCertificate(dir: string): Promise<{ cert: Buffer; key: Buffer } | undefined> {
  const cert = path.join(dir, 'cert.pem');
  const key = path.join(dir, 'key.pem');
  const result = spawnSync('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
    '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', key, '-out', cert,
  ], { stdio: 'ignore' });
  if (result.status !== 0) return undefined;
  return { cert: await readFile(cert), key: await readFile(key) };
}

test('TLS: the client trusts the given CA', async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'statevisor-tls-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const tls = await selfSignedCertificate(dir);
  if (!tls) return t.skip('openssl is not available');
  const daemon = await startFakeDaemon({ GetStatus: (_call, callback) => callback(null, { version: 'tls' }) }, { tcp: true, tls });
  t.after(() => daemon.stop());
  const client = createClient({ address: daemon.address!, tls: { ca: tls.cert } });
  t.after(() => client.close());
  assert.equal((await client.getStatus()).version, 'tls');
});
