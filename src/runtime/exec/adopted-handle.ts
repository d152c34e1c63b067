/**
 * A workload that is not our child: a survivor of a daemon restart (a workload the previous
 * daemon spawned, still running, and now answered for by this one), or the daemon a forking run's
 * command left behind (forking.ts). No exit event and no exit status reach us; its end is seen by
 * polling its identity (pid plus start time, so a reused pid is not mistaken for it), and its
 * exit status is unknown (null code, null signal).
 */
import { isZombie, processStartTime, readProcStat } from '../os/proc-stat.js';
import type { ChildExit, WorkloadHandle } from './child-handle.js';

export const adoptionPollMs = 200;

export class AdoptedHandle implements WorkloadHandle {
  readonly exited: Promise<ChildExit>;
  private exitInfo: ChildExit | undefined;
  private lastPgid: number;

  constructor(
    readonly pid: number,
    pgid: number,
    private readonly startTime: number,
    readonly startedAt: number,
    now: () => number,
  ) {
    this.lastPgid = pgid;
    this.exited = new Promise((resolve) => {
      const check = (): void => {
        if (this.isRunning()) {
          setTimeout(check, adoptionPollMs).unref();
          return;
        }
        this.exitInfo = { exitCode: null, signal: null, at: now() };
        resolve(this.exitInfo);
      };
      check();
    });
  }

  /**
   * Its process group as it is now: not our child, it may change group after it was found (a
   * forking daemon's `setsid` can come after the pid that names it was written). Once it has
   * ended, the last group it was seen in.
   */
  get pgid(): number {
    const stat = this.alive ? readProcStat(this.pid) : undefined;
    if (stat !== undefined && stat.startTimeTicks === this.startTime) this.lastPgid = stat.pgid;
    return this.lastPgid;
  }

  /** The same process still runs: same pid, same start time, and not a zombie waiting for PID 1. */
  isRunning(): boolean {
    return processStartTime(this.pid) === this.startTime && !isZombieSafe(this.pid);
  }

  get exit(): ChildExit | undefined {
    return this.exitInfo;
  }

  get alive(): boolean {
    return this.exitInfo === undefined;
  }
}

function isZombieSafe(pid: number): boolean {
  try {
    return isZombie(pid);
  } catch {
    return false;
  }
}
