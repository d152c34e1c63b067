import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { startTestDaemon } from '../helpers/daemon-harness.js';
import { readUntil } from '../helpers/streams.js';
import { binary, testEnv } from './run.js';

test('statevisor events prints the snapshot first, then live changes, one JSON object per line', async (t) => {
  const h = await startTestDaemon();
  t.after(() => h.close());
  await h.client.createProcess({ name: 'web', command: 'sleep', args: h.sleepArgs() });
  // `events` follows until interrupted: run it as a child and stop it once it has shown enough.
  const child = spawn(process.execPath, [binary, '--socket', h.socket, 'events', '--json'], { env: testEnv() });
  t.after(() => child.kill('SIGKILL'));
  const lines = createInterface({ input: child.stdout });
  type Event = { type: string; snapshot: boolean; to: string; process?: { name: string } };
  let started: Promise<unknown> | undefined;
  const events = (
    await readUntil(
      lines,
      (read) => {
        const event = JSON.parse(read.at(-1)!) as Event;
        if (event.snapshot) started ??= h.client.startProcess('web');
        return event.to === 'RUNNING';
      },
      { what: 'the transition to RUNNING' },
    )
  ).map((line) => JSON.parse(line) as Event);
  await started;
  child.kill('SIGTERM');
  assert.equal(events[0]?.type, 'snapshot');
  assert.equal(events[0]?.process?.name, 'web');
  assert.deepEqual(
    events.slice(1).map((e) => e.to),
    ['STARTING', 'RUNNING'],
  );
});
