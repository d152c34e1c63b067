/**
 * recover(): what a restarted daemon does with each stored process and what the previous one
 * left running, decided against real marked processes (found through /proc as in production)
 * and a recording supervision. Faster and more exact than a kill -9 of a daemon: each decision
 * is checked by what recovery asked for (adopt with which start time, resume, stop), not by a
 * state that a later step could have reached anyway.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { TestContext } from 'node:test';
import { silentLogger } from '../../src/manager/logger.js';
import { readProcStat } from '../../src/runtime/os/proc-stat.js';
import type { ProcessRecord, RunRecord, StoredState } from '../../src/server/persistence.js';
import type { ProcessEntry } from '../../src/server/process-table.js';
import { recover } from '../../src/server/recovery.js';
import type { Supervision } from '../../src/server/supervision.js';
import { processIdEnv, stateDirEnv } from '../../src/spec/markers.js';
import type { RestartPolicyName } from '../../src/spec/types.js';
import { newMarker, waitUntil } from '../helpers/leaks.js';

/** What recovery asked of supervision, in order. */
class RecordingSupervision {
  readonly calls: string[] = [];
  readonly adopted: { id: string; pid: number; startedAt: number }[] = [];
  readonly notes = new Map<string, string>();
  readonly #entries = new Map<string, ProcessEntry>();
  readonly exec = {
    adopt: (id: string, main: { pid: number }, startedAt: number) => {
      this.calls.push(`adopt ${id}`);
      this.adopted.push({ id, pid: main.pid, startedAt });
    },
  };
  restore(entry: ProcessEntry): void {
    this.calls.push(`restore ${entry.id}`);
    this.#entries.set(entry.id, entry);
  }
  resume(entry: ProcessEntry): void {
    this.calls.push(`resume ${entry.id}`);
  }
  noteRecovery(id: string, what: string): void {
    this.notes.set(id, what);
  }
  has(id: string): boolean {
    return this.#entries.has(id);
  }
  entry(id: string): ProcessEntry {
    const entry = this.#entries.get(id);
    assert.ok(entry, `recovery asked for ${id}, which it never restored`);
    return entry;
  }
}

interface Rig {
  readonly stateDir: string;
  readonly marker: string;
  /** A detached `sleep` carrying the daemon's markers for process `id`, as a previous daemon would have left it. */
  survivor(id: string): Promise<{ child: ChildProcess; run: RunRecord }>;
  recover(state: StoredState): Promise<RecordingSupervision>;
}

function rig(t: TestContext): Rig {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'statevisor-recover-'));
  const stateDir = path.join(dir, 'state');
  const marker = newMarker();
  const children: ChildProcess[] = [];
  t.after(async () => {
    for (const child of children) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await once(child, 'exit');
      }
    }
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    stateDir,
    marker,
    async survivor(id) {
      const child = spawn('sleep', [`3600.${marker}`], {
        detached: true,
        stdio: 'ignore',
        env: { ...process.env, [processIdEnv]: id, [stateDirEnv]: stateDir },
      });
      children.push(child);
      await once(child, 'spawn');
      const pid = child.pid!;
      await waitUntil('the survivor runs sleep', () => readProcStat(pid)?.comm === 'sleep');
      const stat = readProcStat(pid)!;
      return { child, run: { pid, pgid: stat.pgid, startTime: stat.startTimeTicks, runCount: 3, startedAt: 1_700_000_000_123 } };
    },
    async recover(state) {
      const supervision = new RecordingSupervision();
      await recover(supervision as unknown as Supervision, state, stateDir, silentLogger);
      // A new run begins once the leftovers are stopped: after a turn of the event loop at least.
      await new Promise((resolve) => setImmediate(resolve));
      return supervision;
    },
  };
}

function record(id: string, policy: RestartPolicyName, desired: 'running' | 'stopped'): ProcessRecord {
  return {
    id,
    spec: { name: `p-${id.slice(0, 8)}`, command: 'sleep', args: ['3600'], restart: { policy } },
    createdAt: 1_700_000_000_000,
    desired,
    source: 'api',
  };
}

/** The pid and start time of a process that has exited: what a record names after a crash. */
async function endedRun(): Promise<RunRecord> {
  const child = spawn('true', [], { stdio: 'ignore' });
  await once(child, 'exit');
  return { pid: child.pid!, pgid: child.pid!, startTime: 1, runCount: 1, startedAt: 1_700_000_000_000 };
}

test('an adopted run keeps the start time its record holds, to the millisecond, and is resumed', async (t) => {
  // Regression (planted): adoption stamped Date.now(), so uptime restarted at every daemon restart;
  // the daemon-level test allowed a second of drift, which a quick restart stays within.
  const r = rig(t);
  const id = randomUUID();
  const { child, run } = await r.survivor(id);
  const s = await r.recover({ processes: { [id]: record(id, 'always', 'running') }, runs: { [id]: run } });
  assert.deepEqual(s.adopted, [{ id, pid: child.pid, startedAt: 1_700_000_000_123 }]);
  assert.deepEqual(s.calls, [`restore ${id}`, `adopt ${id}`, `resume ${id}`]);
  assert.match(s.notes.get(id) ?? '', new RegExp(`^adopted pid ${child.pid}`));
  assert.equal(child.exitCode ?? child.signalCode, null, 'an adopted workload is left running');
});

test('a survivor whose process is meant to be stopped is stopped, not adopted, and no run begins', async (t) => {
  // Regression (planted): without the desired === 'running' check, a workload stopped by the user
  // came back under management after a daemon restart, running.
  const r = rig(t);
  const id = randomUUID();
  const { child, run } = await r.survivor(id);
  const exited = once(child, 'exit');
  const s = await r.recover({ processes: { [id]: record(id, 'always', 'stopped') }, runs: { [id]: run } });
  assert.deepEqual(s.adopted, []);
  assert.deepEqual(s.calls, [`restore ${id}`], 'restored, neither adopted nor resumed');
  assert.match(s.notes.get(id) ?? '', /stopped pid \d+ \(sleep\): it outlived the daemon but the process is meant to be stopped/);
  assert.deepEqual(await exited, [null, 'SIGTERM'], 'stopped with its stop signal');
});

// The restart policy decides about a run that ended unseen: it counts as a failure.
const unseenEnd: [RestartPolicyName, boolean][] = [
  ['always', true],
  ['on-failure', true],
  ['on-success', false],
  ['no', false],
];
for (const [policy, restarts] of unseenEnd) {
  test(`a workload gone while the daemon was down, policy ${policy}: ${restarts ? 'started again' : 'not started'}`, async (t) => {
    // Regression (planted): a wider policy test restarted what on-success or no leave down.
    const r = rig(t);
    const id = randomUUID();
    const s = await r.recover({ processes: { [id]: record(id, policy, 'running') }, runs: { [id]: await endedRun() } });
    assert.deepEqual(s.adopted, []);
    assert.deepEqual(s.calls, restarts ? [`restore ${id}`, `resume ${id}`] : [`restore ${id}`]);
    assert.match(
      s.notes.get(id) ?? '',
      restarts ? /^started again: pid \d+ ended while the daemon was down$/ : new RegExp(`restart policy '${policy}' does not restart it`),
    );
  });
}

test('a process meant to be running that had no run recorded is started', async (t) => {
  const r = rig(t);
  const id = randomUUID();
  const s = await r.recover({ processes: { [id]: record(id, 'no', 'running') }, runs: {} });
  assert.deepEqual(s.calls, [`restore ${id}`, `resume ${id}`]);
  assert.equal(s.notes.get(id), 'started: it was meant to be running when the daemon stopped');
});
