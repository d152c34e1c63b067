/** A Logger that keeps what is logged, for tests that check what the daemon reports. */
import type { Logger } from '../../src/manager/logger.js';

export interface LogRecord {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly fields: Record<string, unknown>;
  readonly message: string | undefined;
}

export function recordingLogger(records: LogRecord[] = []): Logger & { records: LogRecord[] } {
  const at =
    (level: LogRecord['level']) =>
    (first: object | string, message?: string): void => {
      records.push(typeof first === 'string' ? { level, fields: {}, message: first } : { level, fields: { ...first }, message });
    };
  const logger = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), child: () => logger, records };
  return logger as Logger & { records: LogRecord[] };
}
