/**
 * A workload the spawner started (spawner.ts): the spawner is its parent and reaps it, and tells
 * the daemon of its exit. Should the spawner die first, the child is no longer anyone's here
 * (init reaps it), so from then on it is watched as an adopted survivor is: by pid and start time,
 * its exit status unknown (adopted-handle.ts).
 */
import { AdoptedHandle } from './adopted-handle.js';
import type { ChildExit, WorkloadHandle } from './child-handle.js';

export class SpawnedHandle implements WorkloadHandle {
  /** The child leads its own group (the spawner spawns it detached: setsid), so pgid = pid. */
  readonly pgid: number;
  readonly exited: Promise<ChildExit>;
  private exitInfo: ChildExit | undefined;
  private settle!: (exit: ChildExit) => void;

  constructor(
    readonly pid: number,
    /** Clock ticks since boot, read by the spawner while the child surely ran. */
    readonly startTime: number,
    readonly startedAt: number,
    private readonly now: () => number,
  ) {
    this.pgid = pid;
    this.exited = new Promise((resolve) => (this.settle = resolve));
  }

  /** The spawner reaped the child: its exit status is known. */
  ended(exitCode: number | null, signal: string | null): void {
    this.finish({ exitCode, signal, at: this.now() });
  }

  /** The spawner is gone before the child: watch it by identity from now on. */
  orphaned(): void {
    if (this.exitInfo !== undefined) return;
    const watch = new AdoptedHandle(this.pid, this.pgid, this.startTime, this.startedAt, this.now);
    void watch.exited.then((exit) => this.finish(exit));
  }

  private finish(exit: ChildExit): void {
    if (this.exitInfo !== undefined) return;
    this.exitInfo = exit;
    this.settle(exit);
  }

  get exit(): ChildExit | undefined {
    return this.exitInfo;
  }

  get alive(): boolean {
    return this.exitInfo === undefined;
  }
}
