/**
 * GetMachineDefinition over gRPC: the charts by kind and of one process, in each format; bad
 * input named by its field.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createMachine } from 'xstate';
import { isInvalidArgument, isNotFound } from '../../src/client/index.js';
import { startTestDaemon } from '../helpers/daemon-harness.js';
import { waitUntil } from '../helpers/leaks.js';

test('GetMachineDefinition: kinds and a named process, in config form that createMachine loads', async (t) => {
  const h = await startTestDaemon();
  t.after(() => h.close());
  // A secret on the command line: sh runs `sleep 3600.MARKER`; $1 and $2 are only carried.
  await h.client.createProcess({ name: 'web', command: 'sh', args: ['-c', 'exec sleep "$0"', ...h.sleepArgs(), '--token', 'tk-2201'] });
  const never = await h.client.getMachineDefinition({ nameOrId: 'web' });
  assert.equal(never.context, undefined, 'never run: no actor, so no context');
  assert.deepEqual((await h.client.getMachineDefinition({ nameOrId: 'web' }, { format: 'mermaid' })).activeStates, []);

  await h.client.startProcess('web');
  await waitUntil('web runs', async () => (await h.client.describeProcess('web')).process.state === 'RUNNING');
  const web = await h.client.getMachineDefinition({ nameOrId: 'web' });
  const config = (web.context as { config: { args: string[] } }).config;
  assert.deepEqual(config.args.slice(-2), ['--token', '[redacted]']);
  createMachine(web as never);
  const drawn = await h.client.getMachineDefinition({ nameOrId: 'web' }, { format: 'mermaid' });
  assert.deepEqual(drawn.activeStates, ['syncing.sync.awaitingUpdate', 'syncing.health.off']);
  assert.match(drawn.text, /^ {2}class syncing_sync_awaitingUpdate active$/m);

  const supervisor = await h.client.getMachineDefinition({ kind: 'supervisor' });
  assert.equal(supervisor.id, 'supervisor');
  assert.equal(supervisor.initial, 'running');
  const scxml = await h.client.getMachineDefinition({ kind: 'process' }, { format: 'scxml' });
  assert.match(scxml.text, /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<scxml xmlns="http:\/\/www\.w3\.org\/2005\/07\/scxml"/);
});

test('GetMachineDefinition: an unknown format or kind is INVALID_ARGUMENT naming the field; an unknown process NOT_FOUND', async (t) => {
  const h = await startTestDaemon();
  t.after(() => h.close());
  await assert.rejects(h.client.getMachineDefinition({ kind: 'process' }, { format: 'dot' as never }), (error: Error) => {
    assert.ok(isInvalidArgument(error));
    assert.match(error.message, /format: got "dot", expected one of json, mermaid, scxml/);
    return true;
  });
  await assert.rejects(h.client.getMachineDefinition({ kind: 'worker' as never }), /kind: got "worker", expected one of process, supervisor/);
  await assert.rejects(h.client.getMachineDefinition({ nameOrId: 'nobody' }), isNotFound);
});
