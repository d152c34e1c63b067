import { after, before, describe, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { once } from 'node:events';
import type { AddressInfo, Socket } from 'node:net';
import { waitUntil } from '../../helpers/leaks.js';
import { runProbe } from '../../../src/runtime/health/index.js';
import { checkSpec, probeContext, settlesWithin } from './probe-fixtures.js';

describe('http probe', () => {
  let server: http.Server;
  let base: string;
  const methods: string[] = [];

  before(async () => {
    server = http.createServer((request, response) => {
      methods.push(request.method ?? '');
      const path = new URL(request.url ?? '/', 'http://x').pathname;
      if (path === '/ok') return void response.end('fine');
      if (path === '/teapot') return void response.writeHead(418).end();
      if (path === '/down') return void response.writeHead(503).end('down');
      if (path === '/redirect') return void response.writeHead(302, { location: 'http://127.0.0.1:1/' }).end();
      if (path === '/endless') {
        response.writeHead(200);
        const chunk = Buffer.alloc(16 * 1024, 'x');
        const write = (): void => {
          if (response.destroyed) return;
          while (response.write(chunk));
          response.once('drain', write);
        };
        return write();
      }
      response.writeHead(404).end();
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(async () => {
    server.closeAllConnections();
    server.close();
    await once(server, 'close');
  });

  test('a 200 is healthy', async () => {
    const result = await runProbe(checkSpec({ type: 'http', url: `${base}/ok` }), probeContext());
    assert.deepEqual(result, { healthy: true, message: 'HTTP 200' });
  });

  test('a 503 is unhealthy and says what was expected', async () => {
    const result = await runProbe(checkSpec({ type: 'http', url: `${base}/down` }), probeContext());
    assert.deepEqual(result, { healthy: false, message: 'HTTP 503 (expected 2xx/3xx)' });
  });

  test('a redirect is not followed and counts as healthy', async () => {
    const result = await runProbe(checkSpec({ type: 'http', url: `${base}/redirect` }), probeContext());
    assert.deepEqual(result, { healthy: true, message: 'HTTP 302' });
  });

  test('expected_status must match exactly', async () => {
    const mismatch = await runProbe(checkSpec({ type: 'http', url: `${base}/ok`, expectedStatus: 204 }), probeContext());
    assert.deepEqual(mismatch, { healthy: false, message: 'HTTP 200 (expected 204)' });
    const match = await runProbe(checkSpec({ type: 'http', url: `${base}/teapot`, expectedStatus: 418 }), probeContext());
    assert.deepEqual(match, { healthy: true, message: 'HTTP 418' });
  });

  test('the method is the one the check names, GET by default', async () => {
    methods.length = 0;
    await runProbe(checkSpec({ type: 'http', url: `${base}/ok` }), probeContext());
    await runProbe(checkSpec({ type: 'http', url: `${base}/ok`, method: 'HEAD' }), probeContext());
    assert.deepEqual(methods, ['GET', 'HEAD']);
  });

  test('an endless body is read only up to a limit', async () => {
    const result = await settlesWithin(runProbe(checkSpec({ type: 'http', url: `${base}/endless` }), probeContext()));
    assert.deepEqual(result, { healthy: true, message: 'HTTP 200' });
  });

  test('a server that never answers times out unhealthy and leaves no open socket', async (t) => {
    const silent = await silentServer(t);
    const probe = runProbe(checkSpec({ type: 'http', url: silent.url }), probeContext(200));
    const result = await settlesWithin(probe);
    assert.deepEqual(result, { healthy: false, message: 'timed out after 200 ms' });
    await waitUntil('the silent server has no connection left', () => silent.connections() === 0);
  });

  test('aborting mid-request rejects with AbortError and closes the socket', async (t) => {
    const silent = await silentServer(t);
    const controller = new AbortController();
    const probe = runProbe(checkSpec({ type: 'http', url: silent.url }), probeContext(60_000, controller.signal));
    await settlesWithin(silent.requested);
    controller.abort();
    await assert.rejects(settlesWithin(probe), { name: 'AbortError' });
    await waitUntil('the silent server has no connection left', () => silent.connections() === 0);
  });

  test('an already aborted signal rejects at once', async () => {
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(runProbe(checkSpec({ type: 'http', url: `${base}/ok` }), probeContext(5_000, controller.signal)), {
      name: 'AbortError',
    });
  });

  test('a bad URL is unhealthy, not a rejection', async () => {
    const bad = await runProbe(checkSpec({ type: 'http', url: 'not a url' }), probeContext());
    assert.equal(bad.healthy, false);
    assert.match(bad.message, /invalid url/i);
    const scheme = await runProbe(checkSpec({ type: 'http', url: 'ftp://127.0.0.1/' }), probeContext());
    assert.deepEqual(scheme, { healthy: false, message: "unsupported URL scheme 'ftp:'" });
  });

  test('connection refused is unhealthy with the reason', async () => {
    const closed = http.createServer();
    closed.listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const port = (closed.address() as AddressInfo).port;
    closed.close();
    await once(closed, 'close');
    const result = await runProbe(checkSpec({ type: 'http', url: `http://127.0.0.1:${port}/` }), probeContext());
    assert.deepEqual(result, { healthy: false, message: `connect ECONNREFUSED 127.0.0.1:${port}` });
  });
});

/** A server that accepts requests and never answers; it counts its open sockets. */
async function silentServer(t: TestContext) {
  const sockets = new Set<Socket>();
  let onRequest!: () => void;
  const requested = new Promise<void>((resolve) => (onRequest = resolve));
  const server = http.createServer(() => onRequest());
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.after(async () => {
    server.closeAllConnections();
    server.close();
    await once(server, 'close');
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, requested, connections: () => sockets.size };
}
