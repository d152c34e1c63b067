/**
 * Where a daemon lives (its socket and state dir, as `daemon --detach` and `--stop` read them)
 * and whether one answers there: what starting and stopping a daemon from the CLI share.
 */
import path from 'node:path';
import type { StatevisorClient } from '../client/index.js';

export interface DaemonPlace {
  /** Absolute. */
  readonly socket: string;
  /** Absolute; the detached daemon's output goes to daemon.log in it. */
  readonly stateDir: string;
}

export function daemonLogOf(stateDir: string): string {
  return path.join(stateDir, 'daemon.log');
}

/** The daemon answering on the client's socket, or undefined when none answers (quickly: a missing socket fails at connect). */
export async function runningDaemon(client: StatevisorClient): Promise<{ pid: number; stateDir: string } | undefined> {
  try {
    const status = await client.getStatus({ deadlineMs: 5_000 });
    return { pid: status.pid, stateDir: status.stateDir };
  } catch {
    return undefined;
  }
}
