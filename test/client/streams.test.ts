import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { status, type ServerWritableStream } from '@grpc/grpc-js';
import { createClient, hasCode, isCancelled, isNotFound, type ProcessEvent, type StatevisorClient } from '../../src/client/index.js';
import type { StreamLogsRequest__Output } from '../../src/proto/generated/statevisor/v1/StreamLogsRequest.js';
import { readUntil } from '../helpers/streams.js';
import { startFakeDaemon, statusWithCode, wireProcess, type FakeDaemon } from './fake-daemon.js';

/** Resolves when the server sees the call cancelled: the proof that the client let go. */
function cancelledOnServer(call: ServerWritableStream<unknown, unknown>): Promise<void> {
  return new Promise((resolve) => call.on('cancelled', () => resolve()));
}

describe('server streams as async iterators', () => {
  let daemon: FakeDaemon;
  let client: StatevisorClient;
  const serverCancels: Promise<void>[] = [];
  const logRequests: StreamLogsRequest__Output[] = [];
  let watchCalls = 0;

  before(async () => {
    daemon = await startFakeDaemon({
      WatchEvents: (call) => {
        watchCalls++;
        serverCancels.push(cancelledOnServer(call));
        const at = { seconds: 1_700_000_000, nanos: 0 };
        call.write({ event: { type: 'snapshot', snapshot: true, at, process: wireProcess({ name: call.request.name_or_id || 'web' }) } });
        call.write({ event: { type: 'transition', at, process: wireProcess({ state: 'PROCESS_STATE_STOPPING' }), from: 'RUNNING', to: 'STOPPING', reason: 'stop requested' } });
        // A followed stream: it never ends on its own.
      },
      StreamLogs: (call) => {
        logRequests.push(call.request);
        if (call.request.name_or_id === 'missing') return call.emit('error', statusWithCode(status.NOT_FOUND, 'process "missing" not found', 'E_NOT_FOUND'));
        for (let i = 1; i <= 3; i++) call.write({ stream: call.request.stream, line: `line ${i}` });
        if (call.request.follow) {
          serverCancels.push(cancelledOnServer(call));
          return;
        }
        call.end();
      },
      Inspect: (call) => {
        serverCancels.push(cancelledOnServer(call));
        call.write({ event_json: JSON.stringify({ type: '@xstate.event', event: { type: 'start' } }) });
        call.write({ event_json: '{not json' });
      },
    });
    client = createClient({ socket: daemon.socket });
  });

  after(async () => {
    client.close();
    await daemon.stop();
  });

  test('events iterate in order, converted, snapshot first', async () => {
    const events: ProcessEvent[] = await readUntil(client.watchEvents('api'), (read) => read.length === 2);
    assert.equal(events[0]?.type, 'snapshot');
    assert.equal(events[0]?.snapshot, true);
    assert.equal(events[0]?.process?.name, 'api');
    assert.equal(events[0]?.process?.state, 'RUNNING');
    assert.deepEqual(events[0]?.at, new Date(1_700_000_000_000));
    assert.equal(events[1]?.snapshot, false);
    assert.deepEqual([events[1]?.from, events[1]?.to, events[1]?.reason], ['RUNNING', 'STOPPING', 'stop requested']);
    assert.equal(events[1]?.process?.state, 'STOPPING');
  });

  test('breaking out of the loop cancels the call on the server', async () => {
    const before = serverCancels.length;
    // A deadline on the call itself, so that a stream that sends nothing fails the test.
    for await (const event of client.watchEvents('', { deadlineMs: 10_000 })) {
      assert.equal(event.type, 'snapshot');
      break;
    }
    assert.equal(serverCancels.length, before + 1);
    await serverCancels.at(-1);
  });

  test('aborting the signal ends the iteration with E_CANCELLED and cancels the server call', async () => {
    const controller = new AbortController();
    const seen: string[] = [];
    await assert.rejects(async () => {
      for await (const event of client.watchEvents('', { signal: controller.signal, deadlineMs: 10_000 })) {
        seen.push(event.type);
        // The second event arrives; then the iterator waits on a stream that never ends.
        if (seen.length === 2) controller.abort();
      }
    }, isCancelled);
    assert.deepEqual(seen, ['snapshot', 'transition']);
    await serverCancels.at(-1);
  });

  test('a stream the server ends finishes the loop; the request carries the log options', async () => {
    const lines = await readUntil(client.streamLogs('web', { stream: 'stderr', tailLines: 3 }));
    assert.deepEqual(lines, [
      { stream: 'stderr', line: 'line 1' },
      { stream: 'stderr', line: 'line 2' },
      { stream: 'stderr', line: 'line 3' },
    ]);
    const request = logRequests.at(-1);
    assert.deepEqual([request?.name_or_id, request?.stream, request?.tail_lines, request?.follow], ['web', 'stderr', 3, false]);
  });

  test('a followed log stream runs until the consumer leaves; stdout is the default', async () => {
    const lines = await readUntil(client.streamLogs('web', { follow: true }), (read) => read.length === 3);
    assert.deepEqual(lines.map((line) => line.stream), ['stdout', 'stdout', 'stdout']);
    assert.equal(logRequests.at(-1)?.stream, 'stdout');
    await serverCancels.at(-1);
  });

  test('a stream that fails throws a StatevisorError from the loop', async () => {
    await assert.rejects(readUntil(client.streamLogs('missing')), (error: unknown) => isNotFound(error) && (error as Error).message === 'process "missing" not found');
  });

  test('inspect parses each event; invalid JSON is E_INTERNAL and cancels the call', async () => {
    const events: unknown[] = [];
    await assert.rejects(async () => {
      for await (const event of client.inspect('web', { deadlineMs: 10_000 })) events.push(event);
    }, (error: unknown) => hasCode(error, 'E_INTERNAL') && /invalid JSON/.test((error as Error).message));
    assert.deepEqual(events, [{ type: '@xstate.event', event: { type: 'start' } }]);
    await serverCancels.at(-1);
  });

  test('nothing is called until iteration starts', async () => {
    const before = watchCalls;
    const events = client.watchEvents();
    // A completed call on the same channel: a watch started before it would have arrived first.
    assert.equal((await readUntil(client.streamLogs('web'))).length, 3);
    assert.equal(watchCalls, before);
    await events.return();
    assert.equal((await readUntil(client.streamLogs('web'))).length, 3);
    assert.equal(watchCalls, before, 'returning an unstarted iterator makes no call');
  });
});
