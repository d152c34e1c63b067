/**
 * A Logger that keeps what is logged, for tests that check what the daemon reports. A child's
 * bindings (`logger.child({ process })`) are in the fields of each line it logs, as pino puts them.
 */
import type { Logger } from '../../src/manager/logger.js';

export interface LogRecord {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly fields: Record<string, unknown>;
  readonly message: string | undefined;
}

export function recordingLogger(records: LogRecord[] = [], bindings: Record<string, unknown> = {}): Logger & { records: LogRecord[] } {
  const at =
    (level: LogRecord['level']) =>
    (first: object | string, message?: string): void => {
      records.push(
        typeof first === 'string' ? { level, fields: { ...bindings }, message: first } : { level, fields: { ...bindings, ...first }, message },
      );
    };
  return {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: (more) => recordingLogger(records, { ...bindings, ...more }),
    records,
  };
}
