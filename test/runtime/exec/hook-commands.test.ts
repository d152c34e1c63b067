/**
 * Hook commands and path conditions on their own, with real processes and real paths: what `-`
 * ignores and what it does not, the stage's deadline and the chart's abort killing the whole
 * process group, and systemd's reading of `!` and `|`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runHookCommands, type HookLaunch, type HookStageRun } from '../../../src/runtime/exec/hook-commands.js';
import { checkPathConditions, parseCondition } from '../../../src/runtime/exec/conditions.js';
import { newMarker, sleepsWithMarker, waitUntil } from '../../helpers/leaks.js';

const bounded = { timeout: 30_000 };

const launch: HookLaunch = {
  wrap: (command, args) => ({ command, args }),
  options: { detached: true, stdio: 'ignore' },
  withUmask: (fn) => fn(),
};

function stage(commands: string[][], overrides: Partial<HookStageRun> = {}): HookStageRun {
  return { stage: 'exec_start_pre', commands, timeoutMs: 0, timeoutName: 'start_timeout', signal: new AbortController().signal, now: Date.now, ...overrides };
}

async function failure(run: Promise<void>): Promise<string> {
  try {
    await run;
  } catch (error) {
    return (error as Error & { code?: string }).code === 'E_START_FAILED' ? (error as Error).message : `not a start failure: ${String(error)}`;
  }
  return 'no failure';
}

test('a command that fails stops the list, named with its index and how it ended', bounded, async () => {
  assert.equal(await failure(runHookCommands(stage([['true'], ['sh', '-c', 'exit 3'], ['true']]), launch)), 'exec_start_pre[1] `sh -c exit 3` exited 3');
  assert.equal(await failure(runHookCommands(stage([['sh', '-c', 'kill -9 $$']]), launch)), 'exec_start_pre[0] `sh -c kill -9 $$` killed by SIGKILL (9)');
  assert.match(await failure(runHookCommands(stage([['/nonexistent/hook']]), launch)), /^exec_start_pre\[0\] `\/nonexistent\/hook` could not run: spawn \/nonexistent\/hook ENOENT$/);
});

test('a "-" before the program ignores its failure — an exit code, a signal, a missing program — and the list goes on', bounded, async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'statevisor-hook-'));
  try {
    const file = path.join(dir, 'ran');
    await runHookCommands(stage([['-sh', '-c', 'exit 9'], ['-sh', '-c', 'kill -9 $$'], ['-/nonexistent/hook'], ['sh', '-c', `echo last > ${file}`]]), launch);
    assert.equal(readFileSync(file, 'utf8'), 'last\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the stage’s deadline kills the running command’s whole group, even with "-"', bounded, async () => {
  const marker = newMarker();
  const run = runHookCommands(stage([['-sh', '-c', `sleep 3600.${marker} & sleep 3600.${marker}`]], { timeoutMs: 300 }), launch);
  assert.equal(await failure(run), `exec_start_pre[0] \`-sh -c sleep 3600.${marker} & sleep 3600.${marker}\` did not finish within start_timeout (300 ms)`);
  await waitUntil('the background sleep is gone too', () => sleepsWithMarker(marker).length === 0);
});

test('an abort (the chart left the stage) kills the group and rejects with the abort’s reason', bounded, async () => {
  const marker = newMarker();
  const controller = new AbortController();
  const run = runHookCommands(stage([['sleep', `3600.${marker}`]], { signal: controller.signal }), launch);
  await waitUntil('the hook runs', () => sleepsWithMarker(marker).length > 0);
  controller.abort(new Error('left the stage'));
  await assert.rejects(run, /left the stage/);
  await waitUntil('the hook is gone', () => sleepsWithMarker(marker).length === 0);
});

test('conditions: "!" negates; "|" ones form an OR group, needed only when present; "|" is read before "!"', async () => {
  const here = os.tmpdir();
  const missing = path.join(here, `missing-${newMarker()}`);
  assert.deepEqual(parseCondition(`|!${missing}`), { text: `|!${missing}`, path: missing, negated: true, triggering: true });
  assert.deepEqual(await checkPathConditions([]), { met: true });
  assert.deepEqual(await checkPathConditions([here, `!${missing}`]), { met: true });
  assert.deepEqual(await checkPathConditions([`!${here}`]), { met: false, reason: `condition_path_exists !${here}: ${here} exists` });
  assert.deepEqual(await checkPathConditions([`|${missing}`, `|${here}`]), { met: true });
  assert.deepEqual(await checkPathConditions([`|${missing}`, `|!${here}`]), { met: false, reason: `condition_path_exists: none of |${missing}, |!${here} holds` });
  assert.deepEqual(await checkPathConditions([`|${here}`, missing]), { met: false, reason: `condition_path_exists ${missing}: ${missing} does not exist` }, 'a plain one must hold whatever the OR group says');
});
