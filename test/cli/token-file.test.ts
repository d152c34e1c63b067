/**
 * A token file others can read is refused, by the daemon and by the CLI, as ssh refuses a
 * private key: before, a world-readable --token-file was used silently.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { chownSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startDaemonBinary } from '../helpers/daemon-binary.js';
import { oneErrorLine, runCli } from './run.js';

const bounded = { timeout: 60_000 };
const asRoot = process.getuid?.() === 0;

function tokenFile(t: TestContext, mode: number): { dir: string; file: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'statevisor-token-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'token');
  writeFileSync(file, 'the-token\n', { mode });
  return { dir, file };
}

async function daemonRefusal(dir: string, file: string): Promise<string> {
  const daemon = startDaemonBinary(['--socket', path.join(dir, 'sv.sock'), '--state-dir', path.join(dir, 'state'), '--tcp', '127.0.0.1:0', '--token-file', file]);
  const exit = await Promise.race([daemon.exited, new Promise<'running'>((resolve) => setTimeout(() => resolve('running'), 20_000))]);
  if (exit === 'running') {
    daemon.child.kill('SIGKILL');
    assert.fail(`the daemon started with an unsafe token file: ${daemon.output()}`);
  }
  assert.equal(exit.code, 1, daemon.output());
  return daemon.output();
}

for (const mode of [0o644, 0o640, 0o604]) {
  const octal = `0${mode.toString(8)}`;
  test(`statevisor daemon refuses a --token-file with permissions ${octal}, naming them and the fix`, bounded, async (t) => {
    const { dir, file } = tokenFile(t, mode);
    assert.equal(
      await daemonRefusal(dir, file),
      `statevisor: --token-file: permissions ${octal} for '${file}' are too open: a token must be readable by its owner only; fix: chmod 600 ${file}\n`,
    );
  });
}

test('statevisor daemon refuses a --token-file owned by another user', { ...bounded, skip: !asRoot && 'needs root to chown to nobody' }, async (t) => {
  const { dir, file } = tokenFile(t, 0o600);
  chownSync(file, 65534, 65534);
  assert.equal(
    await daemonRefusal(dir, file),
    `statevisor: --token-file: '${file}' is owned by uid 65534, not by uid 0 that reads it, who could change it; fix: chown 0 ${file}\n`,
  );
});

test('the CLI refuses a --token-file others can read, before sending anything', bounded, async (t) => {
  const { file } = tokenFile(t, 0o644);
  const result = await runCli(['ls', '--addr', '127.0.0.1:1', '--token-file', file]);
  assert.equal(result.code, 2);
  assert.equal(
    oneErrorLine(result),
    `statevisor: --token-file: permissions 0644 for '${file}' are too open: a token must be readable by its owner only; fix: chmod 600 ${file}`,
  );
});
