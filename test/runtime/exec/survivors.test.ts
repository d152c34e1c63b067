/** findMarked: a previous daemon's children, by the marks in their environment. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { findMarked } from '../../../src/runtime/exec/survivors.js';
import { newMarker } from '../../helpers/leaks.js';

async function marked(env: NodeJS.ProcessEnv, marker: string): Promise<number> {
  const child = spawn('sleep', [`3600.${marker}`], { detached: true, stdio: 'ignore', env: { PATH: process.env.PATH, ...env } });
  await once(child, 'spawn');
  child.unref();
  return child.pid!;
}

test('a child of this version (STATEVISOR_MANAGED_BY) and one of a daemon before 0.2 (STATEVISOR_STATE_DIR) are both found', { timeout: 10_000 }, async (t) => {
  const marker = newMarker();
  const stateDir = `/tmp/statevisor-survivors-${marker}`;
  const current = await marked({ STATEVISOR_PROCESS_ID: 'a', STATEVISOR_MANAGED_BY: stateDir }, marker);
  const legacy = await marked({ STATEVISOR_PROCESS_ID: 'b', STATEVISOR_STATE_DIR: stateDir }, marker);
  const other = await marked({ STATEVISOR_PROCESS_ID: 'c', STATEVISOR_MANAGED_BY: '/elsewhere' }, marker);
  t.after(() => {
    for (const pid of [current, legacy, other]) process.kill(pid, 'SIGKILL');
  });
  const found = findMarked(stateDir).map((s) => [s.processId, s.pid]);
  assert.deepEqual(found.sort(), [['a', current], ['b', legacy]].sort());
});
