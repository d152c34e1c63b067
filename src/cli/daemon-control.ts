/**
 * `statevisor daemon --detach` and `statevisor daemon --stop`: the daemon's lifecycle from the
 * command line, run in the CLI's process, never the daemon's. They reach the daemon only through
 * its socket (Health, GetStatus), its pid and its log file, so they load no server code, as the
 * rest of the CLI does not (src/bin dispatches here before the daemon's own parser).
 *
 * They read only the two daemon flags that say where a daemon lives, --socket and --state-dir
 * (else the defaults both sides resolve in src/paths.ts); every other flag is passed to the
 * detached daemon untouched and checked by it: a refusal lands in its log, whose tail is printed.
 */
import path from 'node:path';
import { defaultSocketPath, defaultStateDir } from '../paths.js';
import { UsageError, reportError } from './errors.js';
import { detachDaemon } from './detach.js';
import { stopDaemon } from './daemon-stop.js';
import type { DaemonPlace } from './daemon-place.js';

export interface DaemonControl extends DaemonPlace {
  readonly action: 'detach' | 'stop';
  /** The daemon's own arguments, without --detach or --stop. */
  readonly daemonArgs: string[];
}

const controls = new Map([
  ['--detach', 'detach'],
  ['--stop', 'stop'],
] as const);

/** The value of `--flag VALUE` or `--flag=VALUE` before `--`, the last one winning as in commander. */
function flagValue(args: readonly string[], flag: string): string | undefined {
  let value: string | undefined;
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i]!;
    if (arg === '--') break;
    if (arg === flag) {
      value = args[i + 1];
      if (value === undefined) throw new UsageError(`daemon: ${flag} needs a value`);
      i += 1;
    } else if (arg.startsWith(`${flag}=`)) value = arg.slice(flag.length + 1);
  }
  return value;
}

/** The daemon's arguments (without the word `daemon`) ask for --detach or --stop: what and where. Else undefined. */
export function daemonControlOf(args: readonly string[]): DaemonControl | undefined {
  const end = args.indexOf('--');
  const own = end < 0 ? args : args.slice(0, end);
  const asked = [...new Set(own.filter((arg) => controls.has(arg as never)))];
  if (asked.length === 0) return undefined;
  if (asked.length > 1) throw new UsageError('daemon: give --detach or --stop, not both');
  const socket = flagValue(args, '--socket') ?? defaultSocketPath();
  const stateDir = flagValue(args, '--state-dir') ?? defaultStateDir();
  return {
    action: controls.get(asked[0] as '--detach' | '--stop')!,
    socket: path.resolve(socket),
    stateDir: path.resolve(stateDir),
    daemonArgs: own.filter((arg) => !controls.has(arg as never)).concat(end < 0 ? [] : args.slice(end)),
  };
}

/** Runs the control the arguments ask for and returns the exit code; undefined when they ask for none. */
export async function runDaemonControl(args: readonly string[]): Promise<number | undefined> {
  try {
    const control = daemonControlOf(args);
    if (control === undefined) return undefined;
    return control.action === 'detach' ? await detachDaemon(control) : await stopDaemon(control);
  } catch (error) {
    return reportError(error);
  }
}
