import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestDaemon } from '../helpers/daemon-harness.js';
import { waitUntil } from '../helpers/leaks.js';
import type { Process } from '../../src/client/index.js';

/** A row without its uptime, which moves between two calls. */
const still = ({ uptimeMs: _uptime, ...rest }: Process) => rest;

test('ListProcesses shows each process as Describe does after every change: rows kept encoded are made again when they change', async (t) => {
  const h = await startTestDaemon({ usageIntervalMs: 200 });
  t.after(() => h.close());
  const { client } = h;
  await client.createProcess({ name: 'idle', command: 'sleep', args: h.sleepArgs(), labels: { tier: 'db' } });
  await client.createProcess({ name: 'web', command: 'sleep', args: h.sleepArgs(), labels: { tier: 'web' } }, { start: true });

  const sameAsDescribe = async (why: string) => {
    const before = new Map<string, Process>();
    for (const name of ['idle', 'web']) before.set(name, (await client.describeProcess(name)).process);
    const rows = await client.listProcesses();
    for (const row of rows) {
      const described = before.get(row.name)!;
      const after = (await client.describeProcess(row.name)).process;
      assert.deepEqual(still(row), still(after), `${why}: ${row.name}`);
      assert.ok(described.uptimeMs <= row.uptimeMs && row.uptimeMs <= after.uptimeMs, `${why}: ${row.name}'s uptime between two Describes`);
    }
    assert.deepEqual(rows.map((p) => p.name).sort(), ['idle', 'web']);
  };

  await sameAsDescribe('created');
  await waitUntil('web runs with a usage sample', async () => {
    const web = (await client.listProcesses({ labelSelector: 'tier=web' }))[0]!;
    return web.state === 'RUNNING' && web.memoryBytes > 0;
  });
  await sameAsDescribe('running, sampled');
  await client.updateProcess('idle', { labels: { tier: 'cache' } }, { updateMask: ['labels'] });
  assert.deepEqual((await client.listProcesses({ labelSelector: 'tier=cache' })).map((p) => p.name), ['idle']);
  await client.stopProcess('web');
  await sameAsDescribe('updated and stopped');
  await client.startProcess('web');
  await waitUntil('web runs again', async () => (await client.listProcesses({ labelSelector: 'tier=web' }))[0]!.state === 'RUNNING');
  await sameAsDescribe('started again');
  await client.deleteProcess('idle');
  assert.deepEqual((await client.listProcesses()).map((p) => p.name), ['web']);
});
