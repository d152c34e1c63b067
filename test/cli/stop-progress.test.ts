// Issue 10, item 4: a stop that waits out its grace period printed nothing until it was over.
// Now a terminal gets one line, rewritten each second; anything else gets only the result.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { startTestDaemon } from '../helpers/daemon-harness.js';
import { waitUntil } from '../helpers/leaks.js';
import { progressLine } from '../../src/cli/stop-progress.js';
import { binary, cliOn, testEnv } from './run.js';

test('progressLine counts whole seconds of the grace period, then says the kill is due', () => {
  assert.equal(progressLine('api', 3_400, 10_000), 'stopping api… 3s of 10s grace');
  assert.equal(progressLine('api', 1_000, 1_500), 'stopping api… 1s of 1.5s grace');
  assert.equal(progressLine('api', 9_999, 10_000), 'stopping api… 9s of 10s grace');
  assert.equal(progressLine('api', 10_000, 10_000), 'stopping api… 10s grace period over, sending SIGKILL');
});

/** util-linux `script` runs a command on a pseudo-terminal: the CLI then sees a TTY, as a user's would be. */
const script = (() => {
  try {
    execFileSync('script', ['--version'], { stdio: 'ignore' });
    return 'script';
  } catch {
    return undefined;
  }
})();

const quote = (arg: string) => `'${arg.replace(/'/g, `'\\''`)}'`;

test(`stop shows one updating line on a terminal while the grace period runs, and nothing extra otherwise${script ? '' : ' (skipped: util-linux script not found; apt-get install bsdutils)'}`, { skip: script === undefined }, async (t) => {
  const h = await startTestDaemon();
  t.after(() => h.close());
  // Ignores SIGTERM: the stop lasts the whole grace period.
  const ignoring = `trap '' TERM; while :; do sleep 0.05; done # ${h.marker}`;
  await h.client.createProcess({ name: 'slow', command: 'sh', args: ['-c', ignoring], stop: { gracePeriodMs: 2_000 } }, { start: true });
  const running = async () => (await h.client.describeProcess('slow')).process.state === 'RUNNING';
  await waitUntil('slow runs', running);

  const command = [process.execPath, binary, '--socket', h.socket, 'stop', 'slow'].map(quote).join(' ');
  const onTerminal = await new Promise<string>((resolve, reject) =>
    execFile('script', ['-qec', command, '/dev/null'], { env: testEnv(), timeout: 60_000 }, (error, stdout) => (error ? reject(error) : resolve(stdout))),
  );
  assert.match(onTerminal, /\r\u001b\[Kstopping slow… 1s of 2s grace/, 'the line, drawn over itself');
  assert.match(onTerminal, /\r\u001b\[Kstopped slow \(STOPPED\)\r?\n$/, 'erased before the result');

  await h.client.startProcess('slow');
  await waitUntil('slow runs again', running);
  const piped = await cliOn(h.socket)('stop', 'slow');
  assert.deepEqual(piped, { stdout: 'stopped slow (STOPPED)\n', stderr: '', code: 0 }, 'not a terminal: the result alone');
});
