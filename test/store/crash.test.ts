/**
 * kill -9 at random moments during a create/update/delete workload: after the restart, every
 * acknowledged write is there, and nothing that was never issued is.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Store } from '../../src/store/index.js';
import type { ProcessRecord, RunRecord, StoredStateView } from '../../src/store/index.js';
import type { CrashLine, CrashOp } from './crash-writer.js';
import { tempDir } from './fixtures.js';

const writer = fileURLToPath(new URL('./crash-writer.js', import.meta.url));
const rounds = 6;
const ackDeadlineMs = 60_000;

interface IdState {
  process: ProcessRecord | undefined;
  run: RunRecord | undefined;
}

/** The store's semantics, written again independently: what one write does to one id. */
function applyOp(state: IdState, change: CrashOp): IdState {
  switch (change.op) {
    case 'put':
      return { ...state, process: change.record };
    case 'delete':
      return { process: undefined, run: undefined };
    case 'desired':
      return { ...state, process: state.process && { ...state.process, desired: change.desired } };
    case 'run':
      return { ...state, run: change.run };
    case 'clearRun':
      return { ...state, run: undefined };
  }
}

interface Journal {
  issued: Map<string, CrashOp[]>;
  acked: Map<string, number>;
  totalAcks: number;
}

/** Runs the writer until it has acknowledged `acks` writes, SIGKILLs it, and returns its log. */
async function runAndKill(dir: string, seed: number, acks: number): Promise<Journal> {
  const child = spawn(process.execPath, [writer, dir, String(seed), '25'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const log: Journal = { issued: new Map(), acked: new Map(), totalAcks: 0 };
  const closed = once(child, 'close');
  const deadline = setTimeout(() => child.kill('SIGKILL'), ackDeadlineMs);
  // Every line is read, including those still in the pipe when the kill lands: a write
  // acknowledged on stdout before the kill must be found after the restart.
  for await (const text of createInterface({ input: child.stdout })) {
    const line = JSON.parse(text) as CrashLine;
    if (line.kind === 'issue') log.issued.set(line.id, [...(log.issued.get(line.id) ?? []), line.change]);
    if (line.kind === 'ack') {
      log.acked.set(line.id, (log.acked.get(line.id) ?? 0) + 1);
      log.totalAcks += 1;
      if (log.totalAcks === acks) child.kill('SIGKILL');
    }
  }
  const [code, signal] = await closed;
  clearTimeout(deadline);
  assert.equal(signal, 'SIGKILL', `the writer ended on its own (code ${code}): ${stderr}`);
  assert.ok(log.totalAcks >= acks, `only ${log.totalAcks} of ${acks} acks before the deadline: ${stderr}`);
  return log;
}

function idState(state: StoredStateView, id: string): IdState {
  return { process: state.processes[id], run: state.runs[id] };
}

test('kill -9 at random moments loses no acknowledged write', async (t) => {
  const dir = await tempDir(t);
  let initial = new Map<string, IdState>();
  for (let round = 1; round <= rounds; round += 1) {
    const seed = 1 + Math.floor(Math.random() * 1_000);
    const acks = 20 + Math.floor(Math.random() * 800);
    const log = await runAndKill(dir, seed, acks);
    const label = `round ${round} (seed ${seed}, kill after ${acks} acks, ${log.totalAcks} read)`;

    const store = await Store.open(dir);
    const after = new Map<string, IdState>();
    try {
      const ids = new Set([...log.issued.keys(), ...initial.keys(), ...Object.keys(store.state().processes)]);
      for (const id of ids) {
        const ops = log.issued.get(id) ?? [];
        const acked = log.acked.get(id) ?? 0;
        // One write in flight per id: at most one issued write is unacknowledged.
        assert.ok(ops.length - acked <= 1, `${label}: ${id} had ${ops.length - acked} writes in flight`);
        const start = initial.get(id) ?? { process: undefined, run: undefined };
        const ackedState = ops.slice(0, acked).reduce(applyOp, start);
        const allowed = ops.length > acked ? [ackedState, applyOp(ackedState, ops[acked] as CrashOp)] : [ackedState];
        const actual = structuredClone(idState(store.state(), id));
        assert.ok(
          allowed.some((candidate) => isDeepEqual(candidate, actual)),
          `${label}: ${id} is ${JSON.stringify(actual)}, expected one of ${JSON.stringify(allowed)}`,
        );
        after.set(id, actual);
      }
    } finally {
      await store.close();
    }
    t.diagnostic(`${label}: every acknowledged write survived`);
    initial = after;
  }
});

function isDeepEqual(a: unknown, b: unknown): boolean {
  try {
    assert.deepStrictEqual(a, b);
    return true;
  } catch {
    return false;
  }
}
