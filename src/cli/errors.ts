/**
 * How the CLI fails: one line on stderr, `statevisor: <message>`, and an exit code — 2 when the
 * command line itself is wrong (nothing was sent), 1 for everything else. A daemon's message is
 * printed as the daemon wrote it: it names the field, the value and what was expected.
 */
import { CommanderError } from 'commander';
import { StatevisorError } from '../errors.js';
import { RpcError } from '../client/index.js';
import { currentSink } from './output.js';

export const exitFailure = 1;
export const exitUsage = 2;

/** The command line is wrong: a bad flag value, a missing operand, a spec that cannot be valid. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** A failure already reported (or one that needs no message, like `health` not SERVING). */
export class ExitCode extends Error {
  override readonly name = 'ExitCode';
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

/** Help and version are CommanderErrors too, but successful ones. */
const commanderSuccess = new Set(['commander.helpDisplayed', 'commander.version']);

/** Writes the error's one line (if it has one) and returns the exit code. */
export function reportError(error: unknown, hint?: string): number {
  if (error instanceof ExitCode) return error.code;
  if (error instanceof CommanderError) {
    if (commanderSuccess.has(error.code)) return 0;
    // 'commander.help': usage was already printed to stderr (e.g. no command given).
    if (error.code !== 'commander.help') writeLine(`${error.message.replace(/^error: /, '')}${hint ? ` (${hint})` : ''}`);
    return exitUsage;
  }
  if (error instanceof UsageError) {
    writeLine(error.message);
    return exitUsage;
  }
  if (error instanceof StatevisorError) {
    writeLine(error.message);
    // The client refused the request before sending it (a bad address, an empty name).
    const local = !(error instanceof RpcError) && (error.code === 'E_INVALID_ARGUMENT' || error.code === 'E_SPEC_INVALID');
    return local ? exitUsage : exitFailure;
  }
  writeLine(error instanceof Error ? error.message : String(error));
  return exitFailure;
}

/**
 * A command that did what it could and failed in part (reload, apply -f): each failure on its own
 * `statevisor: …` line, after what succeeded was printed; the exit code is 1 when there was any.
 */
export function failIfAny(messages: readonly string[]): void {
  if (messages.length === 0) return;
  for (const message of messages) writeLine(message);
  throw new ExitCode(exitFailure);
}

/** Something the user should know that is not a failure (a stream skipped): the same one line on stderr. */
export function notice(message: string): void {
  writeLine(message);
}

function writeLine(message: string): void {
  // One line, whatever the message holds: scripts read stderr line by line.
  const line = message.replace(/\s*\n\s*/g, ' ');
  const sink = currentSink();
  if (sink) sink.error(line);
  else process.stderr.write(`statevisor: ${line}\n`);
}
