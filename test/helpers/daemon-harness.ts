/**
 * A real daemon for integration tests: in this process, on a Unix socket in a fresh temp dir,
 * with real children; plus a client connected to it. `close()` stops the daemon (every child
 * stopped within its grace period), checks that nothing carrying the test's marker survived and
 * that the daemon's spawner is gone, and removes the temp dir.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import assert from 'node:assert/strict';
import { startDaemon, type Daemon, type DaemonOptions } from '../../src/server/daemon.js';
import { silentLogger, type Logger } from '../../src/manager/logger.js';
import { createClient, type StatevisorClient } from '../../src/client/index.js';
import { killMarked, newMarker, pidsWithMarker, spawnersFor, survivorsOf, unreapedBy } from './leaks.js';

export interface DaemonHarness {
  readonly dir: string;
  readonly socket: string;
  readonly stateDir: string;
  readonly daemon: Daemon;
  readonly client: StatevisorClient;
  /** Unique to this harness: put it in every child's arguments, e.g. via `sleepArgs()`. */
  readonly marker: string;
  /** `sleep` arguments that carry the marker: sleeps for an hour unless stopped. */
  sleepArgs(): string[];
  close(): Promise<void>;
}

export async function startTestDaemon(
  options: {
    tcp?: string;
    token?: string;
    tls?: DaemonOptions['tls'];
    configPath?: string;
    marker?: string;
    cgroupRoot?: string;
    usageIntervalMs?: number;
    http?: string;
    restartRate?: number;
    inspectWs?: string;
    logger?: Logger;
  } = {},
): Promise<DaemonHarness> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'statevisor-test-'));
  const socket = path.join(dir, 'statevisor.sock');
  const stateDir = path.join(dir, 'state');
  const { marker = newMarker(), ...daemonOptions } = options;
  const daemon = await startDaemon({ socket, stateDir, logger: silentLogger, ...daemonOptions });
  const client = createClient({ socket });
  return {
    dir,
    socket,
    stateDir,
    daemon,
    client,
    marker,
    sleepArgs: () => [`3600.${marker}`],
    async close() {
      client.close();
      await daemon.stop();
      const survivors = await survivorsOf(marker);
      const zombies = unreapedBy(process.pid, pidsWithMarker(marker));
      const spawners = spawnersFor(stateDir);
      killMarked(marker);
      for (const pid of spawners) process.kill(pid, 'SIGKILL');
      rmSync(dir, { recursive: true, force: true });
      assert.deepEqual(survivors, [], `processes survived the daemon's stop: ${survivors.join(', ')}`);
      assert.deepEqual(zombies, [], `zombies the daemon did not reap: ${zombies.join(', ')}`);
      assert.deepEqual(spawners, [], `the daemon's spawner outlived its stop: ${spawners.join(', ')}`);
    },
  };
}

/** The "127.0.0.1:PORT" a harness started with `tcp: '127.0.0.1:0'` listens on. */
export function tcpAddress(h: DaemonHarness): string {
  const listener = h.daemon.listeners.find((l) => l.kind === 'tcp');
  assert.ok(listener, 'the daemon was started without tcp');
  return listener.address;
}
