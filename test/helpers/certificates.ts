/**
 * A small PKI made at test time with Debian's `openssl`, for the TCP listener's mTLS tests: a CA,
 * a server certificate for 127.0.0.1 and localhost (subjectAltName), a client certificate, a
 * client certificate from another CA, and an expired client certificate from the right CA.
 * `openssl x509 -req -days` cannot go into the past and OpenSSL 3.0 has no `-not_after`, so the
 * expired one is signed with `openssl ca -startdate -enddate`, the one command that takes both.
 * P-256 keys: generating them is instant, so a test may make a fresh PKI of its own.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { after, before } from 'node:test';
import { executable } from './requirements.js';

/** The command that installs what these tests need. */
export const opensslInstallCommand = 'apt-get install -y openssl';

/** $OPENSSL, else Debian's /usr/bin/openssl. */
export const opensslPath: string = process.env.OPENSSL || '/usr/bin/openssl';

/** A skip reason for node:test when there is no openssl to make certificates with. */
export const needsOpenssl: string | false = executable(opensslPath)
  ? false
  : `needs openssl to make certificates (none at ${opensslPath}): ${opensslInstallCommand}`;

/** A certificate and its key, as files. */
export interface Identity {
  readonly cert: string;
  readonly key: string;
}

export interface TestPki {
  readonly dir: string;
  /** The CA that signs the server's and the accepted clients' certificates. */
  readonly ca: string;
  readonly server: Identity;
  readonly client: Identity;
  /** Signed by another CA, with a subject like the right one's. */
  readonly otherCaClient: Identity;
  /** Signed by the right CA, valid only in January 2020. */
  readonly expiredClient: Identity;
  /** A new server certificate from the same CA (another serial and subject), for rotation tests. */
  issueServer(name: string): Identity;
}

const extensions = `
[req]
distinguished_name = subject
[subject]
[server]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost, IP:127.0.0.1
[client]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = clientAuth
[ca_ext]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
`;

function caConfig(dir: string): string {
  return `
[ca]
default_ca = test_ca
[test_ca]
database = ${dir}/index.txt
new_certs_dir = ${dir}/issued
serial = ${dir}/serial
default_md = sha256
policy = anything
unique_subject = no
x509_extensions = client
[anything]
commonName = supplied
organizationName = optional
${extensions}`;
}

export function makeTestPki(dir: string): TestPki {
  mkdirSync(path.join(dir, 'issued'), { recursive: true });
  const config = path.join(dir, 'openssl.cnf');
  writeFileSync(config, caConfig(dir));
  writeFileSync(path.join(dir, 'index.txt'), '');
  writeFileSync(path.join(dir, 'serial'), '1000\n');
  const file = (name: string) => path.join(dir, name);
  const openssl = (...args: string[]) => execFileSync(opensslPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const ecKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  let serial = 1;

  const makeCa = (name: string, subject: string) => {
    openssl('req', '-config', config, '-x509', ...ecKey, '-keyout', file(`${name}.key`), '-out', file(`${name}.pem`),
      '-subj', subject, '-days', '2', '-extensions', 'ca_ext');
    return { cert: file(`${name}.pem`), key: file(`${name}.key`) };
  };
  const request = (name: string, subject: string) => {
    openssl('req', '-config', config, '-new', ...ecKey, '-keyout', file(`${name}.key`), '-out', file(`${name}.csr`), '-subj', subject);
  };
  const issue = (name: string, subject: string, ca: Identity, section: 'server' | 'client'): Identity => {
    request(name, subject);
    serial += 1;
    openssl('x509', '-req', '-in', file(`${name}.csr`), '-CA', ca.cert, '-CAkey', ca.key, '-set_serial', String(serial),
      '-days', '2', '-extfile', config, '-extensions', section, '-out', file(`${name}.pem`));
    return { cert: file(`${name}.pem`), key: file(`${name}.key`) };
  };

  const ca = makeCa('ca', '/O=statevisor tests/CN=test CA');
  const other = makeCa('other-ca', '/O=statevisor tests/CN=another CA');
  const server = issue('server', '/CN=localhost', ca, 'server');
  const client = issue('client', '/CN=operator', ca, 'client');
  const otherCaClient = issue('other-ca-client', '/CN=operator', other, 'client');
  request('expired-client', '/CN=operator');
  openssl('ca', '-config', config, '-batch', '-notext', '-cert', ca.cert, '-keyfile', ca.key,
    '-startdate', '20200101000000Z', '-enddate', '20200131000000Z', '-in', file('expired-client.csr'), '-out', file('expired-client.pem'));
  return {
    dir,
    ca: ca.cert,
    server,
    client,
    otherCaClient,
    expiredClient: { cert: file('expired-client.pem'), key: file('expired-client.key') },
    issueServer: (name) => issue(name, `/CN=${name}`, ca, 'server'),
  };
}

/**
 * A PKI of its own for the enclosing suite (or file): made in a temp dir before its tests, removed
 * after them; nothing is made where openssl is missing (the tests are skipped with needsOpenssl).
 * Its fields are read when a test runs, from the PKI made for it.
 */
export function pkiForSuite(): TestPki {
  let made: TestPki | undefined;
  before(() => {
    if (needsOpenssl) return;
    made = makeTestPki(mkdtempSync(path.join(os.tmpdir(), 'statevisor-pki-')));
  });
  after(() => made && rmSync(made.dir, { recursive: true, force: true }));
  return new Proxy({} as TestPki, {
    get(_target, field) {
      if (made === undefined) throw new Error(`no test PKI: ${needsOpenssl || 'read before the suite began'}`);
      return made[field as keyof TestPki];
    },
  });
}
