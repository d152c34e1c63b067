/**
 * The victim of crash.test.ts: opens the store in <state dir> and writes forever from many lanes
 * at once, printing each operation before issuing it ("issue") and after its promise resolves
 * ("ack"). Each id belongs to one lane and a lane awaits each write, so an id never has two
 * writes in flight: after a kill, each id's state must be its last acknowledged one or the one
 * issued after it.
 *
 * The test runner also runs every .js file under test/ as a test file; without arguments this
 * does nothing.
 */
import { writeSync } from 'node:fs';
import { Store } from '../../src/store/index.js';
import type { ProcessRecord, RunRecord } from '../../src/store/index.js';

export type CrashOp =
  | { op: 'put'; record: ProcessRecord }
  | { op: 'delete' }
  | { op: 'desired'; desired: 'running' | 'stopped' }
  | { op: 'run'; run: RunRecord }
  | { op: 'clearRun' };

export type CrashLine =
  | { kind: 'ready' }
  | { kind: 'issue'; id: string; change: CrashOp }
  | { kind: 'ack'; id: string };

const lanes = 16;
const idsPerLane = 3;

/** mulberry32: a seeded PRNG, so a failing run can be repeated. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

// Synchronous write to fd 1: once it returns the line is in the pipe, kill or no kill.
const print = (line: CrashLine) => writeSync(1, `${JSON.stringify(line)}\n`);

async function lane(store: Store, lane: number, next: () => number, counter: { n: number }): Promise<never> {
  for (;;) {
    const id = `lane${lane}-${Math.floor(next() * idsPerLane)}`;
    const n = (counter.n += 1);
    const existing = store.state().processes[id];
    const roll = next();
    let change: CrashOp;
    if (existing === undefined || roll < 0.35) {
      const spec = { n, args: ['x'.repeat(n % 200)] };
      change = { op: 'put', record: { id, spec, createdAt: n, desired: 'running', source: 'api' } };
    } else if (roll < 0.5) change = { op: 'delete' };
    else if (roll < 0.65) change = { op: 'desired', desired: next() < 0.5 ? 'running' : 'stopped' };
    else if (roll < 0.85) {
      change = { op: 'run', run: { pid: n, pgid: n, startTime: n * 7, runCount: n % 5, startedAt: n } };
    }
    else change = { op: 'clearRun' };
    print({ kind: 'issue', id, change });
    await apply(store, id, change);
    print({ kind: 'ack', id });
  }
}

function apply(store: Store, id: string, change: CrashOp): Promise<void> {
  switch (change.op) {
    case 'put':
      return store.putProcess(change.record);
    case 'delete':
      return store.deleteProcess(id);
    case 'desired':
      return store.setDesired(id, change.desired);
    case 'run':
      return store.recordRun(id, change.run);
    case 'clearRun':
      return store.clearRun(id);
  }
}

async function main(dir: string, seed: number, compactAfter: number): Promise<void> {
  const store = await Store.open(dir, { compactAfter });
  print({ kind: 'ready' });
  const next = random(seed);
  const counter = { n: seed * 1_000_000 };
  await Promise.all(Array.from({ length: lanes }, (_, i) => lane(store, i, next, counter)));
}

const [dir, seed, compactAfter] = process.argv.slice(2);
if (dir !== undefined) {
  main(dir, Number(seed ?? 1), Number(compactAfter ?? 40)).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
