// Issue 10, item 1: `statevisor logs NAME` printed nothing (exit 0) although the log held lines:
// -n defaulted to 0, and only stdout was read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { startTestDaemon, type DaemonHarness } from '../helpers/daemon-harness.js';
import { waitUntil } from '../helpers/leaks.js';
import { binary, cliOn, testEnv } from './run.js';

const holds = (file: string, text: string) => existsSync(file) && readFileSync(file, 'utf8').includes(text);

/**
 * A process that writes stderr first and stdout a clear while later (it waits for a file the test
 * makes once stderr is in its log), so that the stdout log is the one written last; then, on a
 * second go-ahead, one more line to each stream; then it sleeps (an exit could mean a restart).
 */
async function twoStreams(h: DaemonHarness): Promise<{ go: string; stdoutLog: string; stderrLog: string }> {
  const go = path.join(h.dir, 'go');
  const wait = (file: string) => `while [ ! -e ${file} ]; do sleep 0.05; done`;
  const script = [
    'echo err-1 >&2',
    wait(go),
    // File times tick coarsely (a few ms): a pause makes the stdout log's clearly the later one.
    'sleep 0.1',
    'echo out-1; echo out-2',
    wait(`${go}.live`),
    'echo live-out; echo live-err >&2',
    `exec sleep 3600.${h.marker}`,
  ].join('\n');
  await h.client.createProcess({ name: 'both', command: 'sh', args: ['-c', script] }, { start: true });
  const stdoutLog = path.join(h.stateDir, 'logs', 'both.stdout.log');
  const stderrLog = path.join(h.stateDir, 'logs', 'both.stderr.log');
  await waitUntil('stderr is in its log', () => holds(stderrLog, 'err-1'));
  writeFileSync(go, '');
  await waitUntil('stdout is in its log', () => holds(stdoutLog, 'out-2'));
  assert.ok(statSync(stdoutLog).mtimeMs > statSync(stderrLog).mtimeMs, 'the stdout log was written last');
  return { go, stdoutLog, stderrLog };
}

test('logs NAME prints the last lines of both streams, labelled, the stream written last at the bottom', async (t) => {
  const h = await startTestDaemon();
  t.after(() => h.close());
  const { go } = await twoStreams(h);
  const cli = cliOn(h.socket);

  const both = await cli('logs', 'both');
  assert.equal(both.code, 0, both.stderr);
  assert.equal(both.stdout, 'stderr | err-1\nstdout | out-1\nstdout | out-2\n');
  assert.equal(both.stderr, '');

  assert.equal((await cli('logs', 'both', '-n', '1')).stdout, 'stderr | err-1\nstdout | out-2\n', '-n counts lines per stream');
  assert.equal((await cli('logs', 'both', '--stdout')).stdout, 'out-1\nout-2\n', 'one stream chosen: its lines as written');
  assert.equal((await cli('logs', 'both', '--stderr')).stdout, 'err-1\n');
  assert.equal((await cli('logs', 'both', '--stdout', '--stderr')).stdout, both.stdout, 'both chosen: as with neither');

  const json = await cli('--json', 'logs', 'both', '-n', '1');
  assert.deepEqual(
    json.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as unknown),
    [{ stream: 'stderr', line: 'err-1' }, { stream: 'stdout', line: 'out-2' }],
  );
  writeFileSync(`${go}.live`, '');
});

test('logs -f prints the tails of both streams, then new lines of either as they come', async (t) => {
  const h = await startTestDaemon();
  t.after(() => h.close());
  const { go } = await twoStreams(h);
  const child = spawn(process.execPath, [binary, '--socket', h.socket, 'logs', 'both', '-f'], { env: testEnv() });
  t.after(() => child.kill('SIGKILL'));
  const lines: string[] = [];
  for await (const line of createInterface({ input: child.stdout })) {
    lines.push(line);
    if (lines.length === 3) writeFileSync(`${go}.live`, '');
    if (lines.length === 5) break;
  }
  child.kill('SIGTERM');
  assert.deepEqual(lines.slice(0, 3), ['stderr | err-1', 'stdout | out-1', 'stdout | out-2'], 'the tails first');
  assert.deepEqual(lines.slice(3).sort(), ['stderr | live-err', 'stdout | live-out'], 'then what both streams wrote');
});

test('logs NAME skips a stream that is not written to a file, with one line saying so', async (t) => {
  const h = await startTestDaemon();
  t.after(() => h.close());
  await h.client.createProcess(
    { name: 'half', command: 'sh', args: ['-c', `echo gone; echo kept >&2; exec sleep 3600.${h.marker}`], logs: { stdout: 'null' } },
    { start: true },
  );
  await waitUntil('stderr is in its log', () => holds(path.join(h.stateDir, 'logs', 'half.stderr.log'), 'kept'));
  const cli = cliOn(h.socket);

  const result = await cli('logs', 'half');
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stdout, 'stderr | kept\n');
  assert.deepEqual(result.stderr.trimEnd().split('\n'), ["statevisor: half's stdout is not written to a file (logs.stdout: null): showing stderr only"]);

  const chosen = await cli('logs', 'half', '--stdout');
  assert.equal(chosen.code, 1, 'asked for by name, a stream without a file is an error');
  assert.match(chosen.stderr, /logs\.stdout: null/);

  await h.client.createProcess({ name: 'mute', command: 'sleep', args: h.sleepArgs(), logs: { stdout: 'null', stderr: 'inherit' } });
  const neither = await cli('logs', 'mute');
  assert.equal(neither.code, 1);
  assert.match(neither.stderr, /^statevisor: mute writes neither stream to a file \(logs\.stdout: null, logs\.stderr: inherit\)\n$/);
});
