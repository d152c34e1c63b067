/**
 * Which files hold a process's output, and their rotation. Captured streams live in the state
 * dir's logs/ (named after the process: names are validated, so a name cannot leave it); a path
 * target is the user's own file and is rotated the same way. `null` and `inherit` have no file.
 */
import { StatevisorError } from '../errors.js';
import { capturePath } from '../runtime/exec/log-targets.js';
import { LogRotator, type LogRotatorStats } from '../runtime/logs/log-rotator.js';
import type { ProcessSpec } from '../spec/types.js';

export type LogStream = 'stdout' | 'stderr';

export function logFile(logsDir: string, spec: ProcessSpec, stream: LogStream): string | undefined {
  const target = spec.logs[stream];
  if (target === 'null' || target === 'inherit') return undefined;
  return target === 'capture' ? capturePath(logsDir, spec.name, stream) : target;
}

/** The file to read for StreamLogs, or a clear error when that stream is not written anywhere. */
export function readableLogFile(logsDir: string, spec: ProcessSpec, stream: LogStream): string {
  const file = logFile(logsDir, spec, stream);
  if (file === undefined) {
    throw new StatevisorError(
      'E_INVALID_STATE',
      `${spec.name}'s ${stream} is not written to a file (logs.${stream}: ${spec.logs[stream]})`,
    );
  }
  return file;
}

export class LogFiles {
  private readonly rotator = new LogRotator({ intervalMs: 1_000 });

  constructor(private readonly logsDir: string) {}

  /** (Re)apply the rotation policy of a process's spec. */
  watch(id: string, spec: ProcessSpec): void {
    const files = (['stdout', 'stderr'] as const)
      .map((stream) => logFile(this.logsDir, spec, stream))
      .filter((file): file is string => file !== undefined);
    if (files.length === 0 || spec.logs.maxBytes === 0) {
      this.rotator.unwatch(id);
      return;
    }
    this.rotator.watch(id, { files, maxBytes: spec.logs.maxBytes, maxFiles: spec.logs.maxFiles });
  }

  unwatch(id: string): void {
    this.rotator.unwatch(id);
  }

  get stats(): LogRotatorStats {
    return this.rotator.stats;
  }

  close(): Promise<void> {
    return this.rotator.close();
  }
}
