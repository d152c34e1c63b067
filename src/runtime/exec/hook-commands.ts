/**
 * The hook commands of a run — exec_start_pre, exec_start_post, exec_stop_post — as systemd runs
 * ExecStartPre= and its kin: one after the other, each to its end before the next begins; a
 * command that fails stops the list and fails the stage, unless its program is written with a
 * leading `-` (`["-/usr/bin/cleanup", "--force"]`), whose failure (an exit code, a signal, a
 * missing program) is ignored.
 *
 * Each runs as the main program would (hook-launch.ts gives the how): in its own session and
 * process group, with its env, working dir, umask, user and groups; its output goes into the
 * process's own log files. The stage has one deadline (`timeoutMs`, 0: none); when it passes, or
 * when the chart abandons the stage (the AbortSignal), the running command's whole group is
 * SIGKILLed and waited for.
 */
import { spawn, type SpawnOptions } from 'node:child_process';
import { StatevisorError } from '../../errors.js';
import type { CommandLine } from '../../spec/types.js';
import { describeSignal } from '../os/signals.js';
import { signalGroup } from '../os/process-group.js';

export type HookStage = 'exec_start_pre' | 'exec_start_post' | 'exec_stop_post';

export interface HookLaunch {
  /** The command line that runs `command args` as the process's user (setpriv), or the same. */
  wrap(command: string, args: readonly string[]): { command: string; args: readonly string[] };
  /** env, cwd, detached, uid/gid and stdio for spawn(). */
  readonly options: SpawnOptions;
  /** Runs the synchronous spawn() under the process's umask. */
  readonly withUmask: <T>(fn: () => T) => T;
}

export interface HookStageRun {
  readonly stage: HookStage;
  readonly commands: readonly CommandLine[];
  /** For the whole stage; 0 waits as long as the chart lets it. */
  readonly timeoutMs: number;
  /** What the timeout is, for the message ("start_timeout", "stop.grace_period"). */
  readonly timeoutName: string;
  readonly signal: AbortSignal;
  readonly now: () => number;
}

type Ending = { code: number | null; signal: NodeJS.Signals | null } | { error: Error } | { timedOut: true };

/** `["-/bin/rm", "-f", "x"]` → the program without its `-`, and whether a failure is ignored. */
export function readHookCommand(line: CommandLine): { command: string; args: readonly string[]; ignoreFailure: boolean } {
  const [program = '', ...args] = line;
  const ignoreFailure = program.startsWith('-');
  return { command: ignoreFailure ? program.slice(1) : program, args, ignoreFailure };
}

/** How a hook is named in messages: `exec_start_pre[1] \`/usr/bin/migrate --up\``. */
export function hookLabel(stage: HookStage, index: number, line: CommandLine): string {
  const text = line.join(' ');
  return `${stage}[${index}] \`${text.length > 80 ? `${text.slice(0, 77)}...` : text}\``;
}

function outcomeText(ending: Ending, timeoutName: string, timeoutMs: number): string | undefined {
  if ('timedOut' in ending) return `did not finish within ${timeoutName} (${timeoutMs} ms)`;
  if ('error' in ending) return `could not run: ${ending.error.message}`;
  if (ending.signal !== null) return `killed by ${describeSignal(ending.signal)}`;
  return ending.code === 0 ? undefined : `exited ${ending.code}`;
}

/** One command to its end (or its group killed at the deadline or the abort). */
function runCommand(launch: HookLaunch, line: CommandLine, deadline: number | undefined, run: HookStageRun): Promise<Ending> {
  const { command, args } = readHookCommand(line);
  const { command: program, args: argv } = launch.wrap(command, args);
  return new Promise<Ending>((resolve) => {
    let timedOut = false;
    let timer: NodeJS.Timeout | undefined;
    const child = launch.withUmask(() => spawn(program, [...argv], launch.options));
    const killGroup = () => {
      if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) signalGroup(child.pid, 'SIGKILL');
    };
    const onAbort = () => killGroup();
    const settle = (ending: Ending) => {
      clearTimeout(timer);
      run.signal.removeEventListener('abort', onAbort);
      resolve(ending);
    };
    child.once('error', (error) => settle({ error }));
    child.once('exit', (code, signal) => settle(timedOut ? { timedOut: true } : { code, signal }));
    child.once('spawn', () => {
      if (run.signal.aborted) return killGroup();
      run.signal.addEventListener('abort', onAbort, { once: true });
      if (deadline === undefined) return;
      timer = setTimeout(() => {
        timedOut = true;
        killGroup();
      }, Math.max(0, deadline - run.now()));
    });
  });
}

/**
 * Runs a stage's commands in order. Rejects with E_START_FAILED naming the command and how it
 * failed ("exec_start_pre[0] `/bin/false` exited 1"); with the signal's reason when the chart
 * abandoned the stage.
 */
export async function runHookCommands(run: HookStageRun, launch: HookLaunch): Promise<void> {
  const deadline = run.timeoutMs > 0 ? run.now() + run.timeoutMs : undefined;
  for (const [index, line] of run.commands.entries()) {
    if (run.signal.aborted) throw run.signal.reason;
    const ending = await runCommand(launch, line, deadline, run);
    if (run.signal.aborted) throw run.signal.reason;
    const failure = outcomeText(ending, run.timeoutName, run.timeoutMs);
    // A timeout is the stage's, not the command's: `-` does not make it wait longer.
    if (failure === undefined || (readHookCommand(line).ignoreFailure && !('timedOut' in ending))) continue;
    const error = new StatevisorError('E_START_FAILED', `${hookLabel(run.stage, index, line)} ${failure}`);
    throw Object.assign(error, { at: run.now() });
  }
}
