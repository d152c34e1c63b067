/**
 * Where a child's stdout and stderr go. A file target is opened here and its descriptor handed to
 * the child: the kernel writes, the daemon holds no stream and spends no event-loop time per
 * byte, and the child keeps writing if the daemon restarts.
 */
import { closeSync, mkdirSync, openSync, constants } from 'node:fs';
import path from 'node:path';
import type { StdioOptions } from 'node:child_process';
import type { LogTarget } from '../../spec/types.js';

export interface LogTargetOptions {
  /** Directory of captured logs; one file per process and stream. */
  readonly logsDir: string;
}

export interface OpenedStdio {
  readonly stdio: StdioOptions;
  /** Descriptors the daemon opened; close them once the child has its own copies. */
  readonly opened: number[];
}

/** The file a captured stream is written to. Names are validated, so they cannot leave logsDir. */
export function capturePath(logsDir: string, name: string, stream: 'stdout' | 'stderr'): string {
  return path.join(logsDir, `${name}.${stream}.log`);
}

function openAppend(file: string): number {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o750 });
  return openSync(file, constants.O_WRONLY | constants.O_CREAT | constants.O_APPEND, 0o640);
}

function target(
  value: LogTarget,
  name: string,
  stream: 'stdout' | 'stderr',
  options: LogTargetOptions,
  opened: number[],
): 'ignore' | 'inherit' | number {
  switch (value) {
    case 'null':
      return 'ignore';
    case 'inherit':
      return 'inherit';
    case 'capture': {
      const fd = openAppend(capturePath(options.logsDir, name, stream));
      opened.push(fd);
      return fd;
    }
    default: {
      const fd = openAppend(value);
      opened.push(fd);
      return fd;
    }
  }
}

export function openStdio(
  name: string,
  logs: { stdout: LogTarget; stderr: LogTarget },
  options: LogTargetOptions,
): OpenedStdio {
  const opened: number[] = [];
  try {
    const out = target(logs.stdout, name, 'stdout', options, opened);
    const err = target(logs.stderr, name, 'stderr', options, opened);
    return { stdio: ['ignore', out, err], opened };
  } catch (error) {
    closeAll(opened);
    throw error;
  }
}

export function closeAll(fds: readonly number[]): void {
  for (const fd of fds) {
    try {
      closeSync(fd);
    } catch {
      // Already closed: nothing to release.
    }
  }
}
