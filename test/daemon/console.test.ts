/**
 * The web console's API over a real socket, against a real daemon: the table's live feed, a
 * process page's feed (detail, lit chart, log tail), the actions, and who may read and act —
 * on loopback with the same-origin guard, off loopback only with the token's session.
 * (test/browser/console.test.ts drives the same console in Chromium.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { startTestDaemon, type DaemonHarness } from '../helpers/daemon-harness.js';
import { waitUntil } from '../helpers/leaks.js';
import { readUntil } from '../helpers/streams.js';
import { dataOf, sseEvents, type SseEvent } from '../helpers/sse.js';
import type { ChartState, LogLine, ProcessDetail, SessionInfo, TableDelta, TableSnapshot } from '../../src/server/http/console-wire.js';

async function consoleOf(options: { http?: string; token?: string } = {}): Promise<{ h: DaemonHarness; base: string; port: number }> {
  const h = await startTestDaemon({ http: options.http ?? '127.0.0.1:0', ...(options.token !== undefined && { token: options.token }) });
  const listener = (await h.client.getStatus()).listeners.find((l) => l.kind === 'http');
  assert.ok(listener);
  const port = Number(listener.address.slice(listener.address.lastIndexOf(':') + 1));
  // A bind to every interface is reached on loopback here.
  return { h, base: `http://127.0.0.1:${port}`, port };
}

/** What the page sends with an action: the guard header and its own Origin. */
function guarded(base: string, extra: Record<string, string> = {}): Record<string, string> {
  return { 'x-statevisor-csrf': '1', origin: base, 'content-type': 'application/json', ...extra };
}

