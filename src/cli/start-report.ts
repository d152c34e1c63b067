/**
 * What `create --start`, `start` and `restart` share: the flags of the wait, and how its outcome
 * is told — the success line on stdout, anything else as one `statevisor: …` line on stderr —
 * and the exit code it means: 0 started, 1 failed or still starting at the deadline, 130 when
 * Ctrl-C ended the wait (as a shell reports an interrupted command).
 */
import type { Command } from 'commander';
import type { Process, StatevisorClient } from '../client/index.js';
import { globalOptions, withClient } from './connection.js';
import { ExitCode, notice } from './errors.js';
import { paragraph } from './help.js';
import { deadlines } from '../deadlines.js';
import { formatDuration } from './format.js';
import { printJson, printLine } from './output.js';
import { duration } from './spec-flags.js';
import { startAndWait, type StartOutcome } from './wait-for-start.js';
import { outcome as summary } from './views/summary.js';

export const exitInterrupted = 130;

export interface WaitOptions {
  /** False with --no-wait. */
  wait: boolean;
  timeout?: number;
}

/** `--no-wait`, `--timeout` and what the wait means; `lead` says when it applies ("With --start, waits"). */
export function addWaitFlags(command: Command, lead = 'Waits'): Command {
  return command
    .option('--no-wait', 'return once the start has begun')
    .option('--timeout <duration>', `how long to wait at most (default: start_timeout + ${formatDuration(deadlines.startVerdictMarginMs)})`, duration)
    .addHelpText(
      'after',
      `\n${paragraph(
        `${lead}, like systemctl start, until the run is RUNNING (with a health check: healthy; a oneshot: EXITED), ` +
          'then exits 0; or until it has failed (BACKOFF, FAILED, STOPPED), then exits 1 with the reason. ' +
          'Still starting at the deadline: exit 1. Ctrl-C stops waiting (exit 130); the process goes on.',
      )}`,
    );
}

/** Prints the outcome (the success line only without --json) and returns the exit code. */
export function reportStart(outcome: StartOutcome, verb: string, json: boolean): number {
  const { process } = outcome;
  const name = process.name;
  switch (outcome.kind) {
    case 'started':
      // STARTING here is a run of start_on: connection waiting for its first client (wait-for-start.ts).
      if (!json) printLine(process.state === 'STARTING' ? `${summary(verb, process)}: it runs from the first connection to its sockets` : summary(verb, process));
      return 0;
    case 'failed':
      notice(`${name} did not start (${process.state}): ${outcome.reason}`);
      return 1;
    case 'timeout':
      notice(`${name} is still ${process.state} after ${formatDuration(outcome.timeoutMs)}; it goes on starting (see 'statevisor describe ${name}')`);
      return 1;
    case 'interrupted':
      notice(`stopped waiting; ${name} is still ${process.state} (see 'statevisor describe ${name}')`);
      return exitInterrupted;
  }
}

/** The exit code of several outcomes: an interruption first, then any failure. */
export function worstExit(codes: readonly number[]): number {
  if (codes.includes(exitInterrupted)) return exitInterrupted;
  return codes.some((code) => code !== 0) ? 1 : 0;
}

/**
 * The body of a command that starts a run (`start`, `restart`): `begin` asks for it; then, unless
 * --no-wait, the outcome is awaited and told. `verb` is the success line's: "started web (RUNNING, pid 42)".
 */
export async function startCommand(
  command: Command,
  name: string,
  options: WaitOptions,
  verb: string,
  begin: (client: StatevisorClient) => Promise<Process>,
): Promise<void> {
  const json = globalOptions(command).json === true;
  const result = await withClient(command, async (client) =>
    options.wait ? startAndWait(client, name, () => begin(client), options.timeout) : { kind: 'begun' as const, process: await begin(client) },
  );
  if (json) printJson(result.process);
  if (result.kind === 'begun') {
    if (!json) printLine(summary(verb, result.process));
    return;
  }
  const code = reportStart(result, verb, json);
  if (code !== 0) throw new ExitCode(code);
}
