/** The --http endpoint on a real loopback socket: a failing route or a bad request never ends the daemon. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { listenHttp } from '../../src/server/http/http-endpoint.js';
import { router, sendJson, type Route } from '../../src/server/http/router.js';
import { recordingLogger } from '../helpers/recording-logger.js';

/** One raw HTTP/1.1 exchange: what the server answered, as text. */
function raw(address: string, request: string): Promise<string> {
  const at = address.lastIndexOf(':');
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(address.slice(at + 1)), address.slice(0, at));
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk.toString()));
    socket.on('end', () => resolve(answer));
    socket.on('error', reject);
    socket.end(request);
  });
}

const healthz: Route = { method: 'GET', path: '/healthz', handle: ({ response }) => sendJson(response, 200, { status: 'serving' }) };

test('a route that throws, or rejects with something that is not an Error, gets a 500 without internals; the endpoint keeps serving', async (t) => {
  const logger = recordingLogger();
  const routes = router([
    healthz,
    { method: 'GET', path: '/metrics', handle: () => Promise.reject(null) },
    {
      method: 'GET',
      path: '/',
      handle: () => {
        throw new TypeError('secret internals');
      },
    },
  ]);
  const endpoint = await listenHttp('127.0.0.1:0', () => routes, logger);
  t.after(() => endpoint.close());
  const base = `http://${endpoint.address}`;

  const page = await fetch(`${base}/`);
  assert.equal(page.status, 500);
  assert.equal(await page.text(), 'internal error\n');
  const metrics = await fetch(`${base}/metrics`);
  assert.equal(metrics.status, 500);
  assert.equal(await metrics.text(), 'internal error\n');
  assert.deepEqual(logger.records.map((r) => [r.level, r.fields.path]), [['error', '/'], ['error', '/metrics']]);
  assert.equal((await fetch(`${base}/healthz`)).status, 200);
});

test('a request target that is not a URL gets 400', async (t) => {
  const endpoint = await listenHttp('127.0.0.1:0', () => router([healthz]), recordingLogger());
  t.after(() => endpoint.close());
  const answer = await raw(endpoint.address, 'GET http://[ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
  assert.match(answer, /^HTTP\/1\.1 400 /);
  assert.equal((await fetch(`http://${endpoint.address}/healthz`)).status, 200);
});

test('routes: an unknown path is a 404, a known path with another method a 405 naming the allowed ones, a bad escape a 400', async (t) => {
  const seen: Record<string, string>[] = [];
  const routes = router([
    healthz,
    { method: 'POST', path: '/api/processes/:name/:action', handle: ({ response, params }) => (seen.push(params), sendJson(response, 200, {})) },
  ]);
  const endpoint = await listenHttp('127.0.0.1:0', () => routes, recordingLogger());
  t.after(() => endpoint.close());
  const base = `http://${endpoint.address}`;
  assert.equal((await fetch(`${base}/nope`)).status, 404);
  const wrong = await fetch(`${base}/healthz`, { method: 'POST' });
  assert.equal(wrong.status, 405);
  assert.equal(wrong.headers.get('allow'), 'GET, HEAD');
  assert.equal((await fetch(`${base}/api/processes/a%20b/start`, { method: 'POST' })).status, 200);
  assert.deepEqual(seen, [{ name: 'a b', action: 'start' }]);
  assert.equal((await fetch(`${base}/api/processes/%E0%A4%A/start`, { method: 'POST' })).status, 400);
  assert.equal((await fetch(`${base}/api/processes//start`, { method: 'POST' })).status, 404, 'an empty segment names nothing');
});
