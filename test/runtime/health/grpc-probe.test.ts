import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { once } from 'node:events';
import { Server, ServerCredentials } from '@grpc/grpc-js';
import { HealthImplementation } from 'grpc-health-check';
import { runProbe } from '../../../src/runtime/health/index.js';
import { waitUntil } from '../../helpers/leaks.js';
import { checkSpec, closedPort, probeContext, settlesWithin } from './probe-fixtures.js';

describe('grpc probe', () => {
  let server: Server;
  let port: number;

  before(async () => {
    server = new Server();
    new HealthImplementation({ '': 'SERVING', 'shop.Cart': 'SERVING', 'shop.Billing': 'NOT_SERVING', 'shop.Search': 'UNKNOWN' }).addToServer(server);
    port = await new Promise<number>((resolve, reject) =>
      server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
    );
  });

  after(() => {
    server.forceShutdown();
  });

  test('SERVING is healthy, for the server and for a named service', async () => {
    assert.deepEqual(await runProbe(checkSpec({ type: 'grpc', port }), probeContext()), { healthy: true, message: 'grpc SERVING' });
    assert.deepEqual(await runProbe(checkSpec({ type: 'grpc', port, service: 'shop.Cart' }), probeContext()), {
      healthy: true,
      message: 'grpc SERVING',
    });
  });

  test('each probe closes its channel: no connection stays open', async (t) => {
    // A TCP relay in front of the server counts the probe's connections.
    const open = new Set<net.Socket>();
    const relay = net.createServer((inbound) => {
      open.add(inbound);
      const outbound = net.connect(port, '127.0.0.1');
      inbound.pipe(outbound).pipe(inbound);
      const close = (): void => {
        open.delete(inbound);
        inbound.destroy();
        outbound.destroy();
      };
      inbound.on('error', close).once('close', close);
      outbound.on('error', close).once('close', close);
    });
    relay.listen(0, '127.0.0.1');
    await once(relay, 'listening');
    t.after(() => {
      for (const socket of open) socket.destroy();
      relay.close();
    });
    const relayPort = (relay.address() as net.AddressInfo).port;
    for (let i = 0; i < 3; i += 1) {
      const result = await runProbe(checkSpec({ type: 'grpc', port: relayPort }), probeContext());
      assert.deepEqual(result, { healthy: true, message: 'grpc SERVING' });
    }
    await waitUntil('every probe connection is closed', () => open.size === 0);
  });

  test('NOT_SERVING and UNKNOWN are unhealthy', async () => {
    assert.deepEqual(await runProbe(checkSpec({ type: 'grpc', port, service: 'shop.Billing' }), probeContext()), {
      healthy: false,
      message: 'grpc NOT_SERVING',
    });
    assert.deepEqual(await runProbe(checkSpec({ type: 'grpc', port, service: 'shop.Search' }), probeContext()), {
      healthy: false,
      message: 'grpc UNKNOWN',
    });
  });

  test('an unknown service is unhealthy: NOT_FOUND', async () => {
    const result = await runProbe(checkSpec({ type: 'grpc', port, service: 'shop.Nope' }), probeContext());
    assert.equal(result.healthy, false);
    assert.match(result.message, /^grpc NOT_FOUND/);
  });

  test('nothing listening is unhealthy: UNAVAILABLE', async () => {
    const port = await closedPort();
    const result = await settlesWithin(runProbe(checkSpec({ type: 'grpc', port: port }), probeContext()));
    assert.equal(result.healthy, false);
    assert.match(result.message, /^grpc UNAVAILABLE/);
  });

  test('a server without the health service is unhealthy: UNIMPLEMENTED', async (t) => {
    const bare = new Server();
    t.after(() => bare.forceShutdown());
    const barePort = await new Promise<number>((resolve, reject) =>
      bare.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
    );
    const result = await runProbe(checkSpec({ type: 'grpc', port: barePort }), probeContext());
    assert.equal(result.healthy, false);
    assert.match(result.message, /^grpc UNIMPLEMENTED/);
  });

  test('a server that never answers times out unhealthy', async (t) => {
    // Accepts TCP and says nothing: the HTTP/2 handshake never completes.
    const silent = net.createServer((socket) => socket.resume());
    const sockets = new Set<net.Socket>();
    silent.on('connection', (socket) => {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
    });
    silent.listen(0, '127.0.0.1');
    await once(silent, 'listening');
    t.after(() => {
      for (const socket of sockets) socket.destroy();
      silent.close();
    });
    const silentPort = (silent.address() as net.AddressInfo).port;
    const result = await settlesWithin(runProbe(checkSpec({ type: 'grpc', port: silentPort }), probeContext(200)));
    assert.deepEqual(result, { healthy: false, message: 'timed out after 200 ms' });
    await waitUntil('the probe connection is closed', () => sockets.size === 0);
  });

  test('aborting mid-call rejects with AbortError', async (t) => {
    const silent = net.createServer((socket) => socket.resume());
    const sockets = new Set<net.Socket>();
    let onConnection!: () => void;
    const connected = new Promise<void>((resolve) => (onConnection = resolve));
    silent.on('connection', (socket) => {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
      onConnection();
    });
    silent.listen(0, '127.0.0.1');
    await once(silent, 'listening');
    t.after(() => {
      for (const socket of sockets) socket.destroy();
      silent.close();
    });
    const controller = new AbortController();
    const probe = runProbe(checkSpec({ type: 'grpc', port: (silent.address() as net.AddressInfo).port }), probeContext(60_000, controller.signal));
    await settlesWithin(connected);
    controller.abort();
    await assert.rejects(settlesWithin(probe), { name: 'AbortError' });
    await waitUntil('the probe connection is closed', () => sockets.size === 0);
  });
});
