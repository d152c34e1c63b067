import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { startTestDaemon } from '../helpers/daemon-harness.js';
import { oneErrorLine, runCli } from './run.js';

test('--addr with --token-file reaches the TCP listener; a wrong token gets the daemon\'s UNAUTHENTICATED message', async (t) => {
  const h = await startTestDaemon({ tcp: '127.0.0.1:0', token: 'the-token' });
  t.after(() => h.close());
  const address = h.daemon.listeners.find((l) => l.kind === 'tcp')!.address;
  const good = path.join(h.dir, 'token');
  // Token files usually end with a newline; it is not part of the token.
  writeFileSync(good, 'the-token\n', { mode: 0o600 });
  const bad = path.join(h.dir, 'wrong-token');
  writeFileSync(bad, 'not-the-token', { mode: 0o600 });

  const status = await runCli(['status', '--json', '--addr', address, '--token-file', good]);
  assert.equal(status.code, 0, status.stderr);
  assert.equal((JSON.parse(status.stdout) as { pid: number }).pid, process.pid);

  const refused = await runCli(['ls', '--addr', address, '--token-file', bad]);
  assert.equal(refused.code, 1);
  assert.equal(oneErrorLine(refused), 'statevisor: a valid bearer token is required on the TCP listener');

  const socketWithToken = await runCli(['ls', '--socket', h.socket, '--token-file', good]);
  assert.equal(socketWithToken.code, 2);
  assert.match(oneErrorLine(socketWithToken), /--token-file goes with --addr/);
});
