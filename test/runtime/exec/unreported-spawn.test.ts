/**
 * A spawn the spawner never answered (it died meanwhile): what carries the run's marker and
 * started after the request is killed, so that the retry does not run beside it; an older
 * process of the same id (a session an adopted workload setsid'd) is left alone.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { killUnreported } from '../../../src/runtime/exec/unreported-spawn.js';
import { processIdEnv, stateDirEnv } from '../../../src/runtime/exec/survivors.js';
import { killMarked, newMarker, procState, waitUntil } from '../../helpers/leaks.js';
import { processStartTime } from '../../../src/runtime/os/proc-stat.js';

/** /proc/uptime in USER_HZ (100) ticks: the clock of /proc/<pid>/stat's start time. */
const ticksSinceBoot = () => Math.floor(Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]) * 100);

test('only what the unanswered request may have started is killed', async (t) => {
  const marker = newMarker();
  const stateDir = mkdtempSync(path.join(os.tmpdir(), 'statevisor-unreported-'));
  t.after(() => {
    killMarked(marker);
    rmSync(stateDir, { recursive: true, force: true });
  });
  const start = (id: string) => {
    const child = spawn('sleep', [`3600.${marker}`], { detached: true, stdio: 'ignore', env: { PATH: process.env.PATH, [processIdEnv]: id, [stateDirEnv]: stateDir } });
    child.unref();
    return child.pid!;
  };
  const older = start('web');
  // Start times count in 10 ms ticks: the older one must be several ticks before the request.
  const startedTicks = processStartTime(older)!;
  await waitUntil('a few ticks passed since it started', () => ticksSinceBoot() - startedTicks > 5);
  const sentAt = performance.now();
  const other = start('db');
  const unreported = start('web');
  assert.deepEqual(killUnreported(stateDir, 'web', sentAt), [unreported]);
  await waitUntil('the unreported child is gone', () => procState(unreported) === undefined || procState(unreported) === 'Z');
  assert.equal(procState(older), 'S', 'started before the request: left alone');
  assert.equal(procState(other), 'S', 'another process id: left alone');
});
