import { test } from 'node:test';
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
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
