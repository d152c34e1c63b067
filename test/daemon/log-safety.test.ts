/**
 * Log paths never harm what the daemon does not own (issue 9, item 2), and captured output stays
 * within its policy on disk at any write rate (item 5). Real daemon, real writers.
 *
 * Before the log pump: creating a process (not even started) whose logs.stdout named an existing
 * file truncated it; a path into the state dir was accepted and corrupted the journal; `yes` with
 * 64 KiB × 2 filled the logs dir with hundreds of MB and lost GBs to copy-and-truncate.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { isInvalidArgument, isNotFound } from '../../src/client/index.js';
import { startTestDaemon } from '../helpers/daemon-harness.js';
import { waitUntil } from '../helpers/leaks.js';

const deadline = { timeout: 90_000 };

/** Bytes of the files in `dir`; a sample that raced a rotation (a file renamed away) is taken again. */
function dirBytes(dir: string): number {
  for (;;) {
    try {
      return readdirSync(dir)
        .map((name) => statSync(path.join(dir, name)))
        .filter((s) => s.isFile())
        .reduce((sum, s) => sum + s.size, 0);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
}

test('a process whose logs.stdout names an existing file leaves it untouched until it runs, then only appends', deadline, async (t) => {
  const h = await startTestDaemon();
  t.after(() => h.close());
  const file = path.join(h.dir, 'existing.log');
  const before = `${'precious line\n'.repeat(8_000)}`;
  writeFileSync(file, before);
  await h.client.createProcess({
    name: 'appender',
    command: 'sh',
    args: ['-c', 'echo appended; exec sleep "$0"', ...h.sleepArgs()],
    logs: { stdout: file, stderr: 'null', maxBytes: 1024, maxFiles: 1 },
  });
  // Created, not started: the file is exactly as it was (the old rotator truncated it here).
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  assert.equal(readFileSync(file, 'utf8'), before);
  await h.client.startProcess('appender');
  await waitUntil('the line is appended', () => readFileSync(file, 'utf8').endsWith('appended\n'));
  assert.equal(readFileSync(file, 'utf8'), `${before}appended\n`, 'appended to, never truncated although past max_bytes');
  assert.equal(existsSync(`${file}.1`), false, 'a file statevisor did not create is never rotated');
  await h.client.stopProcess('appender');
});

test('a log path inside the state dir is refused naming the field, also through a symlinked directory', deadline, async (t) => {
  const h = await startTestDaemon();
  t.after(() => h.close());
  const journal = path.join(h.stateDir, 'store', 'journal.jsonl');
  const link = path.join(h.dir, 'innocent');
  symlinkSync(h.stateDir, link);
  for (const target of [journal, path.join(link, 'store', 'journal.jsonl'), path.join(h.stateDir, 'logs', 'x.log')]) {
    await assert.rejects(
      h.client.createProcess({ name: 'sneaky', command: 'true', logs: { stdout: 'capture', stderr: target } }),
      (error: Error) => isInvalidArgument(error) && /logs\.stderr/.test(error.message) && /state dir/.test(error.message),
      target,
    );
  }
  // An update cannot sneak it in either.
  await h.client.createProcess({ name: 'plain', command: 'true' });
  await assert.rejects(
    h.client.updateProcess('plain', { logs: { stdout: journal } }),
    (error: Error) => isInvalidArgument(error) && /logs\.stdout/.test(error.message),
  );
});

test('log paths in /proc, /sys and /dev, or with dot segments, are refused', deadline, async (t) => {
  const h = await startTestDaemon();
  t.after(() => h.close());
  for (const target of ['/proc/sysrq-trigger', '/dev/sda', '/sys/kernel/x', '/dev/null', '/tmp/../proc/sysrq-trigger', '/tmp/./x']) {
    await assert.rejects(
      h.client.createProcess({ name: 'danger', command: 'true', logs: { stdout: target } }),
      (error: Error) => isInvalidArgument(error) && /logs\.stdout/.test(error.message),
      target,
    );
  }
});

test('a symlink planted at a log path is not followed: the start fails and its target is untouched', deadline, async (t) => {
  const h = await startTestDaemon();
  t.after(() => h.close());
  const victim = path.join(h.dir, 'secret');
  writeFileSync(victim, 'secret\n');
  const file = path.join(h.dir, 'out', 'planted.log');
  mkdirSync(path.dirname(file));
  symlinkSync(victim, file);
  await h.client.createProcess({ name: 'planted', command: 'sh', args: ['-c', 'echo leak; exec sleep "$0"', ...h.sleepArgs()], logs: { stdout: file } });
  await h.client.startProcess('planted');
  await waitUntil('the start has failed', async () => (await h.client.describeProcess('planted')).process.state === 'FAILED');
  const { process: p } = await h.client.describeProcess('planted');
  assert.match(p.lastError, /logs\.stdout.*(ELOOP|symbolic link)/);
  assert.equal(readFileSync(victim, 'utf8'), 'secret\n');
});

test('`yes` with max_bytes 64 KiB × 2 keeps the logs dir within (max_files + 1) × max_bytes, losing nothing', deadline, async (t) => {
  const h = await startTestDaemon();
  t.after(() => h.close());
  const maxBytes = 64 * 1024;
  await h.client.createProcess(
    {
      name: 'flood',
      // yes prints its argument: the marker stays on its command line for the leak check.
      command: 'yes',
      args: h.sleepArgs(),
      logs: { stdout: 'capture', stderr: 'null', maxBytes, maxFiles: 2 },
    },
    { start: true },
  );
  const logs = path.join(h.stateDir, 'logs');
  let peak = 0;
  // Sampled as often as the loop allows while 2,000 rotations (130 MB) go by.
  await waitUntil(
    '2,000 rotations',
    async () => {
      peak = Math.max(peak, dirBytes(logs));
      return (await h.client.getStatus()).logRotations >= 2_000;
    },
    { timeoutMs: 60_000, intervalMs: 1 },
  );
  await h.client.stopProcess('flood');
  peak = Math.max(peak, dirBytes(logs));
  t.diagnostic(`peak ${peak} bytes on disk`);
  // The live file and two copies, none ever past max_bytes (the pump rotates before a write would pass it).
  assert.ok(peak <= 3 * maxBytes, `the logs dir held ${peak} bytes, over three files of max_bytes`);
  assert.equal((await h.client.getStatus()).logBytesLost, 0);
});

test('delete removes the captured logs, so a new process of the same name starts with its own; --keep-logs moves them aside', deadline, async (t) => {
  // Regression: after `delete --force` and a new `create` of the same name, `logs` showed the
  // old process's output (the files were kept and appended to).
  const h = await startTestDaemon();
  t.after(() => h.close());
  const logs = path.join(h.stateDir, 'logs');
  const file = path.join(logs, 'talker.stdout.log');
  const talker = (word: string) => ({ name: 'talker', command: 'sh', args: ['-c', `echo ${word}; exec sleep "$0"`, ...h.sleepArgs()] });
  await h.client.createProcess(talker('old'), { start: true });
  await waitUntil('old is logged', () => existsSync(file) && readFileSync(file, 'utf8') === 'old\n');
  assert.deepEqual(await h.client.deleteProcess('talker', { force: true }), { keptLogs: '' });
  assert.equal(existsSync(file), false, 'the captured log is removed with its process');
  await h.client.createProcess(talker('new'), { start: true });
  await waitUntil('new is logged', () => existsSync(file) && readFileSync(file, 'utf8').length > 0);
  assert.equal(readFileSync(file, 'utf8'), 'new\n', 'only the new process’s output');

  const { keptLogs } = await h.client.deleteProcess('talker', { force: true, keepLogs: true });
  assert.match(keptLogs, /\/logs\/deleted\/talker-\d{8}T\d{6}Z$/);
  assert.equal(readFileSync(path.join(keptLogs, 'talker.stdout.log'), 'utf8'), 'new\n');
  assert.equal(existsSync(file), false);
});

test('two deletes of one process racing each other, keeping logs, never answer INTERNAL', deadline, async (t) => {
  // Found by the fuzzer: the second one's rename found the file moved by the first (ENOENT).
  const h = await startTestDaemon();
  t.after(() => h.close());
  for (let round = 0; round < 10; round += 1) {
    const name = `racer-${round}`;
    await h.client.createProcess({ name, command: 'sh', args: ['-c', 'echo out; echo err >&2; exec sleep "$0"', ...h.sleepArgs()] }, { start: true });
    await waitUntil(`${name} logged`, () => existsSync(path.join(h.stateDir, 'logs', `${name}.stderr.log`)));
    const results = await Promise.allSettled([
      h.client.deleteProcess(name, { force: true, keepLogs: true }),
      h.client.deleteProcess(name, { force: true, keepLogs: true }),
    ]);
    for (const result of results) {
      if (result.status === 'rejected') assert.ok(isNotFound(result.reason), `${name}: ${(result.reason as Error).message}`);
    }
  }
});
