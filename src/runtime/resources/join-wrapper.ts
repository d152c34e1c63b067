/**
 * Starting a program already inside its cgroup and under its rlimits.
 *
 * Node's spawn() cannot place a child in a cgroup, and moving it there after spawn() returns
 * races the child: it may allocate or fork before the move, and its early children would stay
 * outside. So the child starts as a tiny shell that writes its own pid ($$) to each cgroup.procs,
 * sets its rlimits, and then execs the program: exec keeps the pid, so the program runs its
 * first instruction inside the group, and everything it forks is born there.
 *
 * If the shell cannot join, it must not run the program unlimited: it exits with
 * joinFailureExitCode (and a `statevisor:` line on stderr) without exec'ing anything. A refused
 * rlimit exits with rlimitFailureExitCode the same way.
 */
import { StatevisorError } from '../../errors.js';
import type { WrapperRlimits } from './limit-plan.js';

/** The wrapper could not write its pid to a cgroup.procs file; the program never ran. */
export const joinFailureExitCode = 225;
/** The wrapper could not set an rlimit; the program never ran. */
export const rlimitFailureExitCode = 226;

export interface WrapOptions {
  readonly cgroupProcsFiles: readonly string[];
  readonly rlimits?: WrapperRlimits;
  /** Export LISTEN_PID=$$ before the exec: the program's own pid, as socket activation needs it. */
  readonly listenPid?: boolean;
}

export interface WrappedCommand {
  readonly command: '/bin/sh';
  readonly args: string[];
}

/** Single-quotes `value` for sh: the only character to escape inside '…' is ' itself. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

function limitValue(what: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new StatevisorError('E_INVALID_ARGUMENT', `${what} must be a positive integer, not ${value}`);
  }
  return value;
}

function failWith(code: number, message: string): string {
  return `{ printf '%s\\n' ${shellQuote(`statevisor: ${message}`)} >&2; exit ${code}; }`;
}

/** The `sh -c` line that runs `command args…` inside the groups and rlimits of `options`. */
export function wrapCommand(command: string, args: readonly string[], options: WrapOptions): WrappedCommand {
  const steps: string[] = [];
  for (const file of options.cgroupProcsFiles) {
    steps.push(`echo $$ > ${shellQuote(file)} || ${failWith(joinFailureExitCode, `cannot join cgroup: ${file}`)}`);
  }
  const { addressSpaceKb, processes } = options.rlimits ?? {};
  if (addressSpaceKb !== undefined) {
    const kb = limitValue('addressSpaceKb', addressSpaceKb);
    steps.push(`ulimit -v ${kb} || ${failWith(rlimitFailureExitCode, `cannot set RLIMIT_AS to ${kb} KiB`)}`);
  }
  if (processes !== undefined) {
    const count = limitValue('processes', processes);
    // bash and busybox spell RLIMIT_NPROC -u; dash has no -u and spells it -p (bash's -p is the pipe size).
    steps.push(
      `{ ulimit -u ${count} 2>/dev/null || ulimit -p ${count}; } || ` +
        failWith(rlimitFailureExitCode, `cannot set RLIMIT_NPROC to ${count}`),
    );
  }
  // $$ is this shell's pid, which exec keeps: the program's pid (sd_listen_fds checks it).
  if (options.listenPid === true) steps.push('LISTEN_PID=$$; export LISTEN_PID');
  steps.push('exec "$0" "$@"');
  // $0 is the program, so that `ps` and error messages of the shell name it, and "$@" its arguments.
  return { command: '/bin/sh', args: ['-c', steps.join('\n'), command, ...args] };
}
