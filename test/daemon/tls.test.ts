/**
 * mTLS on the TCP listener, against a real daemon and certificates made at test time
 * (helpers/certificates.ts): who is let in, who is refused in the handshake, that every RPC and
 * stream works over it, the token as a second requirement, and certificate rotation by reload.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import tls from 'node:tls';
import { createClient, isUnavailable, RpcError, type StatevisorClient, type TcpClientOptions } from '../../src/client/index.js';
import { startTestDaemon, type DaemonHarness } from '../helpers/daemon-harness.js';
import { needsOpenssl, pkiForSuite, type Identity } from '../helpers/certificates.js';
import { recordingLogger } from '../helpers/recording-logger.js';
import { readUntil } from '../helpers/streams.js';
import { waitUntil } from '../helpers/leaks.js';
import { untilDescribed } from '../helpers/process-waits.js';

const timeout = { timeout: 120_000 };
const pki = pkiForSuite();

function tcpAddress(h: DaemonHarness): string {
  const tcp = h.daemon.listeners.find((l) => l.kind === 'tcp');
  assert.ok(tcp, 'a TCP listener');
  return tcp.address;
}

/** A client over TLS trusting the test CA, with this client identity (or none) and token (or none). */
function tlsClient(address: string, identity: Identity | undefined, token?: string): StatevisorClient {
  const options: TcpClientOptions = {
    address,
    tls: { ca: readFileSync(pki.ca), ...(identity && { cert: readFileSync(identity.cert), key: readFileSync(identity.key) }) },
    ...(token !== undefined && { token }),
    deadlineMs: 20_000,
  };
  const client = createClient(options);
  return client;
}

