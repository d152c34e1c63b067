/**
 * A spawn request the spawner never answered because it died meanwhile (spawner.ts): the child
 * may have started, and nothing answers for it. The start fails and the chart retries, so that
 * child must not go on running beside the next one: what carries the run's marker and started
 * after the request was sent is killed. (An older process of the same id — a session an adopted
 * workload setsid'd — started before the request and is left alone.)
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { findMarked } from './survivors.js';

/** Linux reports start times in USER_HZ, which is 100 on every architecture Node runs on. */
const ticksPerSecond = 100;

function ticksSinceBoot(): number {
  return Math.floor(Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]) * ticksPerSecond);
}

/** SIGKILLs what the unanswered request of `id`, sent at `sentAt` (performance.now()), may have started. */
export function killUnreported(stateDir: string, id: string, sentAt: number): number[] {
  // One tick of margin for the rounding on both sides.
  const since = ticksSinceBoot() - Math.ceil(((performance.now() - sentAt) / 1000) * ticksPerSecond) - 1;
  const killed: number[] = [];
  for (const marked of findMarked(stateDir)) {
    if (marked.processId !== id || marked.startTime < since) continue;
    try {
      process.kill(marked.pid, 'SIGKILL');
      killed.push(marked.pid);
    } catch {
      // Gone meanwhile.
    }
  }
  return killed;
}
