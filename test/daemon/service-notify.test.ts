/**
 * The daemon under a Type=notify unit: started from the very ExecStart line `statevisor startup
 * systemd` writes, with $NOTIFY_SOCKET on a stand-in for systemd's socket, it sends READY=1 (in
 * the daemon's own pid's name) only once it answers and has loaded its config, its ExecReload
 * line reloads it, and SIGTERM sends STOPPING=1 before it stops. Its children do not inherit
 * the socket. The daemon's temp dir carries the marker, so `after` kills whatever a failure left.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { killMarked, newMarker, waitUntil } from '../helpers/leaks.js';
import { binary, startDaemonBinary, testEnv } from '../helpers/daemon-binary.js';
import { listenNotifySocket } from '../helpers/notify-socket.js';
import { needsSystemdNotify } from '../helpers/requirements.js';
import { recordingLogger } from '../helpers/recording-logger.js';
import { cliOn, type CliResult } from '../cli/run.js';
import { systemdUnit } from '../../src/cli/startup/systemd-unit.js';
import { serviceNotifier } from '../../src/server/service-notify.js';
import { daemonNodeFlags } from '../../src/node-flags.js';

/** The unit's `Key=` line, split into words: the paths here hold nothing systemd would quote. */
function commandOf(unit: string, key: string): string[] {
  const line = unit.split('\n').find((l) => l.startsWith(`${key}=`));
  assert.ok(line !== undefined && !/["%$]/.test(line), `a plain ${key}= line in:\n${unit}`);
  return line.slice(key.length + 1).split(' ');
}

function run(words: readonly string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(words[0]!, words.slice(1), { env: testEnv(), timeout: 60_000 }, (error, stdout, stderr) =>
      resolve({ stdout, stderr, code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1 }),
    );
  });
}

test('started by the unit’s ExecStart, the daemon sends READY=1 as itself once it answers with its config loaded, reloads by ExecReload, and sends STOPPING=1 on SIGTERM', { timeout: 120_000, skip: needsSystemdNotify }, async (t) => {
  const marker = newMarker();
  const dir = mkdtempSync(path.join(os.tmpdir(), `statevisor-notify-${marker}-`));
  const socket = path.join(dir, 'statevisor.sock');
  const config = path.join(dir, 'config');
  mkdirSync(config);
  writeFileSync(path.join(config, 'sleeper.yaml'), `command: sleep\nargs: ["3600.${marker}"]\nauto_start: true\nstop: { grace_period: 2s }\n`);
  const notify = await listenNotifySocket(path.join(dir, 'notify.sock'));
  t.after(async () => {
    killMarked(marker);
    await notify.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const unit = systemdUnit({
    node: process.execPath,
    statevisor: realpathSync(binary),
    socket,
    stateDir: path.join(dir, 'state'),
    config,
    notify: true,
    version: 'test',
  });
  assert.match(unit, /^Type=notify$/m);
  const start = commandOf(unit, 'ExecStart');
  const head = [process.execPath, ...daemonNodeFlags, realpathSync(binary), 'daemon'];
  assert.deepEqual(start.slice(0, head.length), head);
  // startDaemonBinary runs node with the same flags and the same binary: the rest is the daemon's.
  const daemon = startDaemonBinary([...start.slice(head.length), '--log-level', 'warn'], { NOTIFY_SOCKET: notify.path });
  const exitedEarly = daemon.exited.then(() => {
    throw new Error(`the daemon exited: ${daemon.output()}`);
  });

  const ready = await Promise.race([notify.waitFor('READY=1', (n) => n.message.split('\n').includes('READY=1')), exitedEarly]);
  assert.equal(ready.pid, daemon.child.pid, 'sent with the daemon’s pid as credentials: systemd takes it as the main process’s');
  assert.ok(ready.message.split('\n').includes(`MAINPID=${daemon.child.pid}`), ready.message);
  // No polling: when READY=1 has arrived, the daemon answers, with its config's process defined.
  const cli = cliOn(socket);
  assert.equal((await cli('health')).stdout, 'SERVING\n');
  const listed = JSON.parse((await cli('--json', 'ls')).stdout) as { name: string; pid: number; state: string }[];
  assert.deepEqual(listed.map((p) => p.name), ['sleeper']);

  let pid = 0;
  await waitUntil(
    'the sleeper runs',
    async () => {
      const sleeper = (JSON.parse((await cli('--json', 'ls')).stdout) as typeof listed)[0];
      pid = sleeper?.state === 'RUNNING' ? sleeper.pid : 0;
      return pid > 0;
    },
    { timeoutMs: 30_000, intervalMs: 100 },
  );
  assert.doesNotMatch(readFileSync(`/proc/${pid}/environ`, 'utf8'), /(^|\0)NOTIFY_SOCKET=/, 'a child does not get the daemon’s notification socket');

  const reloaded = await run(commandOf(unit, 'ExecReload'));
  assert.equal(reloaded.code, 0, reloaded.stderr);
  assert.match(reloaded.stdout, /^unchanged: sleeper$/m);

  assert.equal(notify.received.filter((n) => n.message.includes('STOPPING=1')).length, 0, 'nothing said of stopping before the stop');
  daemon.child.kill('SIGTERM');
  const stopping = await notify.waitFor('STOPPING=1', (n) => n.message.split('\n').includes('STOPPING=1'));
  assert.equal(stopping.pid, daemon.child.pid);
  assert.deepEqual(await daemon.exited, { code: 0, signal: null }, daemon.output());
});

test('without $NOTIFY_SOCKET the notifier runs nothing; with it and no systemd-notify, the daemon says what to install', async () => {
  const logger = recordingLogger();
  const helper = '/nonexistent/systemd-notify';
  const quiet = serviceNotifier({ env: {}, pid: process.pid, logger, helper });
  await quiet.ready();
  await quiet.stopping();
  assert.equal(logger.records.length, 0, 'not under a Type=notify unit: nothing to tell, nothing run');

  const missing = serviceNotifier({ env: { NOTIFY_SOCKET: '/run/systemd/notify' }, pid: process.pid, logger, helper });
  await missing.ready();
  assert.equal(logger.records.length, 1);
  const [record] = logger.records;
  assert.equal(record!.level, 'error');
  assert.match(record!.message ?? '', /systemd-notify not found: the service manager is not told READY=1 .*install systemd, or write the unit with Type=simple/);
});
