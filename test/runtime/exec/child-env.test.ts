/**
 * A child's environment: the daemon's own settings are not inherited, and the daemon's markers
 * are set last. Before, the markers were the first layer, so `env` or an env file could forge
 * STATEVISOR_PROCESS_ID (which recovery trusts), and NODE_OPTIONS reached every child `node`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { baseEnvOf } from '../../../src/runtime/exec/child-env.js';
import { spawnChild } from '../../../src/runtime/exec/spawn-child.js';
import { signalGroup, waitForGroupExit } from '../../../src/runtime/os/process-group.js';
import { validateSpec } from '../../../src/spec/validate.js';
import { newMarker } from '../../helpers/leaks.js';

/** /proc/PID/environ: the environment the process was started with. */
function environOf(pid: number): Record<string, string> {
  const entries = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').filter(Boolean);
  return Object.fromEntries(entries.map((entry) => [entry.slice(0, entry.indexOf('=')), entry.slice(entry.indexOf('=') + 1)]));
}

test('the base env drops STATEVISOR_*, NODE_* but NODE_ENV, and whatever holds the token or its file', () => {
  const daemonEnv = {
    PATH: '/usr/bin:/bin',
    LANG: 'C.UTF-8',
    NODE_ENV: 'production',
    NODE_OPTIONS: '--require /tmp/evil.js',
    NODE_PATH: '/daemon/modules',
    NODE_EXTRA_CA_CERTS: '/etc/ca.pem',
    NODE_TLS_REJECT_UNAUTHORIZED: '0',
    NODE_CHANNEL_FD: '3',
    STATEVISOR_SOCKET: '/run/sv.sock',
    STATEVISOR_STATE_DIR: '/var/lib/statevisor',
    STATEVISOR_PROCESS_ID: 'the-daemon-was-itself-supervised',
    TOKEN_PATH: '/etc/statevisor/token',
    RELATIVE_TOKEN: 'token',
    THE_TOKEN: 's3cret',
    UNRELATED: 'kept',
  };
  const base = baseEnvOf(daemonEnv, { tokenFile: 'token', token: 's3cret' });
  // The relative path given on the command line, and the same path resolved, are both removed.
  const resolved = baseEnvOf({ TOKEN_PATH: `${process.cwd()}/token` }, { tokenFile: 'token' });
  assert.deepEqual(base, { PATH: '/usr/bin:/bin', LANG: 'C.UTF-8', NODE_ENV: 'production', TOKEN_PATH: '/etc/statevisor/token', UNRELATED: 'kept' });
  assert.deepEqual(resolved, {});
  assert.deepEqual(baseEnvOf({ TOKEN_PATH: '/etc/statevisor/token' }, { tokenFile: '/etc/statevisor/token' }), {});
});

test("the base env drops what systemd set for the daemon's own unit: a child's READY=1 or MAINPID= would speak for the daemon", () => {
  // Under a Type=notify unit with NotifyAccess=all, a child that inherited NOTIFY_SOCKET (nginx,
  // postgres and others send to it when set) would tell systemd the daemon is ready, or move its
  // main pid; one that inherited STATE_DIRECTORY would keep its files in the daemon's state dir.
  const fromSystemd = {
    NOTIFY_SOCKET: '/run/systemd/notify',
    WATCHDOG_USEC: '30000000',
    WATCHDOG_PID: '1234',
    LISTEN_FDS: '1',
    LISTEN_PID: '1234',
    LISTEN_FDNAMES: 'web',
    MAINPID: '1234',
    RUNTIME_DIRECTORY: '/run/statevisor',
    STATE_DIRECTORY: '/var/lib/statevisor',
    CACHE_DIRECTORY: '/var/cache/statevisor',
    LOGS_DIRECTORY: '/var/log/statevisor',
    CONFIGURATION_DIRECTORY: '/etc/statevisor',
    CREDENTIALS_DIRECTORY: '/run/credentials/statevisor.service',
  };
  const kept = { PATH: '/usr/bin:/bin', INVOCATION_ID: '0123abcd', JOURNAL_STREAM: '8:1234' };
  assert.deepEqual(baseEnvOf({ ...fromSystemd, ...kept }), kept);
});

test('neither env nor an env file can change the markers a child carries', async (t) => {
  const marker = newMarker();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'statevisor-env-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(`${dir}/forged.env`, 'STATEVISOR_PROCESS_ID=from-file\nSTATEVISOR_STATE_DIR=/from/file\nFROM_FILE=yes\n');
  const valid = validateSpec({
    name: 'forger',
    command: 'sleep',
    args: [`3600.${marker}`],
    env_files: [`${dir}/forged.env`],
    env: { FROM_ENV: 'yes' },
    logs: { stdout: 'null', stderr: 'null' },
  });
  // Validation refuses a marker in env; the spawn must hold even if one slipped past it.
  const spec = { ...valid, env: { ...valid.env, STATEVISOR_PROCESS_ID: 'from-env', STATEVISOR_STATE_DIR: '/from/env' } };
  const child = await spawnChild(
    spec,
    {
      now: () => Date.now(),
      baseEnv: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
      markers: { STATEVISOR_PROCESS_ID: 'the-real-id', STATEVISOR_MANAGED_BY: '/the/real/state' },
    },
    {},
  );
  t.after(() => signalGroup(child.pgid, 'SIGKILL'));
  const environ = environOf(child.pid);
  assert.equal(environ.STATEVISOR_PROCESS_ID, 'the-real-id');
  assert.equal(environ.STATEVISOR_MANAGED_BY, '/the/real/state');
  assert.equal(environ.FROM_FILE, 'yes', 'the rest of the env file still applies');
  assert.equal(environ.FROM_ENV, 'yes');
  signalGroup(child.pgid, 'SIGKILL');
  // The daemon unrefs its children: wait on the group, not on the handle.
  await waitForGroupExit(child.pgid, { signal: AbortSignal.timeout(10_000) });
});
