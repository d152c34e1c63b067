import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { once } from 'node:events';
import { runProbe } from '../../../src/runtime/health/index.js';
import { waitUntil } from '../../helpers/leaks.js';
import { checkSpec, closedPort, probeContext } from './probe-fixtures.js';

describe('tcp probe', () => {
  let server: net.Server;
  let port: number;
  const open = new Set<net.Socket>();

  before(async () => {
    server = net.createServer((socket) => {
      open.add(socket);
      socket.once('close', () => open.delete(socket));
      socket.resume();
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    port = (server.address() as net.AddressInfo).port;
  });

  after(async () => {
    for (const socket of open) socket.destroy();
    server.close();
    await once(server, 'close');
  });

  test('a listening port is healthy, and the probe closes its connection', async () => {
    const result = await runProbe(checkSpec({ type: 'tcp', port }), probeContext());
    assert.deepEqual(result, { healthy: true, message: `connected to 127.0.0.1:${port}` });
    await waitUntil('the server saw the connection close', () => open.size === 0);
  });

  test('a refused connection is unhealthy with the reason', async () => {
    const port = await closedPort();
    const result = await runProbe(checkSpec({ type: 'tcp', port: port }), probeContext());
    assert.deepEqual(result, { healthy: false, message: `connect ECONNREFUSED 127.0.0.1:${port}` });
  });

  test('an already aborted signal rejects with AbortError', async () => {
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(runProbe(checkSpec({ type: 'tcp', port }), probeContext(5_000, controller.signal)), {
      name: 'AbortError',
    });
  });
});