/** The call's error, which must be one. */
async function refusal(call: Promise<unknown>): Promise<RpcError> {
  const error = await call.then(
    () => assert.fail('the call was let through'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof RpcError, `an RpcError: ${String(error)}`);
  return error;
}

describe('mTLS on the TCP listener', { skip: needsOpenssl }, () => {
  test('with --tls-client-ca, a certificate from that CA is let in: every RPC works, the streams included', timeout, async (t) => {
    const h = await startTestDaemon({ tcp: '127.0.0.1:0', tls: { cert: pki.server.cert, key: pki.server.key, clientCa: pki.ca } });
    t.after(() => h.close());
    const client = tlsClient(tcpAddress(h), pki.client);
    t.after(() => client.close());

    assert.equal(await client.health(), 'SERVING');
    assert.equal((await client.getStatus()).pid, process.pid);
    const events = readUntil(
      (signal) => client.watchEvents('', { signal }),
      (seen) => seen.some((e) => e.type === 'deleted'),
      { what: 'the events up to the delete' },
    );
    const inspected = readUntil((signal) => client.inspect('', { signal }), (items) => items.length > 0, { what: 'one inspection item' });
    const command = ['-c', `echo over-mtls; exec sleep ${h.sleepArgs()[0]}`];
    await client.createProcess({ name: 'svc', command: 'sh', args: command }, { start: true });
    const lines = await readUntil(
      (signal) => client.streamLogs('svc', { follow: true, signal }),
      (seen) => seen.some((l) => l.line === 'over-mtls'),
      { what: 'the line the process printed' },
    );
    assert.ok(lines.length > 0);
    assert.deepEqual((await client.listProcesses()).map((p) => p.name), ['svc']);
    assert.equal((await client.describeProcess('svc')).process.name, 'svc');
    await client.getResourceUsage('svc');
    await client.updateProcess('svc', { description: 'over mTLS' });
    await client.signalProcess('svc', 'CONT');
    assert.equal((await client.restartProcess('svc')).name, 'svc');
    assert.equal((await client.getMachineDefinition({ nameOrId: 'svc' }, { format: 'mermaid' })).text.length > 0, true);
    assert.deepEqual((await client.reloadConfig()).errors, []);
    await client.stopProcess('svc');
    await client.deleteProcess('svc');
    assert.ok((await events).some((e) => e.type === 'deleted'));
    assert.ok((await inspected).length > 0);
  });

  test('a client without a certificate, with one from another CA, or with an expired one is refused in the handshake', timeout, async (t) => {
    const h = await startTestDaemon({ tcp: '127.0.0.1:0', tls: { cert: pki.server.cert, key: pki.server.key, clientCa: pki.ca } });
    t.after(() => h.close());
    const address = tcpAddress(h);
    const cases: [string, Identity | undefined][] = [
      ['no client certificate', undefined],
      ['a certificate from another CA', pki.otherCaClient],
      ['an expired certificate from the right CA', pki.expiredClient],
    ];
    for (const [what, identity] of cases) {
      const client = tlsClient(address, identity);
      try {
        const error = await refusal(client.health());
        assert.ok(isUnavailable(error), `${what}: ${error.message}`);
        // Refused before any handler: the daemon never answered, so no statevisor error code came back.
        assert.equal(error.metadata?.get('statevisor-error-code').length ?? 0, 0, what);
      } finally {
        client.close();
      }
    }
    // The right one, on the same listener, after the refusals.
    const client = tlsClient(address, pki.client);
    t.after(() => client.close());
    assert.equal(await client.health(), 'SERVING');
  });

  test('with --tls-client-ca and --token-file, both must pass', timeout, async (t) => {
    const h = await startTestDaemon({ tcp: '127.0.0.1:0', token: 'both-token', tls: { cert: pki.server.cert, key: pki.server.key, clientCa: pki.ca } });
    t.after(() => h.close());
    const address = tcpAddress(h);
    const certOnly = tlsClient(address, pki.client);
    const tokenOnly = tlsClient(address, undefined, 'both-token');
    const wrongToken = tlsClient(address, pki.client, 'not-the-token');
    const both = tlsClient(address, pki.client, 'both-token');
    t.after(() => [certOnly, tokenOnly, wrongToken, both].forEach((c) => c.close()));
    assert.equal((await refusal(certOnly.health())).code, 'E_UNAUTHENTICATED', 'the certificate without the token');
    assert.equal((await refusal(wrongToken.listProcesses())).code, 'E_UNAUTHENTICATED', 'the certificate with a wrong token');
    assert.ok(isUnavailable(await refusal(tokenOnly.health())), 'the token without a certificate');
    assert.equal(await both.health(), 'SERVING');
    assert.deepEqual(await both.listProcesses(), []);
  });

  test('--tls-cert and --tls-key without a client CA: TLS, and the token is still required', timeout, async (t) => {
    const h = await startTestDaemon({ tcp: '127.0.0.1:0', token: 'tls-token', tls: { cert: pki.server.cert, key: pki.server.key } });
    t.after(() => h.close());
    const address = tcpAddress(h);
    const withToken = tlsClient(address, undefined, 'tls-token');
    const withoutToken = tlsClient(address, undefined);
    const plaintext = createClient({ address, token: 'tls-token', deadlineMs: 20_000 });
    t.after(() => [withToken, withoutToken, plaintext].forEach((c) => c.close()));
    assert.equal(await withToken.health(), 'SERVING');
    assert.equal((await refusal(withoutToken.health())).code, 'E_UNAUTHENTICATED');
    assert.ok(isUnavailable(await refusal(plaintext.health())), 'plaintext gets no answer from a TLS listener');
  });

  test("the daemon's start log says what the TCP listener demands", timeout, async (t) => {
    const logger = recordingLogger();
    const h = await startTestDaemon({ logger, tcp: '127.0.0.1:0', token: 'log-token', tls: { cert: pki.server.cert, key: pki.server.key, clientCa: pki.ca } });
    t.after(() => h.close());
    const line = logger.records.find((r) => r.message === 'listening' && r.fields.kind === 'tcp');
    assert.ok(line, 'a listening line for TCP');
    assert.match(
      String(line.fields.auth),
      /^mTLS \(serving CN=localhost, serial 02, valid until .+\): a client certificate signed by O=statevisor tests, CN=test CA and a bearer token$/,
    );
  });

  test('a served certificate out of date: the daemon starts and supervises, and its log says clients will refuse it', timeout, async (t) => {
    const logger = recordingLogger();
    const h = await startTestDaemon({ logger, tcp: '127.0.0.1:0', tls: { ...pki.expiredClient, clientCa: pki.ca } });
    t.after(() => h.close());
    assert.equal(await h.client.health(), 'SERVING');
    const warning = logger.records.find((r) => r.level === 'warn' && /--tls-cert expired on 2020-01-31/.test(r.message ?? ''));
    assert.ok(warning, `a warning: ${JSON.stringify(logger.records.filter((r) => r.level === 'warn'))}`);
  });
});

/** The certificate a new TLS connection to `address` is served: its serial and subject. */
function servedCertificate(address: string): Promise<{ serial: string; subject: string }> {
  const [host, port] = [address.slice(0, address.lastIndexOf(':')), Number(address.slice(address.lastIndexOf(':') + 1))];
  return new Promise((resolve, reject) => {
    const socket = tls.connect({
      host,
      port,
      ca: readFileSync(pki.ca),
      cert: readFileSync(pki.client.cert),
      key: readFileSync(pki.client.key),
      ALPNProtocols: ['h2'],
      servername: 'localhost',
    });
    socket.once('secureConnect', () => {
      const peer = socket.getPeerCertificate();
      socket.destroy();
      resolve({ serial: peer.serialNumber, subject: String(peer.subject.CN) });
    });
    socket.once('error', reject);
  });
}

describe('reloading the certificates', { skip: needsOpenssl }, () => {
  test('`reload` serves a rotated server certificate to new connections without a restart; bad files keep the old one and say why', timeout, async (t) => {
    // The daemon's files, overwritten in place as a rotation (certbot, cert-manager) does.
    const live = { cert: path.join(pki.dir, 'live.pem'), key: path.join(pki.dir, 'live.key') };
    copyFileSync(pki.server.cert, live.cert);
    copyFileSync(pki.server.key, live.key);
    const h = await startTestDaemon({ tcp: '127.0.0.1:0', tls: { ...live, clientCa: pki.ca } });
    t.after(() => h.close());
    const address = tcpAddress(h);
    const first = await servedCertificate(address);
    assert.equal(first.subject, 'localhost');
    const client = tlsClient(address, pki.client);
    t.after(() => client.close());
    await client.createProcess({ name: 'kept', command: 'sleep', args: h.sleepArgs() }, { start: true });
    const running = await untilDescribed(h, 'kept', 'spawned', (p) => p.pid > 0, { timeoutMs: 30_000, summary: (p) => p.state });

    const rotated = pki.issueServer('rotated');
    copyFileSync(rotated.cert, live.cert);
    copyFileSync(rotated.key, live.key);
    assert.deepEqual((await client.reloadConfig()).errors, []);
    const second = await servedCertificate(address);
    assert.notEqual(second.serial, first.serial);
    assert.equal(second.subject, 'rotated');
    // The connection made before the rotation goes on; supervision never stopped: the same run.
    const after = (await client.describeProcess('kept')).process;
    assert.deepEqual([after.pid, after.runCount], [running.pid, running.runCount]);

    writeFileSync(live.cert, 'not a certificate\n');
    const broken = await client.reloadConfig();
    assert.equal(broken.errors.length, 1);
    assert.match(broken.errors[0]!, /^--tls-cert: .*live\.pem holds no PEM certificate .*; the TCP listener keeps the certificates it had \(CN=rotated, serial/);
    copyFileSync(rotated.cert, live.cert);
    copyFileSync(pki.client.key, live.key);
    assert.match((await client.reloadConfig()).errors[0]!, /^--tls-key: .*live\.key is not the private key of the certificate in .*live\.pem/);
    assert.deepEqual(await servedCertificate(address), second, 'new connections still get the rotated certificate');
    const fresh = tlsClient(address, pki.client);
    t.after(() => fresh.close());
    await waitUntil('a new client is served', async () => (await fresh.health()) === 'SERVING');
  });
});
