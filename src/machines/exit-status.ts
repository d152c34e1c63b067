/**
 * How a workload ended, in the words every report uses (the terminating transition, the restart
 * guard's reason, the `exited` event): "exited with code 3", "killed by SIGKILL (out of memory)".
 */
export interface ExitStatus {
  readonly exitCode: number | null;
  readonly signal: string | null;
  /** What the exit status alone does not say, e.g. that the SIGKILL was the OOM killer's. */
  readonly cause?: string;
}

export function describeExit(exit: ExitStatus): string {
  const status =
    exit.signal !== null
      ? `killed by ${exit.signal}`
      : exit.exitCode === null
        ? // A process that is not the daemon's child (adopted, or a forking run's daemon): no wait() tells how it ended.
          'exited (exit status unknown: not a child of the daemon)'
        : `exited with code ${exit.exitCode}`;
  return exit.cause ? `${status} (${exit.cause})` : status;
}
