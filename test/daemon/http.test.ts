/** `--http`: /healthz, /metrics and the console's page, over a real loopback socket (the console: console.test.ts). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestDaemon, type DaemonHarness } from '../helpers/daemon-harness.js';
import { waitUntil } from '../helpers/leaks.js';

async function get(base: string, path: string, method = 'GET'): Promise<{ status: number; type: string; body: string }> {
  const response = await fetch(`${base}${path}`, { method });
  return { status: response.status, type: response.headers.get('content-type') ?? '', body: await response.text() };
}

test('--http serves /healthz, Prometheus /metrics and the console, all from the package', async (t) => {
  const h = await startTestDaemon({ http: '127.0.0.1:0' });
  t.after(() => h.close());
  const listener = (await h.client.getStatus()).listeners.find((l) => l.kind === 'http');
  assert.ok(listener, 'GetStatus lists the http listener');
  assert.match(listener.address, /^127\.0\.0\.1:\d+$/);
  const base = `http://${listener.address}`;

  await h.client.createProcess({ name: 'web', command: 'sleep', args: h.sleepArgs() }, { start: true });
  await waitUntil('web runs', async () => (await h.client.describeProcess('web')).process.state === 'RUNNING');

  const health = await get(base, '/healthz');
  assert.equal(health.status, 200);
  assert.deepEqual(JSON.parse(health.body), { status: 'serving', processes: 1, states: { RUNNING: 1 } });

  const metrics = await get(base, '/metrics');
  assert.equal(metrics.status, 200);
  assert.match(metrics.type, /^text\/plain/);
  assert.match(metrics.body, /^statevisor_processes\{state="RUNNING"\} 1$/m);
  assert.match(metrics.body, /^statevisor_processes\{state="FAILED"\} 0$/m);
  assert.match(metrics.body, /^statevisor_process_state_transitions_total\{.*to_state="Syncing".*\} 1$/m, 'the manager’s own metrics');
  assert.match(metrics.body, /^statevisor_daemon_process_resident_memory_bytes \d+/m, 'the daemon’s process metrics');
  assert.match(metrics.body, /^statevisor_process_state_transitions_total\{process_id="[0-9a-f-]+",process="web",/m, 'series carry the name');

  const page = await fetch(`${base}/`);
  assert.equal(page.status, 200);
  assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
  assert.match(await page.text(), /<script type="module" src="\/app\/main\.js"><\/script>/);
  assert.match(page.headers.get('content-security-policy') ?? '', /script-src 'self';/, 'no inline script may run');
  assert.equal(page.headers.get('x-frame-options'), 'DENY', 'nor may it be framed');
  // Its scripts, style and chart renderer are in the package: nothing is fetched from elsewhere.
  for (const asset of ['/app/main.js', '/app/table-page.js', '/app/process-page.js', '/style.css', '/assets/mermaid.min.js']) {
    const response = await get(base, asset);
    assert.equal(response.status, 200, asset);
    assert.doesNotMatch(response.body.slice(0, 100_000), /https?:\/\/(cdn|unpkg|jsdelivr)/, `${asset} loads nothing from a CDN`);
  }
  assert.equal((await get(base, '/app/%2e%2e%2f%2e%2e%2fpackage.json')).status, 404, 'only the built scripts are served');

  assert.equal((await get(base, '/nope')).status, 404);
  assert.equal((await get(base, '/healthz', 'POST')).status, 405, 'nothing here changes state');

  // A deleted process's series go with it: churn does not grow the label set.
  await h.client.deleteProcess('web', { force: true });
  assert.doesNotMatch((await get(base, '/metrics')).body, /process="web"/);
});

/**
 * The collector the daemon handed its process manager, if any. Nothing outside shows it (that is
 * the point: without --http nobody can read metrics), so the test looks at what the composition
 * root wired, and checks the --http daemon the other way round so that the look proves something.
 */
function metricsCollector(h: DaemonHarness): unknown {
  return h.daemon.parts.metrics;
}

test('without --http nothing listens on HTTP and no metrics are collected', async (t) => {
  const h = await startTestDaemon();
  t.after(() => h.close());
  const status = await h.client.getStatus();
  assert.deepEqual(status.listeners.map((l) => l.kind), ['unix']);
  assert.equal(metricsCollector(h), undefined, 'no collector: transitions cost no metric updates');
  const served = await startTestDaemon({ http: '127.0.0.1:0' });
  t.after(() => served.close());
  assert.notEqual(metricsCollector(served), undefined, 'with --http, a collector');
});
