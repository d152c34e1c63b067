/**
 * While a stop waits out its grace period: one line on a terminal, rewritten each second and
 * erased when the stop returns — `stopping api… 3s of 10s grace`. Nothing at all when stderr is
 * not a terminal, so scripts and logs get only the result. The line starts after a second, so a
 * quick stop prints nothing extra.
 */
import type { StatevisorClient } from '../client/index.js';
import { specDefaults } from '../spec/defaults.js';
import { formatDuration } from './format.js';

const tickMs = 1_000;
/** The daemon never lets a grace period be shorter. */
const minGraceMs = 1_000;
const eraseLine = '\r\u001b[K';

export function progressLine(name: string, elapsedMs: number, graceMs: number): string {
  const grace = formatDuration(graceMs);
  if (elapsedMs < graceMs) return `stopping ${name}… ${Math.floor(elapsedMs / tickMs)}s of ${grace} grace`;
  return `stopping ${name}… ${grace} grace period over, sending SIGKILL`;
}

/**
 * Runs `stop` (a stop, or a restart's stop) with the progress line. `graceMs` is this stop's grace
 * period when the command set one; else the spec's, asked of the daemon (only on a terminal).
 */
export async function withStopProgress<T>(
  client: StatevisorClient,
  name: string,
  graceMs: number | undefined,
  stop: () => Promise<T>,
  out: NodeJS.WriteStream = process.stderr,
): Promise<T> {
  if (out.isTTY !== true) return stop();
  const grace = Math.max(minGraceMs, graceMs ?? (await client.describeProcess(name)).spec?.stop?.gracePeriodMs ?? specDefaults.stop.gracePeriodMs);
  const since = Date.now();
  let shown = false;
  const timer = setInterval(() => {
    out.write(`${eraseLine}${progressLine(name, Date.now() - since, grace)}`);
    shown = true;
  }, tickMs);
  try {
    return await stop();
  } finally {
    clearInterval(timer);
    if (shown) out.write(eraseLine);
  }
}
