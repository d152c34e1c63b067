/**
 * The baselines' own work, run inside baseline-process.ts: a bare child_process.spawn loop of N
 * sleeps (detached, stdio ignored — what the daemon does per process), timed until every child
 * has emitted 'spawn'; SIGTERM to each, timed until every 'exit' has fired; and a bare
 * respawn-on-'exit' loop of one command.
 */
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';

export interface BareFleet {
  readonly pids: readonly number[];
  readonly exits: readonly Promise<void>[];
  /** From the first spawn() call until the last 'spawn' event. */
  readonly startMs: number;
}

export async function startBareFleet(n: number, markerArg: string): Promise<BareFleet> {
  const spawned: Promise<number>[] = [];
  const exits: Promise<void>[] = [];
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const child = spawn('sleep', [markerArg], { detached: true, stdio: 'ignore' });
    exits.push(new Promise((resolve) => child.once('exit', () => resolve())));
    spawned.push(
      new Promise((resolve, reject) => {
        child.once('spawn', () => resolve(child.pid!));
        child.once('error', reject);
      }),
    );
  }
  const pids = await Promise.all(spawned);
  return { pids, exits, startMs: performance.now() - t0 };
}

/** SIGTERM every child; resolves with the ms until every 'exit' fired. */
export async function stopBareFleet(fleet: BareFleet): Promise<number> {
  const t0 = performance.now();
  for (const pid of fleet.pids) {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // Already gone.
    }
  }
  await Promise.all(fleet.exits);
  return performance.now() - t0;
}

/** Runs `command` `runs` times in a row, each spawned as soon as the previous one's 'exit' fired. */
export function bareRespawnLoop(command: string, args: readonly string[], runs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let done = 0;
    const run = (): void => {
      const child = spawn(command, args, { detached: true, stdio: 'ignore' });
      child.once('error', reject);
      child.once('exit', () => (++done >= runs ? resolve() : run()));
    };
    run();
  });
}
