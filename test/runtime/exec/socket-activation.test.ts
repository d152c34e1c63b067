/**
 * The runtime half of socket activation, against the kernel: sockets held without accepting,
 * a pending connection seen without taking it, and what Node's own API does not do.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { bindSockets, untilConnection, type HeldSocket } from '../../../src/runtime/exec/socket-activation.js';
import { wrapCommand } from '../../../src/runtime/resources/join-wrapper.js';

function tempDir(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'statevisor-sockets-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Connects; resolves with what the server wrote before closing, or the error's code. */
function ask(target: { host: string; port: number } | { path: string }) {
  const socket = net.connect(target);
  let text = '';
  const connected = new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  const result = new Promise<string>((resolve) => {
    socket.on('data', (chunk) => (text += chunk.toString()));
    socket.once('end', () => resolve(text));
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(`error ${error.code}`));
  });
  return { connected, result, socket };
}

async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** A child that accepts one connection on fd 3 and answers with its pid. */
async function answerOnce(held: HeldSocket): Promise<number> {
  const script = "require('net').createServer((c) => { c.end(String(process.pid)); process.exit(0); }).listen({ fd: 3 })";
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'ignore', 'inherit', held.fd] });
  await once(child, 'exit');
  return child.pid!;
}

test("Node's readStop() does not stop a listening server from accepting: why the daemon never listens itself", { timeout: 30_000 }, async (t) => {
  let accepted = 0;
  const server = net.createServer((connection) => {
    accepted += 1;
    connection.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => server.close());
  const handle = (server as unknown as { _handle: { readStop(): number } })._handle;
  assert.equal(handle.readStop(), 0, 'readStop "succeeds"');
  const { port } = server.address() as net.AddressInfo;
  await ask({ host: '127.0.0.1', port }).result;
  assert.equal(accepted, 1, 'and the server accepted anyway (uv_read_stop is a no-op on a listening stream)');
});

for (const family of ['tcp', 'unix'] as const) {
  test(`${family}: a held socket queues a connection and accepts none; the child given its fd accepts that very connection`, { timeout: 30_000 }, async (t) => {
    const listen = family === 'tcp' ? `127.0.0.1:${await freePort()}` : path.join(tempDir(t), 'a.sock');
    const [held] = await bindSockets([{ listen, name: 'a' }]);
    t.after(() => held!.close());
    const target = family === 'tcp' ? { host: '127.0.0.1', port: Number(listen.split(':')[1]) } : { path: listen };
    const early = ask(target);
    await early.connected;
    // Nobody accepted it: it is still waiting when the child comes.
    const pid = await answerOnce(held!);
    assert.equal(await early.result, String(pid));
  });

  test(`${family}: untilConnection resolves when a client waits, without taking the connection; an abort ends the watch`, { timeout: 30_000 }, async (t) => {
    const listen = family === 'tcp' ? `127.0.0.1:${await freePort()}` : path.join(tempDir(t), 'b.sock');
    const [held] = await bindSockets([{ listen, name: 'b' }]);
    t.after(() => held!.close());
    const target = family === 'tcp' ? { host: '127.0.0.1', port: Number(listen.split(':')[1]) } : { path: listen };

    const stop = new AbortController();
    const cancelled = untilConnection([held!], stop.signal);
    stop.abort(new Error('stopped'));
    await assert.rejects(cancelled, /stopped/);

    let seen = false;
    const waiting = untilConnection([held!], new AbortController().signal).then(() => (seen = true));
    const client = ask(target);
    await waiting;
    assert.ok(seen);
    const pid = await answerOnce(held!);
    assert.equal(await client.result, String(pid), 'the connection that woke the watch is the one the program accepts');
  });
}

test("an address in use is refused at bind (libuv's delayed EADDRINUSE), not listened on at a random port", { timeout: 30_000 }, async (t) => {
  const foreign = net.createServer();
  await new Promise<void>((resolve) => foreign.listen(0, '127.0.0.1', resolve));
  t.after(() => foreign.close());
  const { port } = foreign.address() as net.AddressInfo;
  await assert.rejects(bindSockets([{ listen: `127.0.0.1:${port}`, name: 'x' }]), /cannot bind 127\.0\.0\.1:\d+: EADDRINUSE/);
});

test('a stale unix socket file is replaced; a live socket or another file at the path is refused; close removes the file', { timeout: 30_000 }, async (t) => {
  const dir = tempDir(t);
  const live = path.join(dir, 'live.sock');
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(live, resolve));
  t.after(() => server.close());
  await assert.rejects(bindSockets([{ listen: live, name: 'l' }]), /another program listens on it/);

  // What a listener killed with -9 leaves: a socket file nobody listens on.
  const stale = path.join(dir, 'stale.sock');
  const crash = spawn(process.execPath, ['-e', `require('net').createServer().listen(${JSON.stringify(stale)}, () => process.kill(process.pid, 'SIGKILL'))`]);
  await once(crash, 'exit');
  assert.ok(existsSync(stale), 'the crashed listener left its file');
  const [rebound] = await bindSockets([{ listen: stale, name: 's' }]);
  await ask({ path: stale }).connected;
  rebound!.close();
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(existsSync(stale), false, 'close removed the file the daemon created');

  const regular = path.join(dir, 'regular');
  writeFileSync(regular, 'data');
  await assert.rejects(bindSockets([{ listen: regular, name: 'r' }]), /the path exists and is not a socket/);
  assert.ok(existsSync(regular), 'a file that is not a socket is never removed');
});

test('all or nothing: when one socket cannot be bound, those bound before it are closed', { timeout: 30_000 }, async (t) => {
  const dir = tempDir(t);
  const first = path.join(dir, 'first.sock');
  const regular = path.join(dir, 'regular');
  writeFileSync(regular, '');
  await assert.rejects(bindSockets([{ listen: first, name: 'a' }, { listen: regular, name: 'b' }]));
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(existsSync(first), false);
});

test('the launch shell exports LISTEN_PID as its own pid, which exec keeps', { timeout: 30_000 }, async () => {
  const { command, args } = wrapCommand('/bin/sh', ['-c', 'echo "$LISTEN_PID $$"'], { cgroupProcsFiles: [], listenPid: true });
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (chunk) => (out += chunk));
  await once(child, 'close');
  assert.equal(out.trim(), `${child.pid} ${child.pid}`);
  assert.ok(!wrapCommand('/bin/true', [], { cgroupProcsFiles: [] }).args[1]!.includes('LISTEN_PID'), 'only when asked');
});

test('a socket that cannot be had at a start fails the start, named once', { timeout: 30_000 }, async () => {
  const { ExecSyncer } = await import('../../../src/runtime/exec/exec-syncer.js');
  const { validateSpec } = await import('../../../src/spec/index.js');
  const syncer = new ExecSyncer({
    output: { prepare: async () => ({}), flush: async () => undefined },
    stateDir: '/nonexistent',
    onExit: () => undefined,
    now: () => Date.now(),
    baseEnv: {},
    activation: {
      socketsFor: async () => {
        throw new Error('cannot bind 127.0.0.1:8080: EADDRINUSE');
      },
    },
  });
  const spec = validateSpec({ name: 'web', command: '/bin/true', sockets: [{ listen: '127.0.0.1:8080' }] });
  await assert.rejects(
    syncer.syncProcess({ id: 'web-id', updateType: 'create', signal: new AbortController().signal }, spec),
    (error: Error & { code?: string }) => error.code === 'E_START_FAILED' && error.message === "cannot start 'web': sockets: cannot bind 127.0.0.1:8080: EADDRINUSE",
  );
});
