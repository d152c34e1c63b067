import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { startTestDaemon } from '../helpers/daemon-harness.js';
import { waitUntil } from '../helpers/leaks.js';
import { readUntil } from '../helpers/streams.js';
import { isInvalidState } from '../../src/client/index.js';

test('captured output: the last N lines, then new lines as they are written', async (t) => {
  const h = await startTestDaemon();
  t.after(() => h.close());
  await h.client.createProcess(
    { name: 'talker', command: 'sh', args: ['-c', `i=0; while :; do i=$((i+1)); echo "line $i"; echo "err $i" >&2; sleep 0.02; done # ${h.marker}`] },
    { start: true },
  );
  const stdoutFile = path.join(h.stateDir, 'logs', 'talker.stdout.log');
  await waitUntil('ten lines are written', () => existsSync(stdoutFile) && statSync(stdoutFile).size > 60);

  const tail = (await readUntil((signal) => h.client.streamLogs('talker', { tailLines: 3, signal }))).map((l) => l.line);
  assert.equal(tail.length, 3);
  const numbers = tail.map((l) => Number(/^line (\d+)$/.exec(l)?.[1]));
  assert.deepEqual(numbers, [numbers[0]!, numbers[0]! + 1, numbers[0]! + 2], `consecutive lines: ${tail}`);

  const followed = (
    await readUntil((signal) => h.client.streamLogs('talker', { stream: 'stderr', tailLines: 1, follow: true, signal }), (lines) => lines.length === 5, {
      what: 'five followed lines',
    })
  ).map((l) => l.line);
  const errs = followed.map((l) => Number(/^err (\d+)$/.exec(l)?.[1]));
  for (let i = 1; i < errs.length; i += 1) assert.equal(errs[i], errs[i - 1]! + 1, `in order, none missing: ${followed}`);
});

test('logs rotate at max_bytes keeping max_files, and follow continues across a rotation', async (t) => {
  const h = await startTestDaemon();
  t.after(() => h.close());
  await h.client.createProcess(
    {
      name: 'chatty',
      command: 'sh',
      args: ['-c', `i=0; while :; do i=$((i+1)); echo "line $i padding-padding-padding-padding"; sleep 0.002; done # ${h.marker}`],
      logs: { stdout: 'capture', stderr: 'null', maxBytes: 20_000, maxFiles: 2 },
    },
    { start: true },
  );
  const file = path.join(h.stateDir, 'logs', 'chatty.stdout.log');
  const seen = (
    await readUntil((signal) => h.client.streamLogs('chatty', { follow: true, signal }), (lines) => existsSync(`${file}.2`) && lines.length > 50, {
      what: 'two rotations while following',
    })
  ).map((l) => Number(/^line (\d+)/.exec(l.line)?.[1]));
  // Stopped first: a look during a rotation could find a name between its rename and its reopen.
  await h.client.stopProcess('chatty');
  assert.ok(existsSync(`${file}.1`) && existsSync(`${file}.2`), 'two rotated files are kept');
  assert.equal(existsSync(`${file}.3`), false, 'no more than max_files');
  // The log pump rotates before a write would pass max_bytes: no file ever holds more, and the
  // copies are full up to the last whole line that fit (lines here are under 60 bytes).
  for (const f of [file, `${file}.1`, `${file}.2`]) {
    assert.ok(statSync(f).size <= 20_000, `${path.basename(f)} holds ${statSync(f).size} bytes, over max_bytes`);
  }
  assert.ok(statSync(`${file}.1`).size > 20_000 - 60, `${statSync(`${file}.1`).size} bytes in a rotated copy: it was cut early`);
  const increasing = seen.every((n, i) => i === 0 || n > seen[i - 1]!);
  assert.ok(increasing, 'the follower moved forward across the rotation');
});

test('a stream that is not captured is refused with the reason', async (t) => {
  const h = await startTestDaemon();
  t.after(() => h.close());
  await h.client.createProcess({ name: 'quiet', command: 'sleep', args: h.sleepArgs(), logs: { stdout: 'null' } });
  await assert.rejects(readUntil((signal) => h.client.streamLogs('quiet', { signal })), (e) => isInvalidState(e) && /logs\.stdout: null/.test((e as Error).message));
});
