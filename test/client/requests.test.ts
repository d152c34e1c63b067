import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createClient, type StatevisorClient } from '../../src/client/index.js';
import { startFakeDaemon, wireProcess, type FakeDaemon } from './fake-daemon.js';
import { readUntil } from '../helpers/streams.js';

describe('each method sends its options as the RPC fields', () => {
  let daemon: FakeDaemon;
  let client: StatevisorClient;
  const received: Record<string, unknown[]> = {};

  function record(rpc: string, request: object): void {
    // Drop proto-loader's virtual oneof keys; presence shows as the field itself.
    const fields = Object.fromEntries(Object.entries(request).filter(([key]) => !key.startsWith('_')));
    (received[rpc] ??= []).push(fields);
  }

  before(async () => {
    daemon = await startFakeDaemon({
      StopProcess: (call, callback) => {
        record('StopProcess', call.request);
        callback(null, { process: wireProcess() });
      },
      DeleteProcess: (call, callback) => {
        record('DeleteProcess', call.request);
        callback(null, {});
      },
      ListProcesses: (call, callback) => {
        record('ListProcesses', call.request);
        callback(null, { processes: [] });
      },
      SignalProcess: (call, callback) => {
        record('SignalProcess', call.request);
        callback(null, {});
      },
      GetMachineDefinition: (call, callback) => {
        record('GetMachineDefinition', call.request);
        callback(null, { definition_json: '{}' });
      },
      WatchEvents: (call) => {
        record('WatchEvents', call.request);
        call.end();
      },
    });
    client = createClient({ socket: daemon.socket });
  });

  after(async () => {
    client.close();
    await daemon.stop();
  });

  test('stop: grace period only when given, no_wait', async () => {
    await client.stopProcess('web', { gracePeriodMs: 0, noWait: true });
    await client.stopProcess('web', { noWait: true });
    assert.deepEqual(received.StopProcess, [
      { name_or_id: 'web', grace_period_ms: 0, no_wait: true },
      { name_or_id: 'web', no_wait: true },
    ]);
  });

  test('delete, list, signal and machine definition requests', async () => {
    assert.deepEqual(await client.deleteProcess('web', { force: true }), { keptLogs: '' });
    await client.deleteProcess('api', { keepLogs: true });
    await client.listProcesses({ labelSelector: 'tier=web,team=core' });
    await client.listProcesses();
    assert.equal(await client.signalProcess('web', 'SIGHUP'), undefined);
    await client.signalProcess('web', 15, { group: true });
    await client.getMachineDefinition({ kind: 'supervisor' });
    await client.getMachineDefinition({ nameOrId: 'web' });
    assert.deepEqual(await client.getMachineDefinition({ nameOrId: 'web' }, { format: 'mermaid' }), { format: 'mermaid', text: '', activeStates: [] });
    assert.deepEqual(received.DeleteProcess, [
      { name_or_id: 'web', force: true, keep_logs: false },
      { name_or_id: 'api', force: false, keep_logs: true },
    ]);
    assert.deepEqual(received.ListProcesses, [{ label_selector: 'tier=web,team=core' }, { label_selector: '' }]);
    assert.deepEqual(received.SignalProcess, [
      { name_or_id: 'web', signal: 'SIGHUP', group: false },
      { name_or_id: 'web', signal: '15', group: true },
    ]);
    assert.deepEqual(received.GetMachineDefinition, [
      { kind: 'supervisor', name_or_id: '', format: 'json' },
      { kind: '', name_or_id: 'web', format: 'json' },
      { kind: '', name_or_id: 'web', format: 'mermaid' },
    ]);
  });

  test('watching everything sends an empty name', async () => {
    assert.deepEqual(await readUntil(client.watchEvents()), [], 'the fake ends the stream at once');
    assert.deepEqual(await readUntil(client.watchEvents('web')), [], 'the fake ends the stream at once');
    assert.deepEqual(received.WatchEvents, [{ name_or_id: '' }, { name_or_id: 'web' }]);
  });
});
