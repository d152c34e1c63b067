/**
 * One spawned workload: its pid, its process group, and a promise of its exit. The daemon never
 * holds a stream of the child's output (stdio goes to file descriptors), so a handle is small.
 */
import type { ChildProcess } from 'node:child_process';

export interface ChildExit {
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly at: number;
  /** What the exit status alone does not say, e.g. that the SIGKILL was the OOM killer's. */
  readonly cause?: string;
}

/** A workload the exec runtime answers for: a child it spawned, or a survivor it adopted. */
export interface WorkloadHandle {
  readonly pid: number;
  readonly pgid: number;
  readonly startedAt: number;
  readonly exited: Promise<ChildExit>;
  readonly exit: ChildExit | undefined;
  readonly alive: boolean;
}

export class ChildHandle implements WorkloadHandle {
  readonly pid: number;
  /** The child leads its own group (detached spawn calls setsid), so pgid = pid. */
  readonly pgid: number;
  readonly startedAt: number;
  private exitInfo: ChildExit | undefined;
  readonly exited: Promise<ChildExit>;

  constructor(
    readonly child: ChildProcess,
    startedAt: number,
    now: () => number,
  ) {
    if (child.pid === undefined) throw new Error('child has no pid: spawn failed');
    this.pid = child.pid;
    this.pgid = child.pid;
    this.startedAt = startedAt;
    this.exited = new Promise((resolve) => {
      // libuv reaps the child (waitpid) before emitting 'exit': once here, no zombie is left.
      child.once('exit', (exitCode, signal) => {
        this.exitInfo = { exitCode, signal, at: now() };
        resolve(this.exitInfo);
      });
    });
  }

  get exit(): ChildExit | undefined {
    return this.exitInfo;
  }

  get alive(): boolean {
    return this.exitInfo === undefined;
  }
}