function post(base: string, path: string, headers: Record<string, string>, body: unknown = {}): Promise<Response> {
  return fetch(`${base}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
}

/** A request with headers fetch will not send as given (Host): what a rebinding page's browser sends. */
function rawStatus(base: string, method: string, path: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.request(`${base}${path}`, { method, headers }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.on('error', reject);
    request.end(method === 'POST' ? '{}' : undefined);
  });
}

const feed = (url: string, headers: Record<string, string> = {}) => (signal: AbortSignal) => sseEvents(url, { signal, headers });

test('the table feed sends every row first, then only the rows that changed, then the processes gone', async (t) => {
  const { h, base } = await consoleOf();
  t.after(() => h.close());
  await h.client.createProcess({ name: 'a', command: 'sleep', args: h.sleepArgs() });
  const b = await h.client.createProcess({ name: 'b', command: 'sleep', args: h.sleepArgs() });
  let acted = false;
  const events = await readUntil(
    feed(`${base}/api/feed`),
    (items) => {
      if (!acted && items.some((e) => e.event === 'snapshot')) {
        acted = true;
        void h.client.startProcess('a').then(() => h.client.deleteProcess('b'));
      }
      const deltas = dataOf<TableDelta>(items, 'rows');
      return deltas.some((d) => d.rows.some((r) => r.name === 'a' && r.state === 'RUNNING')) && deltas.some((d) => d.gone.includes(b.id));
    },
    { what: 'a RUNNING, then b gone' },
  );
  const [snapshot] = dataOf<TableSnapshot>(events, 'snapshot');
  assert.deepEqual(snapshot!.rows.map((r) => [r.name, r.state]).sort(), [['a', 'CREATED'], ['b', 'CREATED']]);
  const deltas = dataOf<TableDelta>(events, 'rows');
  assert.ok(deltas.every((d) => d.rows.every((r) => r.name === 'a')), 'b never changed until it was gone: no row of it is sent again');
  const running = deltas.flatMap((d) => d.rows).find((r) => r.state === 'RUNNING')!;
  assert.ok(running.pid > 0 && running.upSince !== null, 'a running row has its pid and the moment it came up');
});

test('a process page streams its detail, its chart with the current state lit, and its log tail; no env value or secret is shown', async (t) => {
  const { h, base } = await consoleOf();
  t.after(() => h.close());
  await h.client.createProcess(
    {
      name: 'api',
      command: 'sh',
      args: ['-c', `echo "line one"; echo "an error" >&2; exec sleep ${h.sleepArgs()[0]}`, '--api-token=abc123', h.marker],
      env: { DATABASE_PASSWORD: 'hunter2', PORT: '8080' },
    },
    { start: true },
  );
  await waitUntil('api runs', async () => (await h.client.describeProcess('api')).process.state === 'RUNNING');
  const events = await readUntil(
    feed(`${base}/api/processes/api/feed`),
    (items) => {
      const lines = dataOf<LogLine>(items, 'log').map((l) => `${l.stream}:${l.line}`);
      return items.some((e) => e.event === 'chart') && lines.includes('stdout:line one') && lines.includes('stderr:an error');
    },
    { what: 'the chart and both lines' },
  );
  const [detail] = dataOf<ProcessDetail>(events, 'process');
  assert.equal(detail!.process.state, 'RUNNING');
  assert.match(detail!.specYaml, /DATABASE_PASSWORD/, 'the variable is named');
  assert.match(detail!.specYaml, /PORT/);
  const all = events.map((e) => e.data).join('\n');
  for (const secret of ['hunter2', '8080', 'abc123']) assert.ok(!all.includes(secret), `${secret} is not sent`);
  assert.ok(detail!.enforcement.length > 0, 'the enforcement list');
  assert.deepEqual(detail!.transitions.map((tr) => tr.to), ['starting', 'syncing']);
  const [chart] = dataOf<ChartState>(events, 'chart');
  assert.match(chart!.mermaid, /^stateDiagram-v2\n/);
  assert.doesNotMatch(chart!.mermaid, /^\s*class \S+ active$/m, 'the text is sent unlit: the page lights it');
  assert.deepEqual(chart!.active, ['syncing.sync.awaitingUpdate', 'syncing.health.off']);
  assert.deepEqual(chart!.lit, ['syncing_sync_awaitingUpdate', 'syncing_health_off']);
});

test('on loopback, an action needs the same-origin guard, and a request naming another host is refused', async (t) => {
  const { h, base, port } = await consoleOf();
  t.after(() => h.close());
  await h.client.createProcess({ name: 'svc', command: 'sleep', args: h.sleepArgs() });
  const start = (headers: Record<string, string>) => post(base, '/api/processes/svc/start', headers);

  assert.equal((await start({ 'content-type': 'application/json' })).status, 403, 'no guard header');
  assert.equal((await start({ 'x-statevisor-csrf': '1' })).status, 403, 'the guard without an Origin');
  assert.equal((await start(guarded(base, { origin: 'http://evil.example' }))).status, 403, 'another origin');
  assert.equal((await start(guarded(base, { 'sec-fetch-site': 'cross-site' }))).status, 403, 'a cross-site fetch');
  // A site whose name resolves to 127.0.0.1 (DNS rebinding): to the browser it is same-origin.
  const rebinding = `evil.example:${port}`;
  assert.equal(await rawStatus(base, 'POST', '/api/processes/svc/start', guarded(`http://${rebinding}`, { host: rebinding })), 403, 'a rebinding name');
  assert.equal(await rawStatus(base, 'GET', '/api/feed', { host: rebinding }), 403, 'reads too');
  assert.equal(await rawStatus(base, 'GET', '/api/processes/svc', { host: `localhost:${port}` }), 200, 'localhost is this console');
  assert.equal((await h.client.describeProcess('svc')).process.state, 'CREATED', 'none of them acted');

  const session = (await (await fetch(`${base}/api/session`)).json()) as SessionInfo;
  assert.deepEqual([session.loopback, session.canRead, session.canAct], [true, true, true]);
  const ok = await start(guarded(base));
  assert.equal(ok.status, 200, await ok.clone().text());
  assert.equal(((await ok.json()) as { process: { name: string } }).process.name, 'svc');
  await waitUntil('svc runs', async () => (await h.client.describeProcess('svc')).process.state === 'RUNNING');
});

test('off loopback, every read and action needs a session, which only the token buys; /metrics and /healthz stay open', async (t) => {
  const token = 'console-test-token-0123456789';
  const { h, base } = await consoleOf({ http: '0.0.0.0:0', token });
  t.after(() => h.close());
  await h.client.createProcess({ name: 'svc', command: 'sleep', args: h.sleepArgs() });

  const anonymous = (await (await fetch(`${base}/api/session`)).json()) as SessionInfo;
  assert.deepEqual([anonymous.loopback, anonymous.canRead, anonymous.canAct, anonymous.loginPossible], [false, false, false, true]);
  assert.equal((await fetch(`${base}/api/feed`)).status, 401);
  assert.equal((await fetch(`${base}/api/processes/svc`)).status, 401);
  assert.equal((await post(base, '/api/processes/svc/start', guarded(base))).status, 401);
  assert.equal((await fetch(`${base}/`)).status, 200, 'the page itself loads: it holds the login form');
  assert.equal((await fetch(`${base}/healthz`)).status, 200);
  assert.equal((await fetch(`${base}/metrics`)).status, 200);

  assert.equal((await post(base, '/api/login', guarded(base), { token: 'wrong' })).status, 401);
  assert.equal((await post(base, '/api/login', { 'content-type': 'application/json' }, { token })).status, 403, 'a login needs the guard too');
  const login = await post(base, '/api/login', guarded(base), { token });
  assert.equal(login.status, 200);
  const cookie = login.headers.get('set-cookie') ?? '';
  assert.match(cookie, /^statevisor_session=[A-Za-z0-9_-]+; /);
  for (const attribute of ['HttpOnly', 'SameSite=Strict', 'Path=/']) assert.ok(cookie.split('; ').includes(attribute), `${attribute} in ${cookie}`);
  assert.ok(!cookie.includes(token), 'the cookie is not the token');
  const session = cookie.slice(0, cookie.indexOf(';'));

  assert.equal((await fetch(`${base}/api/processes/svc`, { headers: { cookie: session } })).status, 200);
  assert.equal((await post(base, '/api/processes/svc/start', { 'content-type': 'application/json', cookie: session })).status, 403, 'a session still needs the guard');
  const started = await post(base, '/api/processes/svc/start', guarded(base, { cookie: session }));
  assert.equal(started.status, 200, await started.clone().text());
  assert.equal((await fetch(`${base}/api/feed`, { headers: { cookie: 'statevisor_session=forged' } })).status, 401, 'a forged session');
});

