/**
 * The spec flags of `create` and `update`, one table: each flag, how its value is read, and the
 * spec field it sets — which is also its update-mask path, so that `update` changes exactly the
 * fields whose flags were given. Values are read here so that a bad one is reported with the
 * flag's name before anything is sent; what only the whole spec can tell (a bad name, a relative
 * path in a file) is left to src/spec's validation.
 */
import path from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import type { ProcessSpecPatch } from '../client/index.js';
import {
  killModes,
  logSinks,
  parseListenAddress,
  processTypes,
  readByteSize,
  readDuration,
  readSignal,
  restartPolicies,
  restartPolicySynonyms,
  startOnValues,
} from '../spec/index.js';

interface SpecFlag {
  /** camelCase path in ProcessSpecInput, e.g. "restart.delayMs"; the client turns it into a mask path. */
  field: string;
  /** The commander attribute holding the value (a flag and its --no- form share one). */
  attribute: string;
  options: () => Option[];
}

const durationForm = /^(\d+(\.\d+)?(ms|s|m|h))+$/;

export function duration(value: string): number {
  // The spec reads a bare number as milliseconds; on a command line "5" is too easily meant as
  // seconds (systemd reads it so), so a unit is required.
  if (value !== '0' && !durationForm.test(value)) {
    throw new InvalidArgumentError('expected a duration with a unit, such as 250ms, 5s, 1.5s, 2m or 1h');
  }
  const parsed = readDuration(value);
  if (!parsed.ok) throw new InvalidArgumentError(`expected ${parsed.expected}`);
  return parsed.value;
}

export function byteSize(value: string): number {
  const parsed = readByteSize(value);
  if (!parsed.ok) throw new InvalidArgumentError(`expected ${parsed.expected}`);
  return parsed.value;
}

export function wholeNumber(value: string): number {
  if (!/^\d{1,15}$/.test(value)) throw new InvalidArgumentError('expected a whole number');
  return Number(value);
}

export function signalName(value: string): string {
  const parsed = readSignal(value);
  if (!parsed.ok) throw new InvalidArgumentError(`expected ${parsed.expected}`);
  return parsed.value;
}

function pairs(what: string) {
  return (value: string, previous: Record<string, string> | undefined): Record<string, string> => {
    const at = value.indexOf('=');
    if (at <= 0) throw new InvalidArgumentError(`expected ${what}=VALUE`);
    return { ...previous, [value.slice(0, at)]: value.slice(at + 1) };
  };
}

function repeated<T>(read: (value: string) => T) {
  return (value: string, previous: T[] | undefined): T[] => [...(previous ?? []), read(value)];
}

// Relative paths mean the caller's directory, not the daemon's: resolved here, where it is known.
const absolute = (value: string): string => path.resolve(value);
const envFile = (value: string): string => (value.startsWith('-') ? `-${path.resolve(value.slice(1))}` : path.resolve(value));
const logTarget = (value: string): string => ((logSinks as readonly string[]).includes(value) ? value : path.resolve(value));

/** `[name=]LISTEN`: a name is what comes before an "=" that is not inside a path. */
export function socketFlag(value: string): { listen: string; name?: string } {
  const at = value.indexOf('=');
  const named = at > 0 && !value.slice(0, at).includes('/');
  const written = named ? value.slice(at + 1) : value;
  // A relative path means the caller's directory, as every path flag does.
  const listen = written.startsWith('./') || written.startsWith('../') ? path.resolve(written) : written;
  const parsed = parseListenAddress(listen);
  if (!parsed.ok) throw new InvalidArgumentError(`expected [NAME=]ADDRESS, ADDRESS being ${parsed.expected}`);
  return named ? { name: value.slice(0, at), listen } : { listen };
}

function valued<T>(field: string, flags: string, description: string, parse?: (value: string, previous: T) => T): SpecFlag {
  const option = () => {
    const made = new Option(flags, description);
    return parse ? made.argParser(parse) : made;
  };
  return { field, attribute: new Option(flags).attributeName(), options: () => [option()] };
}

function choice(field: string, flags: string, description: string, choices: readonly string[]): SpecFlag {
  return { field, attribute: new Option(flags).attributeName(), options: () => [new Option(flags, description).choices(choices)] };
}

