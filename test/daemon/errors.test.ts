import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestDaemon } from '../helpers/daemon-harness.js';
import { waitUntil } from '../helpers/leaks.js';
import {
  hasCode,
  isAlreadyExists,
  isInvalidArgument,
  isInvalidState,
  isNotFound,
} from '../../src/client/index.js';

test('each error code of the API reaches the client with its helper', async (t) => {
  const h = await startTestDaemon();
  t.after(() => h.close());
  const { client } = h;
  await client.createProcess({ name: 'one', command: 'sleep', args: h.sleepArgs() }, { start: true });

  await assert.rejects(client.startProcess('nobody'), isNotFound);
  await assert.rejects(client.stopProcess('nobody'), isNotFound);
  await assert.rejects(client.restartProcess('nobody'), isNotFound);
  await assert.rejects(client.deleteProcess('nobody'), isNotFound);
  await assert.rejects(client.describeProcess('nobody'), isNotFound);
  await assert.rejects(client.updateProcess('nobody', { restart: { policy: 'always' } }), isNotFound);
  await assert.rejects(client.signalProcess('nobody', 'HUP'), isNotFound);

  await assert.rejects(client.createProcess({ name: 'one', command: 'true' }), isAlreadyExists);
  await assert.rejects(client.startProcess('one'), isInvalidState);
  await assert.rejects(client.deleteProcess('one'), isInvalidState);

  await assert.rejects(client.signalProcess('one', 'SIGNOPE'), isInvalidArgument);
  await assert.rejects(client.listProcesses({ labelSelector: 'no-equals-sign' }), isInvalidArgument);

  await client.stopProcess('one');
  await assert.rejects(client.getResourceUsage('one'), isInvalidState, 'not running: nothing to measure');
  await assert.rejects(client.signalProcess('one', 'HUP'), isInvalidState);
});

test('bad specs get INVALID_ARGUMENT naming each field, its value and what was expected', async (t) => {
  const h = await startTestDaemon();
  t.after(() => h.close());
  const error = await h.client
    .createProcess({
      name: '../escape',
      command: 'sleep',
      restart: { policy: 'sometimes' as never, delayMs: -5 },
      stop: { signal: 'SIGBOGUS', killMode: 'everything' as never },
    })
    .then(
      () => undefined,
      (e: unknown) => e,
    );
  assert.ok(isInvalidArgument(error), String(error));
  assert.ok(hasCode(error, 'E_SPEC_INVALID'));
  const message = (error as Error).message;
  for (const expected of ['name', 'restart.policy', '"sometimes"', 'restart.delay', 'stop.signal', 'SIGBOGUS', 'stop.kill_mode']) {
    assert.ok(message.includes(expected), `message lacks ${expected}: ${message}`);
  }
  assert.deepEqual(await h.client.listProcesses(), [], 'nothing was created');
});

test('huge and hostile inputs are refused, and the daemon keeps answering', async (t) => {
  const h = await startTestDaemon();
  t.after(() => h.close());
  const huge = 'x'.repeat(1_000_000);
  await assert.rejects(h.client.createProcess({ name: huge, command: 'true' }), isInvalidArgument);
  await assert.rejects(h.client.createProcess({ name: 'ok', command: huge }), isInvalidArgument);
  await assert.rejects(h.client.createProcess({ name: 'nul', command: 'a\u0000b' }), isInvalidArgument);
  await assert.rejects(h.client.createProcess({ name: 'dots', command: 'true', workingDir: 'relative/dir' }), isInvalidArgument);
  await assert.rejects(h.client.stopProcess('nobody', { gracePeriodMs: -1 }), (e) => isInvalidArgument(e) || isNotFound(e));
  const status = await h.client.getStatus();
  assert.equal(status.processCount, 0);
  assert.deepEqual(status.unimplementedRpcs, [], 'every RPC is implemented');
});

test('update applies hot fields at once and reports restart-required ones; dry run changes nothing', async (t) => {
  const h = await startTestDaemon();
  t.after(() => h.close());
  const { client } = h;
  await client.createProcess({ name: 'svc', command: 'sleep', args: h.sleepArgs() }, { start: true });
  const dry = await client.updateProcess('svc', { restart: { policy: 'always' }, args: ['1'] }, { updateMask: ['restart.policy', 'args'], dryRun: true });
  assert.deepEqual(dry.updatedFields, ['args', 'restart.policy']);
  assert.deepEqual(dry.restartRequiredFields, ['args']);
  assert.equal((await client.describeProcess('svc')).spec?.restart?.policy, 'on-failure', 'dry run changed nothing');

  const hot = await client.updateProcess('svc', { restart: { policy: 'always' } }, { updateMask: ['restart.policy'] });
  assert.deepEqual(hot.updatedFields, ['restart.policy']);
  assert.deepEqual(hot.restartRequiredFields, []);
  assert.equal(hot.processRestarted, false);
  assert.equal((await client.describeProcess('svc')).spec?.restart?.policy, 'always');

  // A start completes asynchronously (the cgroup, the spawn): wait for the pid of each run.
  const runningPid = async () => {
    let pid = 0;
    await waitUntil('svc runs', async () => {
      const { process } = await client.describeProcess('svc');
      pid = process.pid;
      return process.state === 'RUNNING' && pid > 0;
    });
    return pid;
  };
  const before = await runningPid();
  const cold = await client.updateProcess('svc', { args: [`3601.${h.marker}`] }, { updateMask: ['args'], restartProcess: true });
  assert.deepEqual(cold.restartRequiredFields, ['args']);
  assert.equal(cold.processRestarted, true);
  const after = await runningPid();
  assert.deepEqual((await client.describeProcess('svc')).process.args, [`3601.${h.marker}`]);
  assert.notEqual(after, before);
});
