/**
 * The daemon's root logger: pino, JSON lines on stderr, or pino-pretty when stderr is a terminal.
 */
import pino from 'pino';
import type { Logger } from '../manager/logger.js';

export const logLevels = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevel = (typeof logLevels)[number];

export function createDaemonLogger(level: LogLevel, pretty = process.stderr.isTTY === true): Logger {
  if (pretty) {
    return pino({ level }, pino.transport({ target: 'pino-pretty', options: { destination: 2, colorize: true } })) as unknown as Logger;
  }
  return pino({ level }, pino.destination({ dest: 2, sync: false })) as unknown as Logger;
}