const specFlags: readonly SpecFlag[] = [
  valued('description', '--description <text>', 'what the process is for'),
  {
    field: 'autoStart',
    attribute: 'autoStart',
    options: () => [
      new Option('--auto-start', 'start it on create and whenever the daemon loads it'),
      new Option('--no-auto-start', 'only start it when asked'),
    ],
  },
  choice('type', '--type <type>', 'simple: a service that keeps running; oneshot: a job that ends; forking: a command that daemonises and exits 0 (needs --pidfile)', processTypes),
  valued('pidfile', '--pidfile <path>', 'type forking: where its daemon writes its pid; otherwise statevisor writes the main pid there', absolute),
  choice('restart.policy', '--restart <policy>', 'when a run that ended is started again', [...restartPolicies, ...Object.keys(restartPolicySynonyms)]),
  valued('restart.delayMs', '--restart-delay <duration>', 'delay before a restart, doubled per failure in a row', duration),
  valued('restart.maxDelayMs', '--max-delay <duration>', 'the longest restart delay', duration),
  valued('restart.startLimitBurst', '--start-limit-burst <n>', 'give up after this many starts within the interval (0: never)', wholeNumber),
  valued('restart.startLimitIntervalMs', '--start-limit-interval <duration>', 'the interval of the start limit', duration),
  valued('restart.minUptimeMs', '--min-uptime <duration>', 'a failure sooner than this after a start is a failed start (a success never is)', duration),
  valued('restart.successExitCodes', '--success-exit-code <n>', 'an exit code besides 0 that means success (repeatable)', repeated(wholeNumber)),
  valued('stop.signal', '--stop-signal <signal>', 'the signal that asks it to stop (TERM, SIGINT, 2…)', signalName),
  valued('stop.gracePeriodMs', '--grace-period <duration>', 'how long a stop waits before SIGKILL', duration),
  choice('stop.killMode', '--kill-mode <mode>', 'what a stop signals', killModes),
  valued('env', '--env <name=value>', 'an environment variable (repeatable; update replaces them all)', pairs('NAME')),
  valued('envFiles', '--env-file <path>', 'a file of NAME=value lines; a leading - makes it optional (repeatable)', repeated(envFile)),
  valued('workingDir', '--cwd <path>', 'working directory', absolute),
  valued('user', '--user <user>', 'run as this user (name or uid)'),
  valued('group', '--group <group>', 'run as this group (name or gid)'),
  valued('umask', '--umask <octal>', 'file mode creation mask, e.g. 022'),
  valued('runtimeDirectory', '--runtime-directory <name>', 'a directory made for each run under /run (root) or $XDG_RUNTIME_DIR, removed after it'),
  valued('runtimeDirectoryMode', '--runtime-directory-mode <octal>', 'the runtime directory\'s mode, e.g. 0750 (default 0755)'),
  valued('labels', '--label <key=value>', 'a label for list --selector (repeatable; update replaces them all)', pairs('KEY')),
  valued('resources.memoryBytes', '--memory <size>', 'memory limit of the whole tree, e.g. 512MiB (a cgroup; else RLIMIT_AS)', byteSize),
  valued('resources.pids', '--pids <n>', 'most processes and threads the tree may hold at once', wholeNumber),
  valued('resources.cpuMillis', '--cpu <millis>', 'CPU limit in thousandths of a CPU: 500 is half of one', wholeNumber),
  valued('logs.stdout', '--stdout <target>', 'capture, null, inherit or a file to append to', logTarget),
  // Not --socket: that is every command's flag for the daemon's own socket.
  valued('sockets', '--listen <[name=]address>', 'a socket the daemon binds and passes as fd 3.. (HOST:PORT or /path; repeatable; update replaces them all)', repeated(socketFlag)),
  choice('startOn', '--start-on <when>', 'start: when asked; connection: at the first connection to one of its sockets', startOnValues),
  valued('logs.stderr', '--stderr <target>', 'capture, null, inherit or a file to append to', logTarget),
];

/** Adds every spec flag to the command. */
export function addSpecFlags(command: Command): Command {
  for (const flag of specFlags) for (const option of flag.options()) command.addOption(option);
  return command;
}

function setField(target: Record<string, unknown>, field: string, value: unknown): void {
  const keys = field.split('.');
  let at = target;
  for (const key of keys.slice(0, -1)) at = (at[key] ??= {}) as Record<string, unknown>;
  at[keys[keys.length - 1]!] = value;
}

export interface SpecFromFlags {
  patch: ProcessSpecPatch;
  /** The fields the flags set, camelCase paths: the update mask. */
  fields: string[];
}

/** The spec fields the given flags set, from a command's parsed options. */
export function specFromFlags(options: Record<string, unknown>): SpecFromFlags {
  const patch: Record<string, unknown> = {};
  const fields: string[] = [];
  for (const flag of specFlags) {
    const value = options[flag.attribute];
    if (value === undefined) continue;
    setField(patch, flag.field, value);
    fields.push(flag.field);
  }
  return { patch: patch as ProcessSpecPatch, fields };
}
