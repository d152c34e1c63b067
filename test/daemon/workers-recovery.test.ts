/**
 * A worker thread dies with its daemon (it is a thread of it): the next daemon on the same state
 * dir starts it again — there is no survivor to adopt, and no run record pointing at a pid.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startDaemon } from '../../src/server/daemon.js';
import { silentLogger } from '../../src/manager/logger.js';
import { createClient } from '../../src/client/index.js';
import { waitUntil } from '../helpers/leaks.js';
import { workerModule } from '../helpers/worker-modules.js';

test('a worker that should run is started again by the next daemon on the same state dir', { timeout: 90_000 }, async (t) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'statevisor-worker-recovery-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const options = { socket: path.join(dir, 's.sock'), stateDir: path.join(dir, 'state'), logger: silentLogger };
  const module = workerModule(dir, 'service');

  const first = await startDaemon(options);
  const client = createClient({ socket: options.socket });
  await client.createProcess({ name: 'svc', runtime: { kind: 'worker', module } }, { start: true });
  await waitUntil('svc runs', async () => (await client.describeProcess('svc')).process.state === 'RUNNING');
  client.close();
  await first.stop();

  const second = await startDaemon(options);
  t.after(() => second.stop());
  const again = createClient({ socket: options.socket });
  t.after(() => again.close());
  await waitUntil('svc runs under the next daemon', async () => (await again.describeProcess('svc')).process.state === 'RUNNING', { timeoutMs: 30_000 });
  const d = await again.describeProcess('svc');
  assert.ok(!d.process.pid, 'a thread: no pid');
  assert.equal(d.counters.runCount, 1, 'a new run, under this daemon');
});
