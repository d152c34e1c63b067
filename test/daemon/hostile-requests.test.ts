/**
 * No request ends the daemon. Requests whose error message once killed it (a quoted value cut
 * inside an emoji: grpc-js threw URIError while sending the status) or stalled its connection
 * (a 1 MB name quoted whole in a trailer) are answered with a bounded, well-formed status, and a
 * handler that fails unexpectedly answers INTERNAL: the daemon keeps answering after each.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { status } from '@grpc/grpc-js';
import { createClient, hasCode, isInvalidArgument, isNotFound } from '../../src/client/index.js';
import type { RpcError } from '../../src/client/errors.js';
import { drain, rejection } from '../helpers/outcomes.js';
import { startDaemonBinary, testEnv } from '../helpers/daemon-binary.js';
import { runCli } from '../cli/run.js';
import { startTestDaemon } from '../helpers/daemon-harness.js';
import { killMarked, newMarker, waitUntil } from '../helpers/leaks.js';

const emoji = '\u{1F600}';


function assertInternal(error: RpcError, rpc: string): void {
  assert.equal(error.grpcCode, status.INTERNAL, `${rpc}: ${error.message}`);
  assert.ok(hasCode(error, 'E_INTERNAL'));
  assert.match(error.message, new RegExp(`internal error in ${rpc}`));
}

test('emoji values, a 1 MB name and ill-formed UTF-16 get bounded, well-formed errors from the daemon binary, which keeps answering', async (t) => {
  const marker = newMarker();
  const dir = mkdtempSync(path.join(os.tmpdir(), `statevisor-hostile-${marker}-`));
  const socket = path.join(dir, 'statevisor.sock');
  const daemon = startDaemonBinary(['--socket', socket, '--state-dir', path.join(dir, 'state'), '--log-level', 'fatal']);
  const client = createClient({ socket });
  t.after(async () => {
    client.close();
    if (daemon.child.exitCode === null) {
      daemon.child.kill('SIGTERM');
      await daemon.exited;
    }
    killMarked(marker);
    rmSync(dir, { recursive: true, force: true });
  });
  await waitUntil('the daemon answers', () => client.health().then(() => true, () => false), { timeoutMs: 30_000, intervalMs: 100 });
  const alive = async (after: string) => {
    assert.equal(daemon.child.exitCode, null, `the daemon exited after ${after}: ${daemon.output().slice(-2000)}`);
    assert.equal((await client.getStatus({ deadlineMs: 5_000 })).pid, daemon.child.pid, `the daemon answers after ${after}`);
  };

  const policy = await rejection(client.createProcess({ name: 'p', command: 'true', restart: { policy: `x${emoji.repeat(40)}` as never } }));
  assert.ok(isInvalidArgument(policy), policy.message);
  assert.ok(policy.message.isWellFormed());
  assert.match(policy.message, /restart\.policy: got "x\u{1F600}+", expected one of /u);
  await alive('the emoji policy');

  const name = await rejection(client.createProcess({ name: emoji.repeat(40), command: 'true' }));
  assert.ok(isInvalidArgument(name), name.message);
  assert.ok(name.message.isWellFormed());
  assert.match(name.message, /name: got "\u{1F600}+/u);
  await alive('the emoji name');

  for (const [what, nameOrId] of [
    ['a 1 MB name', 'y'.repeat(1_000_000)],
    ['20,000 two-byte characters', '\u00e9'.repeat(20_000)],
    ['a lone surrogate', `a\ud83d${emoji.repeat(3000)}`],
  ] as const) {
    const missing = await rejection(client.describeProcess(nameOrId, { deadlineMs: 5_000 }));
    assert.ok(isNotFound(missing), `${what}: ${missing.message}`);
    assert.ok(missing.message.isWellFormed(), what);
    assert.ok(encodeURI(missing.message).length <= 4096, `${what}: the status message is bounded, got ${missing.message.length} characters`);
    await alive(what);
  }
});

test('a handler that throws, synchronously or not, answers INTERNAL and the daemon keeps answering', async (t) => {
  const h = await startTestDaemon();
  t.after(() => h.close());
  const { reads, verbs } = h.daemon.parts;
  // Bugs planted in the daemon under test, one per path a handler can fail by; taken out before it stops.
  const planted = [
    [
      reads,
      {
        listInputs: () => {
          throw new TypeError('planted: list failed');
        },
        snapshotEvents: () => {
          throw new TypeError('planted: snapshot failed');
        },
        // Not a path: opening it fails once the stream has begun, in the stream's async body.
        logFileOf: () => 42,
      },
    ],
    [verbs, { create: () => Promise.reject(new RangeError('planted: create failed')) }],
  ] as const;
  const originals = planted.map(
    ([target, bugs]) => [target, Object.fromEntries(Object.keys(bugs).map((key) => [key, target[key as keyof typeof target]]))] as const,
  );
  for (const [target, bugs] of planted) Object.assign(target, bugs);
  try {
    assertInternal(await rejection(h.client.listProcesses()), 'ListProcesses');
    assertInternal(await rejection(h.client.createProcess({ name: 'web', command: 'true' })), 'CreateProcess');
    assertInternal(await rejection(drain(h.client.watchEvents())), 'WatchEvents');
    assertInternal(await rejection(drain(h.client.streamLogs('anything', { tailLines: 10 }))), 'StreamLogs');
    assert.equal((await h.client.getStatus()).pid, process.pid, 'the daemon still answers');
  } finally {
    for (const [target, methods] of originals) Object.assign(target, methods);
  }
});

test('a watcher whose event cannot be sent ends with INTERNAL; the publisher and other watchers are unharmed', async (t) => {
  const h = await startTestDaemon();
  t.after(() => h.close());
  const { events } = h.daemon.parts;
  await h.client.createProcess({ name: 'web', command: 'sleep', args: h.sleepArgs() });
  const broken = h.client.watchEvents();
  const healthy = createClient({ socket: h.socket });
  t.after(() => healthy.close());
  const first = await broken.next();
  assert.equal(first.done, false, 'the snapshot of web comes first');
  // A record that the wire conversion cannot read: the watcher's delivery throws.
  assert.doesNotThrow(() => events.publish({ type: 'created', snapshot: false, at: Date.now() } as never));
  assertInternal(await rejection(drain(broken)), 'WatchEvents');
  await h.client.createProcess({ name: 'api', command: 'sleep', args: h.sleepArgs() });
  assert.deepEqual((await healthy.listProcesses()).map((p) => p.name).sort(), ['api', 'web']);
});


test('the daemon binary outlives an uncaught exception and an unhandled rejection, logs their stacks, and counts them in status', async (t) => {
  const marker = newMarker();
  const dir = mkdtempSync(path.join(os.tmpdir(), `statevisor-last-resort-${marker}-`));
  const socket = path.join(dir, 'statevisor.sock');
  // Planted from outside the daemon (a module Node loads first): on SIGUSR2, one of each.
  const plant = path.join(dir, 'plant.mjs');
  writeFileSync(
    plant,
    `process.on('SIGUSR2', () => {
      setImmediate(() => { throw new Error('planted exception ${marker}'); });
      Promise.reject(new Error('planted rejection ${marker}'));
    });\n`,
  );
  const env = { ...testEnv(), NODE_OPTIONS: `--import ${plant}` };
  const daemon = startDaemonBinary(['--socket', socket, '--state-dir', path.join(dir, 'state'), '--log-level', 'error'], env);
  const client = createClient({ socket });
  t.after(async () => {
    client.close();
    if (daemon.child.exitCode === null) {
      daemon.child.kill('SIGTERM');
      await daemon.exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });
  await waitUntil('the daemon answers', () => client.health().then(() => true, () => false), { timeoutMs: 30_000, intervalMs: 100 });
  assert.equal((await client.getStatus()).uncaughtErrors, 0);

  daemon.child.kill('SIGUSR2');
  const logged = () => daemon.output().includes(`planted exception ${marker}`) && daemon.output().includes(`planted rejection ${marker}`);
  await waitUntil('both errors are logged, or the daemon exits', () => logged() || daemon.child.exitCode !== null);
  assert.equal(daemon.child.exitCode, null, `the daemon exited: ${daemon.output().slice(-2000)}`);
  assert.match(daemon.output(), /"msg":"uncaught error; the daemon keeps running"/);
  assert.match(daemon.output(), /"stack":"Error: planted exception \d+\\n\s+at /);
  assert.equal((await client.getStatus()).uncaughtErrors, 2);
  const status = await runCli(['--socket', socket, 'status']);
  assert.match(status.stdout, /uncaught errors\s+2 \(logged with their stacks; the daemon kept running\)/);
});
