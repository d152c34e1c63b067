/**
 * The TCP listener's flags, checked before the daemon opens anything: which combinations are
 * refused, and a wrong certificate file named by its flag and its path.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describeTcpAuth, tcpAuthOf, type TcpAuthOptions } from '../../src/server/grpc/tcp-auth.js';
import { outOfDate, readCertificates } from '../../src/server/grpc/tls-certificates.js';
import { needsOpenssl, pkiForSuite } from '../helpers/certificates.js';

function refused(options: TcpAuthOptions, message: RegExp): void {
  assert.throws(() => tcpAuthOf(options), (error: Error & { code?: string }) => {
    assert.equal(error.code, 'E_INVALID_ARGUMENT');
    assert.match(error.message, message);
    return true;
  });
}

test('which flags go together', () => {
  const files = { cert: '/x/server.pem', key: '/x/server.key', clientCa: '/x/ca.pem' };
  assert.equal(tcpAuthOf({}), undefined, 'no --tcp, no TCP listener');
  refused({ tls: files }, /^--tls-cert, --tls-key, --tls-client-ca go with --tcp: the Unix socket is guarded by its file mode$/);
  refused({ token: 't', tls: { clientCa: files.clientCa } }, /^--tls-client-ca go with --tcp/);
  refused({ tcp: '127.0.0.1:0', tls: { clientCa: files.clientCa } }, /^--tls-client-ca needs --tls-cert and --tls-key/);
  refused({ tcp: '127.0.0.1:0', tls: { cert: files.cert, clientCa: files.clientCa } }, /^--tls-client-ca needs --tls-cert and --tls-key/);
  refused({ tcp: '127.0.0.1:0', token: 't', tls: { cert: files.cert } }, /^--tls-cert needs --tls-key/);
  refused({ tcp: '127.0.0.1:0', token: 't', tls: { key: files.key } }, /^--tls-key needs --tls-cert/);
  refused({ tcp: '127.0.0.1:0' }, /^--tcp needs --token-file or --tls-client-ca \(or both\)/);
  // Server TLS proves the daemon to the client, not the client to the daemon.
  refused({ tcp: '127.0.0.1:0', tls: { cert: files.cert, key: files.key } }, /^--tcp needs --token-file or --tls-client-ca/);
  const tokenOnly = tcpAuthOf({ tcp: '127.0.0.1:0', token: 't' });
  assert.deepEqual(tokenOnly, { token: 't' });
  assert.equal(describeTcpAuth(tokenOnly!), 'a bearer token over plaintext TCP');
});

describe('certificate files', { skip: needsOpenssl }, () => {
  const pki = pkiForSuite();

  const tcp = '127.0.0.1:0';

  test('a missing or unreadable file is named by its flag, with the reason', () => {
    const missing = path.join(pki.dir, 'missing.pem');
    refused({ tcp, token: 't', tls: { cert: missing, key: pki.server.key } }, new RegExp(`^--tls-cert: cannot read ${missing}: ENOENT`));
    const directory = path.join(pki.dir, 'a-directory');
    mkdirSync(directory);
    refused({ tcp, token: 't', tls: { cert: pki.server.cert, key: directory } }, new RegExp(`^--tls-key: cannot read ${directory}: EISDIR`));
    refused({ tcp, tls: { cert: pki.server.cert, key: pki.server.key, clientCa: missing } }, /^--tls-client-ca: cannot read .*missing\.pem: ENOENT/);
  });

  test('a file that holds no certificate or key is named by its flag', () => {
    const garbage = path.join(pki.dir, 'garbage.pem');
    writeFileSync(garbage, 'not PEM at all\n');
    refused({ tcp, token: 't', tls: { cert: garbage, key: pki.server.key } }, /^--tls-cert: .*garbage\.pem holds no PEM certificate/);
    refused({ tcp, token: 't', tls: { cert: pki.server.cert, key: garbage } }, /^--tls-key: .*garbage\.pem holds no usable private key/);
    refused({ tcp, tls: { cert: pki.server.cert, key: pki.server.key, clientCa: garbage } }, /^--tls-client-ca: .*garbage\.pem holds no PEM certificate/);
    // A key where the certificate should be, and the other way round.
    refused({ tcp, token: 't', tls: { cert: pki.server.key, key: pki.server.cert } }, /^--tls-cert: .*server\.key holds no PEM certificate/);
  });

  test("a key that is not the certificate's is refused, naming both files", () => {
    refused(
      { tcp, token: 't', tls: { cert: pki.server.cert, key: pki.client.key } },
      /^--tls-key: .*client\.key is not the private key of the certificate in .*server\.pem \(--tls-cert\)$/,
    );
  });

  test('the right files: what the listener demands, in words', () => {
    const tls = { cert: pki.server.cert, key: pki.server.key };
    assert.match(describeTcpAuth(tcpAuthOf({ tcp, token: 't', tls })!), /^TLS \(serving CN=localhost, serial 02, valid until 20\d\d-.*\) and a bearer token$/);
    assert.match(
      describeTcpAuth(tcpAuthOf({ tcp, tls: { ...tls, clientCa: pki.ca } })!),
      /^mTLS \(serving CN=localhost, .*\): a client certificate signed by O=statevisor tests, CN=test CA$/,
    );
  });

  test('a certificate out of date is named with its dates (served all the same)', () => {
    assert.equal(outOfDate(readCertificates(pki.server)), undefined);
    const expired = readCertificates(pki.expiredClient);
    assert.equal(outOfDate(expired), 'the certificate in --tls-cert expired on 2020-01-31T00:00:00.000Z: clients will refuse it');
    assert.equal(
      outOfDate(expired, new Date('2019-12-31T00:00:00Z')),
      'the certificate in --tls-cert is not valid before 2020-01-01T00:00:00.000Z: clients will refuse it until then',
    );
    assert.equal(outOfDate(expired, new Date('2020-01-15T00:00:00Z')), undefined, 'inside its dates');
  });
});