test('off loopback without a token, the console cannot be opened at all', async (t) => {
  const { h, base } = await consoleOf({ http: '0.0.0.0:0' });
  t.after(() => h.close());
  const session = (await (await fetch(`${base}/api/session`)).json()) as SessionInfo;
  assert.deepEqual([session.canRead, session.loginPossible], [false, false]);
  assert.match(session.reason, /--token-file/);
  assert.equal((await post(base, '/api/login', guarded(base), { token: '' })).status, 401);
  assert.equal((await fetch(`${base}/api/feed`)).status, 401);
});

test('actions: start, stop, restart and signal; a bad request is a JSON error naming what is wrong', async (t) => {
  const { h, base } = await consoleOf();
  t.after(() => h.close());
  await h.client.createProcess({ name: 'svc', command: 'sleep', args: h.sleepArgs() });
  const act = async (action: string, body: unknown = {}) => {
    const response = await post(base, `/api/processes/svc/${action}`, guarded(base), body);
    return { status: response.status, body: (await response.json()) as { error?: string; code?: string; process?: { state: string } } };
  };
  assert.equal((await act('start')).status, 200);
  await waitUntil('svc runs', async () => (await h.client.describeProcess('svc')).process.state === 'RUNNING');
  assert.equal((await act('start')).status, 409, 'already running: E_INVALID_STATE');
  assert.deepEqual((await act('signal', { signal: 'SIGBOGUS' })).status, 400);
  const noSignal = await act('signal', {});
  assert.deepEqual([noSignal.status, noSignal.body.code], [400, 'E_INVALID_ARGUMENT']);
  assert.match(noSignal.body.error ?? '', /^signal: /);
  assert.equal((await act('signal', { signal: 'CONT' })).status, 200);
  assert.equal((await act('restart')).status, 200);
  assert.equal((await act('explode')).status, 404);
  const bad = await fetch(`${base}/api/processes/svc/stop`, { method: 'POST', headers: guarded(base), body: '{not json' });
  assert.equal(bad.status, 400);
  const stopped = await act('stop');
  assert.equal(stopped.status, 200);
  await waitUntil('svc stops', async () => (await h.client.describeProcess('svc')).process.state === 'STOPPED');
  const missing = await post(base, '/api/processes/nope/start', guarded(base));
  assert.deepEqual([missing.status, ((await missing.json()) as { code: string }).code], [404, 'E_NOT_FOUND']);
});

test('nothing is watched while no console is open: the table feed and the chart watch come and go with their pages', async (t) => {
  const { h, base } = await consoleOf();
  t.after(() => h.close());
  await h.client.createProcess({ name: 'svc', command: 'sleep', args: h.sleepArgs() }, { start: true });
  const stats = () => h.daemon.parts.console!.stats;
  assert.deepEqual(stats(), { consoles: 0, pages: 0, watchingTable: false, observingCharts: false });
  const seen: SseEvent[] = [];
  await readUntil(feed(`${base}/api/feed`), (items) => {
    seen.push(...items.slice(seen.length));
    return items.length > 0;
  });
  await readUntil(feed(`${base}/api/processes/svc/feed`), (items) => {
    if (items.length === 0) return false;
    assert.equal(stats().observingCharts, true, 'while a page is open, its chart is watched');
    assert.equal(stats().pages, 1);
    return true;
  });
  await waitUntil('the streams are closed', async () => stats().consoles === 0 && stats().pages === 0);
  assert.deepEqual(stats(), { consoles: 0, pages: 0, watchingTable: false, observingCharts: false });
  assert.equal(h.daemon.parts.events.watcherCount, 0, 'no watcher left on the events hub');
});
