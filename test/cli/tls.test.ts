/**
 * The CLI over TCP with mTLS: `--tls-ca`, `--tls-cert`, `--tls-key` (and `--token-file`), the
 * same from STATEVISOR_* variables with flags winning, errors that name the flag or variable,
 * a refused certificate said in one line, and the daemon's TLS flags refused with the flag named.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { startTestDaemon, type DaemonHarness } from '../helpers/daemon-harness.js';
import { needsOpenssl, pkiForSuite, type Identity } from '../helpers/certificates.js';
import { oneErrorLine, runCli } from './run.js';

const timeout = { timeout: 120_000 };

describe('the CLI over mTLS', { skip: needsOpenssl }, () => {
  const pki = pkiForSuite();
  let h: DaemonHarness;
  let address: string;
  let tokenFile: string;
  before(async () => {
    tokenFile = path.join(pki.dir, 'token');
    writeFileSync(tokenFile, 'cli-token\n', { mode: 0o600 });
    h = await startTestDaemon({ tcp: '127.0.0.1:0', token: 'cli-token', tls: { cert: pki.server.cert, key: pki.server.key, clientCa: pki.ca } });
    address = h.daemon.listeners.find((l) => l.kind === 'tcp')!.address;
    await h.client.createProcess({ name: 'svc', command: 'sh', args: ['-c', `echo said-over-tls; exec sleep ${h.sleepArgs()[0]}`] }, { start: true });
  });
  after(() => h?.close());

  const tlsFlags = (identity: Identity) => ['--tls-ca', pki.ca, '--tls-cert', identity.cert, '--tls-key', identity.key];
  const tlsEnv = (identity: Identity) => ({ STATEVISOR_TLS_CA: pki.ca, STATEVISOR_TLS_CERT: identity.cert, STATEVISOR_TLS_KEY: identity.key });

  test('--addr with --tls-ca, --tls-cert, --tls-key and --token-file: unary calls and a log stream', timeout, async () => {
    const status = await runCli(['status', '--json', '--addr', address, '--token-file', tokenFile, ...tlsFlags(pki.client)]);
    assert.equal(status.code, 0, status.stderr);
    assert.equal((JSON.parse(status.stdout) as { pid: number }).pid, process.pid);
    const logs = await runCli(['--addr', address, '--token-file', tokenFile, ...tlsFlags(pki.client), 'logs', 'svc', '--stdout']);
    assert.equal(logs.code, 0, logs.stderr);
    assert.match(logs.stdout, /said-over-tls/);
    // grpc-js sends an IP as the TLS server name; Node's warning about that is not the user's business.
    assert.equal(logs.stderr, '');
  });

  test('the same from STATEVISOR_ADDR, STATEVISOR_TOKEN_FILE and STATEVISOR_TLS_*; flags win over them', timeout, async () => {
    const env = { STATEVISOR_ADDR: address, STATEVISOR_TOKEN_FILE: tokenFile, ...tlsEnv(pki.client) };
    const fromEnv = await runCli(['ls', '--json'], { env });
    assert.equal(fromEnv.code, 0, fromEnv.stderr);
    assert.deepEqual((JSON.parse(fromEnv.stdout) as { name: string }[]).map((p) => p.name), ['svc']);

    // The variables name another CA's certificate and a dead address; the flags the right ones.
    const wrongEnv = { STATEVISOR_ADDR: '127.0.0.1:1', STATEVISOR_TOKEN_FILE: tokenFile, ...tlsEnv(pki.otherCaClient) };
    const flagsWin = await runCli(['ls', '--addr', address, '--tls-cert', pki.client.cert, '--tls-key', pki.client.key], { env: wrongEnv });
    assert.equal(flagsWin.code, 0, flagsWin.stderr);
    const refusedByEnv = await runCli(['ls', '--addr', address], { env: wrongEnv });
    assert.equal(refusedByEnv.code, 1, 'the variables alone carry the other CA: refused');

    // --socket wins over STATEVISOR_ADDR, and the TCP variables are then left alone.
    const socket = await runCli(['ls', '--socket', h.socket], { env });
    assert.equal(socket.code, 0, socket.stderr);
  });

  test('a refused certificate is one line that says why and what the daemon lets in', timeout, async () => {
    const expired = await runCli(['ls', '--addr', address, '--token-file', tokenFile, ...tlsFlags(pki.expiredClient)]);
    assert.equal(expired.code, 1);
    assert.match(
      oneErrorLine(expired),
      new RegExp(`^statevisor: cannot reach a daemon on address ${address} over TLS \\(.+\\); .*--tls-client-ca lets in only a client certificate .* signed by that CA and not expired$`),
    );
    const none = await runCli(['ls', '--addr', address, '--token-file', tokenFile, '--tls-ca', pki.ca]);
    assert.equal(none.code, 1);
    assert.match(oneErrorLine(none), /over TLS \(tlsv13 alert certificate required\)/);
  });
});

describe('TLS settings the CLI refuses before sending anything', { skip: needsOpenssl }, () => {
  const pki = pkiForSuite();

  async function usageError(args: string[], message: RegExp, env: NodeJS.ProcessEnv = {}): Promise<void> {
    const result = await runCli(args, { env });
    assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
    assert.match(oneErrorLine(result), message);
  }

  test('each error names the flag, or the variable and its flag', timeout, async () => {
    const addr = ['--addr', '127.0.0.1:1'];
    const missing = path.join(pki.dir, 'missing.pem');
    await usageError([...addr, '--tls-cert', missing, '--tls-key', pki.client.key, 'ls'], /^statevisor: --tls-cert: cannot read .*missing\.pem: ENOENT/);
    await usageError([...addr, 'ls'], /^statevisor: STATEVISOR_TLS_CA \(--tls-ca\): cannot read .*missing\.pem: ENOENT/, { STATEVISOR_TLS_CA: missing });
    await usageError([...addr, '--tls-ca', pki.client.key, 'ls'], /^statevisor: --tls-ca: .*client\.key holds no PEM certificate/);
    await usageError([...addr, '--tls-cert', pki.client.cert, 'ls'], /^statevisor: --tls-cert needs --tls-key/);
    await usageError([...addr, '--tls-key', pki.client.key, 'ls'], /^statevisor: --tls-key needs --tls-cert/);
    await usageError(
      [...addr, '--tls-cert', pki.client.cert, '--tls-key', pki.server.key, 'ls'],
      /^statevisor: --tls-key: .*server\.key is not the private key of the certificate in .*client\.pem \(--tls-cert\)$/,
    );
    const open = path.join(pki.dir, 'open-token');
    writeFileSync(open, 'x', { mode: 0o644 });
    await usageError([...addr, 'ls'], /^statevisor: STATEVISOR_TOKEN_FILE \(--token-file\): permissions 0644/, { STATEVISOR_TOKEN_FILE: open });
    await usageError(['--socket', path.join(pki.dir, 'sock'), '--tls-ca', pki.ca, 'ls'], /^statevisor: --tls-ca goes with --addr/);
    await usageError(['--tls-cert', pki.client.cert, '--tls-key', pki.client.key, 'ls'], /^statevisor: --tls-cert, --tls-key go with --addr/);
  });

  test('the daemon refuses TLS flags that do not fit, naming the flag, before it starts', timeout, async () => {
    const base = ['daemon', '--socket', path.join(pki.dir, 'd.sock'), '--state-dir', path.join(pki.dir, 'state')];
    const caOnly = await runCli([...base, '--tcp', '127.0.0.1:0', '--tls-client-ca', pki.ca]);
    assert.equal(caOnly.code, 1);
    assert.match(oneErrorLine(caOnly), /^statevisor: --tls-client-ca needs --tls-cert and --tls-key/);
    const wrongKey = await runCli([...base, '--tcp', '127.0.0.1:0', '--tls-cert', pki.server.cert, '--tls-key', pki.client.key, '--tls-client-ca', pki.ca]);
    assert.equal(wrongKey.code, 1);
    assert.match(oneErrorLine(wrongKey), /^statevisor: --tls-key: .*client\.key is not the private key of the certificate in .*server\.pem/);
    const noTcp = await runCli([...base, '--tls-cert', pki.server.cert, '--tls-key', pki.server.key]);
    assert.equal(noTcp.code, 1);
    assert.match(oneErrorLine(noTcp), /^statevisor: --tls-cert, --tls-key go with --tcp/);
  });
});
