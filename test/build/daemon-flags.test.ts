/**
 * `statevisor daemon` runs with the daemon's Node flags (src/node-flags.ts): the executable's
 * first line carries them, as the kernel runs it (`/usr/bin/env` given the rest of the line as one
 * argument, then the script), so that an installed `statevisor daemon` gets them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { binary, testEnv } from '../helpers/daemon-binary.js';
import { waitUntil } from '../helpers/leaks.js';
import { createClient } from '../../src/client/index.js';
import { daemonNodeFlags } from '../../src/node-flags.js';

test("the executable's first line starts the daemon with the daemon's Node flags", { timeout: 60_000 }, async (t) => {
  const line = readFileSync(binary, 'utf8').split('\n')[0]!;
  assert.match(line, /^#!\/usr\/bin\/env /);
  const [interpreter, rest] = [line.slice(2, line.indexOf(' ')), line.slice(line.indexOf(' ') + 1)];
  const dir = mkdtempSync(path.join(os.tmpdir(), 'statevisor-flags-'));
  const socket = path.join(dir, 'statevisor.sock');
  const child = spawn(interpreter, [rest, binary, 'daemon', '--socket', socket, '--state-dir', path.join(dir, 'state')], {
    env: testEnv(),
    stdio: 'ignore',
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const client = createClient({ socket });
  t.after(async () => {
    client.close();
    child.kill('SIGTERM');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  });
  await waitUntil('the daemon answers', async () => (await client.health().catch(() => 'DOWN')) === 'SERVING', { timeoutMs: 30_000, intervalMs: 50 });
  const argv = readFileSync(`/proc/${child.pid}/cmdline`, 'utf8').split('\0');
  for (const flag of daemonNodeFlags) assert.ok(argv.includes(flag), `the daemon's command line ${JSON.stringify(argv)} has ${flag}`);
});
