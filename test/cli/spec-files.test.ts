import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { startTestDaemon } from '../helpers/daemon-harness.js';
import { cliOn, oneErrorLine } from './run.js';

function specFile(dir: string, marker: string, delay: string): string {
  const file = path.join(dir, 'processes.yaml');
  writeFileSync(
    file,
    `processes:
  - name: api
    command: sleep
    args: ["3600.${marker}"]
    labels: { tier: api }
    restart: { policy: always, delay: ${delay} }
  - name: worker
    command: sleep
    args: ["3600.${marker}"]
    umask: 022
    stop: { grace_period: 2s, signal: INT }
`,
  );
  return file;
}

test('create -f creates every process of a file, and --start starts them', async (t) => {
  const h = await startTestDaemon();
  t.after(() => h.close());
  const cli = cliOn(h.socket);
  const file = specFile(h.dir, h.marker, '250ms');

  const created = await cli('create', '-f', file, '--start');
  assert.equal(created.code, 0, created.stderr);
  const [createdApi, createdWorker, ...started] = created.stdout.trimEnd().split('\n');
  assert.match(`${createdApi}\n${createdWorker}`, /^created api \(id [0-9a-f-]{36}, STARTING\)\ncreated worker \(id [0-9a-f-]{36}, STARTING\)$/);
  // Each reported once it runs, in the order they came up.
  assert.deepEqual(started.map((l) => l.replace(/, pid \d+/, '')).sort(), ['started api (RUNNING)', 'started worker (RUNNING)']);
  const api = await h.client.describeProcess('api');
  assert.equal(api.spec?.restart?.delayMs, 250);
  assert.deepEqual(api.spec?.labels, { tier: 'api' });
  const worker = await h.client.describeProcess('worker');
  assert.deepEqual([worker.spec?.umask, worker.spec?.stop?.signal, worker.spec?.stop?.gracePeriodMs], ['022', 'SIGINT', 2_000]);
  assert.ok((await h.client.listProcesses()).every((p) => p.state === 'RUNNING'), 'both run when create returns');

  const again = await cli('create', '-f', file);
  assert.equal(again.code, 1);
  assert.equal(oneErrorLine(again), "statevisor: a process named 'api' already exists", "the daemon's message, verbatim");
});

test('create -f with a bad file reports every bad field and creates nothing', async (t) => {
  const h = await startTestDaemon();
  t.after(() => h.close());
  const file = path.join(h.dir, 'bad.yaml');
  writeFileSync(file, 'processes:\n  - name: ok\n    command: "true"\n  - name: bad\n    command: "true"\n    restart: { policy: sometimes, delay: 5x }\n');
  const result = await cliOn(h.socket)('create', '-f', file);
  assert.equal(result.code, 2);
  const line = oneErrorLine(result);
  assert.match(line, /processes\[1\]\.restart\.policy: got "sometimes"/);
  assert.match(line, /processes\[1\]\.restart\.delay: got "5x"/);
  assert.deepEqual(await h.client.listProcesses(), [], 'nothing was created');
});

test('apply -f adds, then reports unchanged, then modified with the fields that changed', async (t) => {
  const h = await startTestDaemon();
  t.after(() => h.close());
  const cli = cliOn(h.socket);
  const file = specFile(h.dir, h.marker, '250ms');

  const first = await cli('apply', '-f', file);
  assert.equal(first.code, 0, first.stderr);
  assert.equal(first.stdout, 'added api\nadded worker\n');

  const second = await cli('apply', '-f', file);
  assert.equal(second.code, 0, second.stderr);
  assert.equal(second.stdout, 'unchanged api\nunchanged worker\n');

  specFile(h.dir, h.marker, '400ms');
  const third = await cli('--json', 'apply', '-f', file);
  assert.equal(third.code, 0, third.stderr);
  assert.deepEqual(JSON.parse(third.stdout), [
    { name: 'api', result: 'modified', updatedFields: ['restart.delay_ms'], restartRequiredFields: [] },
    { name: 'worker', result: 'unchanged', updatedFields: [], restartRequiredFields: [] },
  ]);
  assert.equal((await h.client.describeProcess('api')).spec?.restart?.delayMs, 400);
});
