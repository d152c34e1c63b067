/**
 * What a child's environment is made of (README, "A child's environment"). Before: the markers
 * were the first layer, so an env file or `env` could forge STATEVISOR_PROCESS_ID, which recovery
 * trusts; every child inherited the daemon's NODE_OPTIONS and STATEVISOR_* settings; and a child
 * run as another user got the daemon's HOME.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createClient, isInvalidArgument } from '../../src/client/index.js';
import { startTestDaemon } from '../helpers/daemon-harness.js';
import { startDaemonBinary, untilAnswering } from '../helpers/daemon-binary.js';
import { killMarked, newMarker, waitUntil } from '../helpers/leaks.js';
import { needsRoot } from '../helpers/requirements.js';

const bounded = { timeout: 90_000 };

function environOf(pid: number): Record<string, string> {
  const entries = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').filter(Boolean);
  return Object.fromEntries(entries.map((entry) => [entry.slice(0, entry.indexOf('=')), entry.slice(entry.indexOf('=') + 1)]));
}

function passwdEntry(name: string): { home: string } {
  const line = readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith(`${name}:`));
  assert.ok(line, `${name} is in /etc/passwd`);
  return { home: line.split(':')[5]! };
}

test('an env file cannot forge the markers; a user’s HOME, USER and LOGNAME replace the daemon’s', { ...bounded, skip: needsRoot && `${needsRoot}, to run a process as nobody` }, async (t) => {
  const h = await startTestDaemon();
  t.after(() => h.close());
  const envFile = path.join(h.dir, 'forged.env');
  writeFileSync(envFile, 'STATEVISOR_PROCESS_ID=forged\nSTATEVISOR_STATE_DIR=/forged\nFROM_FILE=yes\n');
  const created = await h.client.createProcess(
    { name: 'forger', command: 'sleep', args: h.sleepArgs(), envFiles: [envFile], user: 'nobody', workingDir: '/tmp', env: { FROM_ENV: 'yes' } },
    { start: true },
  );
  await waitUntil('forger runs', async () => (await h.client.describeProcess('forger')).process.pid > 0, { timeoutMs: 30_000 });
  const { pid } = (await h.client.describeProcess('forger')).process;
  const environ = environOf(pid);
  assert.equal(environ.STATEVISOR_PROCESS_ID, created.id);
  assert.equal(environ.STATEVISOR_MANAGED_BY, h.stateDir);
  assert.equal(environ.STATEVISOR_STATE_DIR, '/forged', 'a variable of the user’s (a daemon of its own would use it), not a marker');
  assert.equal(environ.FROM_FILE, 'yes');
  assert.equal(environ.FROM_ENV, 'yes');
  assert.equal(environ.HOME, passwdEntry('nobody').home, 'the user’s HOME, not the daemon’s');
  assert.equal(environ.USER, 'nobody');
  assert.equal(environ.LOGNAME, 'nobody');
});

test('a spec that sets a marker in env is refused at create and at update, naming env.STATEVISOR_PROCESS_ID', bounded, async (t) => {
  const h = await startTestDaemon();
  t.after(() => h.close());
  const forged = { name: 'forger', command: 'sleep', args: h.sleepArgs(), env: { STATEVISOR_PROCESS_ID: 'forged' } };
  await assert.rejects(h.client.createProcess(forged), (error: Error) => {
    assert.ok(isInvalidArgument(error));
    assert.match(error.message, /env\.STATEVISOR_PROCESS_ID: got "forged", expected no STATEVISOR_PROCESS_ID here: the daemon sets it on every child/);
    return true;
  });
  await h.client.createProcess({ name: 'plain', command: 'sleep', args: h.sleepArgs() });
  await assert.rejects(
    h.client.updateProcess('plain', { env: { STATEVISOR_MANAGED_BY: '/elsewhere' } }, { updateMask: ['env'] }),
    (error: Error) => isInvalidArgument(error) && /env\.STATEVISOR_MANAGED_BY/.test(error.message),
  );
});

test('a child does not inherit the daemon’s NODE_OPTIONS, NODE_*, STATEVISOR_* or token file path', bounded, async (t) => {
  const marker = newMarker();
  const dir = mkdtempSync(path.join(os.tmpdir(), `statevisor-env-${marker}-`));
  const socket = path.join(dir, 'sv.sock');
  const tokenFile = path.join(dir, 'token');
  writeFileSync(tokenFile, 'the-token\n', { mode: 0o600 });
  const daemon = startDaemonBinary(
    ['--socket', socket, '--state-dir', path.join(dir, 'state'), '--tcp', '127.0.0.1:0', '--token-file', tokenFile, '--log-level', 'warn'],
    {
      NODE_OPTIONS: '--max-old-space-size=512',
      NODE_PATH: '/daemon/node_modules',
      NODE_ENV: 'production',
      STATEVISOR_X: 'daemon-only',
      STATEVISOR_TOKEN_FILE: tokenFile,
      MY_TOKEN: tokenFile,
      KEPT_BY_CHILD: 'yes',
    },
  );
  const client = createClient({ socket });
  t.after(() => {
    client.close();
    daemon.child.kill('SIGKILL');
    killMarked(marker);
    rmSync(dir, { recursive: true, force: true });
  });
  await untilAnswering(daemon, client);
  const created = await client.createProcess({ name: 'child', command: 'sleep', args: [`3600.${marker}`] }, { start: true });
  await waitUntil('the child runs', async () => (await client.describeProcess('child')).process.pid > 0, { timeoutMs: 30_000 });
  const environ = environOf((await client.describeProcess('child')).process.pid);
  const daemonOwn = Object.keys(environ).filter((name) => /^(NODE_|STATEVISOR_)/.test(name) || name === 'MY_TOKEN');
  assert.deepEqual(daemonOwn.sort(), ['NODE_ENV', 'STATEVISOR_MANAGED_BY', 'STATEVISOR_PROCESS_ID']);
  assert.equal(environ.STATEVISOR_PROCESS_ID, created.id);
  assert.equal(environ.NODE_ENV, 'production', 'NODE_ENV is the application’s, not the daemon’s');
  assert.equal(environ.KEPT_BY_CHILD, 'yes');
  daemon.child.kill('SIGTERM');
  assert.equal((await daemon.exited).code, 0, daemon.output());
});
