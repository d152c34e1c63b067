/**
 * Socket activation across daemon restarts, with the real binary: sockets are bound again when
 * a process is restored, before it runs; after a kill -9 of the daemon, the adopted survivor
 * keeps the socket it inherited, and the next run gets a freshly bound one.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createClient, type StatevisorClient } from '../../src/client/index.js';
import { startDaemonBinary, type SpawnedDaemon, untilAnswering } from '../helpers/daemon-binary.js';
import { killMarked, newMarker, waitUntil } from '../helpers/leaks.js';

const server = "require('node:net').createServer((c) => c.end(String(process.pid))).listen({ fd: 3 })";

function answer(target: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect({ path: target });
    let text = '';
    socket.on('data', (chunk) => (text += chunk.toString()));
    socket.once('end', () => resolve(text));
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(`error ${error.code}`));
  });
}

function rig(t: { after(fn: () => void): void }) {
  const marker = newMarker();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'statevisor-sockets-'));
  const socket = path.join(dir, 'statevisor.sock');
  const daemons: SpawnedDaemon[] = [];
  const clients: StatevisorClient[] = [];
  t.after(() => {
    for (const c of clients) c.close();
    for (const d of daemons) d.child.kill('SIGKILL');
    killMarked(marker);
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    dir,
    marker,
    async start() {
      const daemon = startDaemonBinary(['--socket', socket, '--state-dir', path.join(dir, 'state'), '--log-level', 'warn']);
      daemons.push(daemon);
      const client = createClient({ socket });
      clients.push(client);
      await untilAnswering(daemon, client);
      return { daemon, client };
    },
  };
}

async function runningPid(client: StatevisorClient, other = 0): Promise<number> {
  let pid = 0;
  await waitUntil('web runs', async () => {
    const view = (await client.describeProcess('web')).process;
    pid = view.pid;
    return view.state === 'RUNNING' && pid > 0 && pid !== other;
  }, { timeoutMs: 30_000 });
  return pid;
}

test('a daemon restart closes the sockets and the next daemon binds them again at restore, before any run', { timeout: 120_000 }, async (t) => {
  const r = rig(t);
  const unix = path.join(r.dir, 'web.sock');
  const first = await r.start();
  await first.client.createProcess({ name: 'web', command: process.execPath, args: ['-e', server, r.marker], sockets: [{ listen: unix }] });
  assert.ok(existsSync(unix));
  first.daemon.child.kill('SIGTERM');
  await first.daemon.exited;
  assert.equal(existsSync(unix), false, 'the daemon that stopped removed its socket file');

  const second = await r.start();
  await waitUntil('the restored socket is bound', () => existsSync(unix));
  const early = answer(unix);
  await second.client.startProcess('web');
  assert.equal(await early, String(await runningPid(second.client)), 'a client of the restored socket is answered by the first run');
  second.daemon.child.kill('SIGTERM');
  await second.daemon.exited;
});

test('after kill -9 of the daemon the adopted run keeps serving on its inherited socket; a restart binds a fresh one', { timeout: 120_000 }, async (t) => {
  const r = rig(t);
  const unix = path.join(r.dir, 'web.sock');
  const first = await r.start();
  await first.client.createProcess({ name: 'web', command: process.execPath, args: ['-e', server, r.marker], sockets: [{ listen: unix }] }, { start: true });
  const pid = await runningPid(first.client);
  assert.equal(await answer(unix), String(pid));
  first.daemon.child.kill('SIGKILL');
  await first.daemon.exited;

  const second = await r.start();
  assert.equal(await runningPid(second.client), pid, 'adopted, not started again');
  assert.equal(await answer(unix), String(pid), 'the survivor still holds the socket and answers');
  assert.match(second.daemon.output(), /another program listens on it.*sockets not bound at restore: bound at the next start/);
  await second.client.restartProcess('web');
  const next = await runningPid(second.client, pid);
  assert.equal(await answer(unix), String(next), 'the next run got the socket bound again');
  second.daemon.child.kill('SIGTERM');
  await second.daemon.exited;
});
