import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runProbe } from '../../../src/runtime/health/index.js';
import { killMarked, newMarker, pidsWithMarker, procState, waitUntil } from '../../helpers/leaks.js';
import { checkSpec, probeContext, settlesWithin } from './probe-fixtures.js';

/** Marked processes that still run: zombies are excluded (orphans are init's to reap). */
function liveMarked(marker: string): number[] {
  return pidsWithMarker(marker).filter((pid) => {
    const state = procState(pid);
    return state !== undefined && state !== 'Z';
  });
}

/** A shell that backgrounds one marked sleep and waits on another: a group of three, or two. */
function sleepingGroup(marker: string) {
  return checkSpec({ type: 'exec', command: 'sh', args: ['-c', `sleep 30.${marker} & sleep 30.${marker}`] });
}

describe('exec probe', () => {
  const markers: string[] = [];
  const marker = (): string => {
    const value = newMarker();
    markers.push(value);
    return value;
  };
  afterEach(() => {
    const leaked = markers.reduce((count, value) => count + killMarked(value), 0);
    markers.length = 0;
    assert.equal(leaked, 0, 'the probe left marked processes running');
  });

  test('exit code 0 is healthy', async () => {
    const result = await runProbe(checkSpec({ type: 'exec', command: 'sh', args: ['-c', 'exit 0'] }), probeContext());
    assert.deepEqual(result, { healthy: true, message: 'exit code 0' });
  });

  test('a non-zero exit is unhealthy with the first line of stderr', async () => {
    const check = checkSpec({ type: 'exec', command: 'sh', args: ['-c', 'echo ignored; echo "db is down" >&2; echo more >&2; exit 3'] });
    const result = await runProbe(check, probeContext());
    assert.deepEqual(result, { healthy: false, message: 'exit code 3: db is down' });
  });

  test('a long stderr line is cut short', async () => {
    const check = checkSpec({ type: 'exec', command: 'sh', args: ['-c', 'head -c 10000 /dev/zero | tr "\\0" x >&2; exit 1'] });
    const result = await runProbe(check, probeContext());
    assert.equal(result.healthy, false);
    assert.ok(result.message.startsWith('exit code 1: xxx'));
    assert.ok(result.message.length <= 'exit code 1: '.length + 200, `too long: ${result.message.length}`);
  });

  test('the environment and working directory are the context\'s', async (t) => {
    const dir = await mkdtemp(path.join(tmpdir(), 'statevisor-exec-probe-'));
    t.after(() => rm(dir, { recursive: true, force: true }));
    await writeFile(path.join(dir, 'ready'), '');
    const check = checkSpec({ type: 'exec', command: 'sh', args: ['-c', 'test -f ready && test "$PROBE_VALUE" = 42'] });
    const result = await runProbe(check, { ...probeContext(), cwd: dir, env: { PATH: process.env['PATH'], PROBE_VALUE: '42' } });
    assert.deepEqual(result, { healthy: true, message: 'exit code 0' });
  });

  test('a missing binary is unhealthy with the spawn error', async () => {
    const result = await runProbe(checkSpec({ type: 'exec', command: '/nonexistent/statevisor-probe' }), probeContext());
    assert.equal(result.healthy, false);
    assert.match(result.message, /ENOENT/);
  });

  test('a timeout kills the whole process group before resolving', async (t) => {
    // Regression (race): the test watched for the sleeps for up to 1.9 s while the probe's 2 s
    // timeout ran. Now the group writes its own pids before it blocks, and the test reads them
    // once the probe has ended: no look races the timeout.
    const m = marker();
    const dir = await mkdtemp(path.join(tmpdir(), 'statevisor-exec-probe-'));
    t.after(() => rm(dir, { recursive: true, force: true }));
    const pids = path.join(dir, 'pids');
    const script = `sleep 30.${m} & echo $! > ${pids}.tmp; echo $$ >> ${pids}.tmp; mv ${pids}.tmp ${pids}; exec sleep 30.${m}`;
    const result = await settlesWithin(runProbe(checkSpec({ type: 'exec', command: 'sh', args: ['-c', script] }), probeContext(2_000)));
    assert.deepEqual(result, { healthy: false, message: 'timed out after 2000 ms' });
    // Both sleeps ran (the background one, and the shell that exec'd the other), so that "none
    // left" below means something.
    const group = (await readFile(pids, 'utf8')).trim().split('\n').map(Number);
    assert.equal(group.length, 2, `the group's pids: ${group}`);
    const running = group.filter((pid) => procState(pid) !== undefined && procState(pid) !== 'Z');
    assert.deepEqual(running, [], 'a process of the group survived the timeout');
    assert.deepEqual(liveMarked(m), [], 'a marked process survived the probe');
  });

  test('a leader that exits leaves no background child behind', async () => {
    const m = marker();
    const check = checkSpec({ type: 'exec', command: 'sh', args: ['-c', `sleep 30.${m} & exit 0`] });
    const result = await settlesWithin(runProbe(check, probeContext()));
    assert.deepEqual(result, { healthy: true, message: 'exit code 0' });
    assert.deepEqual(liveMarked(m), [], 'the backgrounded sleep survived the probe');
  });

  test('aborting mid-probe rejects with AbortError and kills the group', async () => {
    const m = marker();
    const controller = new AbortController();
    const probe = runProbe(sleepingGroup(m), probeContext(60_000, controller.signal));
    await waitUntil('both marked sleeps run', () => liveMarked(m).length >= 2);
    controller.abort();
    await assert.rejects(settlesWithin(probe), { name: 'AbortError' });
    assert.deepEqual(liveMarked(m), [], 'a marked process survived the abort');
  });

  test('an already aborted signal spawns nothing', async () => {
    const m = marker();
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(runProbe(sleepingGroup(m), probeContext(5_000, controller.signal)), { name: 'AbortError' });
    assert.deepEqual(pidsWithMarker(m), []);
  });
});
