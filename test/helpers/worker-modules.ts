/**
 * Worker-thread workloads for tests: each a small module written into the test's temp dir, so
 * that a test states in one line what its task does.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';

export const workerTasks = {
  /** Runs until stopped: resolves when its AbortSignal fires. */
  service: `export default async function ({ signal }) {
    console.log('service up');
    await new Promise((resolve) => signal.addEventListener('abort', resolve));
    console.log('service down');
  }`,
  resolves: `export default async function () { console.log('hello from a worker'); console.error('a warning from a worker'); }`,
  rejects: `export default async function () { throw new Error('the queue is gone'); }`,
  exits3: `export default async function () { process.exit(3); }`,
  throwsLater: `export default async function () { setTimeout(() => { throw new Error('thrown from a timer'); }, 10); await new Promise(() => {}); }`,
  loops: `export default async function () { console.log('looping'); await new Promise((r) => setTimeout(r, 10)); for (;;) {} }`,
  eatsHeap: `export default async function () { const kept = []; for (;;) { kept.push(new Array(100_000).fill({ a: kept.length })); if (kept.length % 10 === 0) await new Promise((r) => setImmediate(r)); } }`,
  busy: `export default async function ({ signal }) {
    const kept = new Array(200_000).fill(0).map((_, i) => ({ i }));
    while (!signal.aborted) { const end = Date.now() + 20; while (Date.now() < end) {} await new Promise((r) => setImmediate(r)); }
    return kept.length;
  }`,
  /** Writes every config it is sent, then waits for its stop. */
  configs: `export default async function ({ signal, config, onConfig }) {
    console.log('config ' + config.description);
    onConfig((next) => console.log('config ' + next.description));
    await new Promise((resolve) => signal.addEventListener('abort', resolve));
  }`,
  syntaxError: `export default async function ( {`,
  named: `export async function serve({ signal }) { console.log('named export'); await new Promise((r) => signal.addEventListener('abort', r)); }`,
} as const;

/** Writes the task's module into `dir` and returns its absolute path. */
export function workerModule(dir: string, task: keyof typeof workerTasks): string {
  const file = path.join(dir, `${task}.mjs`);
  writeFileSync(file, workerTasks[task]);
  return file;
}
