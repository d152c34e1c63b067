import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ServerUnaryCall } from '@grpc/grpc-js';
import { createClient, isCancelled, isDeadlineExceeded, type StatevisorClient } from '../../src/client/index.js';
import { startFakeDaemon, wireProcess, type FakeDaemon } from './fake-daemon.js';

/** Server calls that never get an answer, each with a promise of its cancellation. */
function hangingCalls() {
  const cancelled: Promise<void>[] = [];
  let arrived: () => void = () => {};
  return {
    cancelled,
    nextArrival: () => new Promise<void>((resolve) => (arrived = resolve)),
    hang(call: ServerUnaryCall<unknown, unknown>) {
      cancelled.push(new Promise<void>((resolve) => call.on('cancelled', () => resolve())));
      arrived();
    },
  };
}

function remainingMs(call: ServerUnaryCall<unknown, unknown>): number {
  const deadline = call.getDeadline();
  return (deadline instanceof Date ? deadline.getTime() : deadline) - Date.now();
}

describe('deadlines and cancellation of unary calls', () => {
  let daemon: FakeDaemon;
  let client: StatevisorClient;
  const hanging = hangingCalls();
  const stopDeadlines: number[] = [];
  const statusDeadlines: number[] = [];

  before(async () => {
    daemon = await startFakeDaemon({
      GetStatus: (call, callback) => {
        statusDeadlines.push(remainingMs(call));
        callback(null, {});
      },
      DescribeProcess: (call) => hanging.hang(call),
      StopProcess: (call, callback) => {
        stopDeadlines.push(remainingMs(call));
        callback(null, { process: wireProcess({ state: 'PROCESS_STATE_STOPPED' }) });
      },
    });
    client = createClient({ socket: daemon.socket, deadlineMs: 200 });
  });

  after(async () => {
    client.close();
    await daemon.stop();
  });

  test('the default deadline ends a call the daemon never answers', async () => {
    await assert.rejects(client.describeProcess('web'), (error: unknown) => isDeadlineExceeded(error));
    await hanging.cancelled.at(-1);
  });

  test('a per-call deadline overrides the default', async () => {
    const slowClient = createClient({ socket: daemon.socket });
    try {
      await assert.rejects(slowClient.describeProcess('web', { deadlineMs: 100 }), isDeadlineExceeded);
    } finally {
      slowClient.close();
    }
  });

  test('the deadline travels to the daemon; Infinity sends none', async () => {
    await client.getStatus();
    assert.ok(statusDeadlines.at(-1)! <= 200, `remaining ${statusDeadlines.at(-1)} ms`);
    await client.getStatus({ deadlineMs: Infinity });
    assert.equal(statusDeadlines.at(-1), Infinity);
  });

  test('aborting the signal cancels the call on the daemon too', async () => {
    const controller = new AbortController();
    const arrived = hanging.nextArrival();
    const pending = client.describeProcess('web', { signal: controller.signal, deadlineMs: Infinity });
    await arrived;
    controller.abort(new Error('user pressed ^C'));
    await assert.rejects(pending, (error: unknown) => isCancelled(error) && /user pressed \^C/.test((error as Error).message));
    await hanging.cancelled.at(-1);
  });

  test('an already aborted signal fails at once', async () => {
    await assert.rejects(client.getStatus({ signal: AbortSignal.abort() }), isCancelled);
  });

  test('a waiting stop gets grace + 30 s rather than the default; noWait keeps the default', async () => {
    // What remains when the daemon sees the call: the deadline less the call's way there, which
    // the 5 s below covers many times over (the bound is on the deadline, not on a speed).
    const near = (remaining: number, deadline: number) => remaining <= deadline && remaining > deadline - 5_000;
    await client.stopProcess('web', { gracePeriodMs: 60_000 });
    assert.ok(near(stopDeadlines.at(-1)!, 60_000 + 30_000), `grace 60 s: remaining ${stopDeadlines.at(-1)} ms, not 90 s`);
    await client.stopProcess('web');
    // The daemon's own grace period is unknown here: the client assumes the longest usual one, 90 s.
    assert.ok(near(stopDeadlines.at(-1)!, 90_000 + 30_000), `without a grace period: remaining ${stopDeadlines.at(-1)} ms, not 120 s`);
    await client.stopProcess('web', { noWait: true });
    assert.ok(stopDeadlines.at(-1)! <= 200, `noWait: remaining ${stopDeadlines.at(-1)} ms`);
    await client.stopProcess('web', { gracePeriodMs: 60_000, deadlineMs: 150 });
    assert.ok(stopDeadlines.at(-1)! <= 150, `explicit: remaining ${stopDeadlines.at(-1)} ms`);
  });
});
