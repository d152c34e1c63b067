/**
 * Waiting on one process as Describe shows it, for integration tests on an in-process daemon: a
 * daemon closed with the test, and a poll that, when it times out, says what it last saw.
 */
import type { TestContext } from 'node:test';
import type { Process } from '../../src/client/index.js';
import { startTestDaemon, type DaemonHarness } from './daemon-harness.js';
import { waitUntil } from './leaks.js';

/** A daemon of its own for one test, closed when the test ends. */
export async function daemonFor(t: TestContext): Promise<DaemonHarness> {
  const h = await startTestDaemon();
  t.after(() => h.close());
  return h;
}

export async function described(h: DaemonHarness, name: string): Promise<Process> {
  return (await h.client.describeProcess(name)).process;
}

/**
 * Polls Describe until `check` holds and returns the process as it was then; a timeout's error
 * ends with `summary` of the last process seen.
 */
export async function untilDescribed(
  h: DaemonHarness,
  name: string,
  what: string,
  check: (p: Process) => boolean,
  options: { timeoutMs: number; summary: (p: Process) => unknown },
): Promise<Process> {
  let last: Process | undefined;
  await waitUntil(
    `${name}: ${what}`,
    async () => {
      last = await described(h, name);
      return check(last);
    },
    { timeoutMs: options.timeoutMs },
  ).catch((error: Error) => {
    throw new Error(`${error.message}; last seen ${JSON.stringify(last && options.summary(last))}`);
  });
  return last!;
}
