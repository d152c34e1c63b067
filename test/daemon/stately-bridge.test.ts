/**
 * The Stately bridge (`--inspect-ws`), against a local WebSocket relay standing in for
 * `@statelyai/inspect/server`: on every connection each live actor and its snapshot first, then
 * live events, in the package's own message format; redacted; reconnected after the relay goes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { createInspectorServer } from '@statelyai/inspect/server';
import { WebSocket, WebSocketServer } from 'ws';
import { relayUrl } from '../../src/server/stately-bridge.js';
import { startTestDaemon } from '../helpers/daemon-harness.js';
import { waitUntil } from '../helpers/leaks.js';

interface StatelyMessage {
  type: string;
  name?: string;
  sessionId: string;
  _version?: string;
  definition?: string;
  snapshot?: { value?: unknown; status?: string; context?: unknown };
  event?: { type?: string };
}

/** A relay on `port` (0: any) that keeps every message it receives. */
async function relay(port = 0) {
  const server = new WebSocketServer({ host: '127.0.0.1', port });
  await once(server, 'listening');
  const messages: StatelyMessage[] = [];
  const raw: string[] = [];
  server.on('connection', (socket) => {
    socket.on('message', (data) => {
      raw.push(data.toString());
      messages.push(JSON.parse(data.toString()) as StatelyMessage);
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    messages,
    raw,
    async close() {
      for (const client of server.clients) client.terminate();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A port nothing listens on yet. */
async function freePort(): Promise<number> {
  const probe = await relay();
  await probe.close();
  return probe.port;
}

test('the daemon streams its actor system to a Stately relay: live actors replayed on connect, then events, redacted', async (t) => {
  const port = await freePort();
  const h = await startTestDaemon({ inspectWs: `ws://127.0.0.1:${port}` });
  t.after(() => h.close());
  const web = await h.client.createProcess(
    { name: 'web', command: 'sleep', args: h.sleepArgs(), env: { SESSION_SECRET: 's3-91kq' } },
    { start: true },
  );
  await waitUntil('web runs', async () => (await h.client.describeProcess('web')).process.state === 'RUNNING');
  assert.equal(h.daemon.parts.inspector.observing, false, 'no relay yet: the actor system is not observed');

  // The relay comes up after the daemon: the bridge retries until it connects.
  let first = await relay(port);
  t.after(() => first.close());
  const webActor = () => first.messages.find((m) => m.type === '@xstate.actor' && m.name === 'web');
  await waitUntil('web replayed', () => webActor() !== undefined, { timeoutMs: 30_000 });
  const actors = first.messages.filter((m) => m.type === '@xstate.actor').map((m) => m.name);
  assert.deepEqual(actors.slice(0, 2), ['supervisor', 'web'], 'parents first');
  const session = webActor()!.sessionId;
  const replayed = first.messages.find((m) => m.type === '@xstate.snapshot' && m.sessionId === session)!;
  assert.deepEqual(replayed.snapshot?.value, { syncing: { sync: 'awaitingUpdate', health: 'off' } });
  assert.equal(replayed.event?.type, 'statevisor.replay');
  assert.equal(typeof webActor()!._version, 'string', "in @statelyai/inspect's own format");
  assert.match(webActor()!.definition ?? '', /"id":"process"/, 'with its chart');
  assert.equal(h.daemon.parts.inspector.observing, true);

  await h.client.stopProcess('web');
  await waitUntil('the stop arrives live', () =>
    first.messages.some((m) => m.type === '@xstate.snapshot' && m.sessionId === session && JSON.stringify(m.snapshot?.value) === '"finished"'),
  );
  assert.ok(first.messages.some((m) => m.type === '@xstate.event' && m.sessionId === session && m.event?.type === 'terminate'));
  assert.ok(!first.raw.join('\n').includes('s3-91kq'), 'no secret reaches the relay');
  assert.ok(first.raw.join('\n').includes('"SESSION_SECRET":"[redacted]"'));

  // The relay restarts: the bridge reconnects and replays again.
  await first.close();
  await waitUntil('the bridge sees the relay go', () => h.daemon.parts.inspector.observing === false, { timeoutMs: 30_000 });
  first = await relay(port);
  await waitUntil('web replayed again', () => first.messages.some((m) => m.type === '@xstate.actor' && m.name === 'web'), { timeoutMs: 30_000 });
  const again = first.messages.find((m) => m.type === '@xstate.snapshot' && m.sessionId === session);
  assert.equal(JSON.stringify(again?.snapshot?.value), '"finished"', 'the state as it is now');
  assert.equal(again?.sessionId, session);
  assert.ok(web.id !== '');
});

test("through @statelyai/inspect's own relay, an inspector page's socket receives the daemon's actors", async (t) => {
  const port = await freePort();
  const server = createInspectorServer({ port, autoOpen: false });
  const h = await startTestDaemon({ inspectWs: `ws://127.0.0.1:${port}` });
  // What the relay's page does: connect to it and parse each message (the package's receiver has no close).
  const page = new WebSocket(`ws://127.0.0.1:${port}`);
  t.after(async () => {
    page.terminate();
    await h.close();
    server.stop();
  });
  const received: StatelyMessage[] = [];
  page.on('message', (data) => received.push(JSON.parse(data.toString()) as StatelyMessage));
  await h.client.createProcess({ name: 'api', command: 'sleep', args: h.sleepArgs() }, { start: true });
  await waitUntil('api, as the inspector receives it', () => received.some((m) => m.type === '@xstate.actor' && m.name === 'api'), { timeoutMs: 30_000 });
  await waitUntil('api running', () =>
    received.some((m) => m.type === '@xstate.snapshot' && JSON.stringify(m.snapshot?.value ?? '').includes('syncing')),
  );
});

test('--inspect-ws must be a ws:// or wss:// address', () => {
  assert.equal(relayUrl('wss://relay.example:443'), 'wss://relay.example:443');
  for (const bad of ['http://127.0.0.1:8080', 'ws://', '127.0.0.1:8080']) {
    assert.throws(() => relayUrl(bad), /--inspect-ws: got ".*", expected a relay address like ws:\/\/127\.0\.0\.1:8080/);
  }
});
