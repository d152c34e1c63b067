/**
 * What a shell completes, read from the commander program itself, so that a flag added to a
 * command is completed without touching the scripts: the commands (and aliases), each one's flags
 * (which take a value, and the value's choices), and which positional arguments are process
 * names. Process names come from the running daemon when the user presses Tab
 * (`statevisor __complete names`), never from here.
 */
import type { Command, Option } from 'commander';

export interface FlagModel {
  /** The long form, `--grace-period`; a flag without one is skipped. */
  readonly long: string;
  readonly short?: string;
  readonly description: string;
  readonly takesValue: boolean;
  /** A closed set of values (`--format json|mermaid|scxml`). */
  readonly choices?: readonly string[];
}

export interface CommandModel {
  readonly name: string;
  readonly aliases: readonly string[];
  readonly description: string;
  readonly flags: readonly FlagModel[];
  /**
   * 'none'; 'first' (the first positional is a process: `logs NAME`); 'all' (every positional:
   * `start A B C`); or the first positional's choices (`completion bash|zsh|fish`).
   */
  readonly positional: 'none' | 'first' | 'all' | readonly string[];
}

export interface CompletionModel {
  readonly globalFlags: readonly FlagModel[];
  readonly commands: readonly CommandModel[];
}

/**
 * `daemon` is parsed by the server (src/bin dispatches it before the CLI, which keeps it a stub):
 * its lifecycle flags and where it lives are offered here; `statevisor daemon --help` has the rest.
 */
const daemonFlags: readonly FlagModel[] = [
  { long: '--detach', description: 'run it in the background', takesValue: false },
  { long: '--stop', description: 'stop the daemon on --socket', takesValue: false },
  { long: '--socket', description: 'Unix socket to listen on', takesValue: true },
  { long: '--state-dir', description: 'where state and captured logs live', takesValue: true },
  { long: '--config', description: 'a YAML/JSON file of processes, or a directory of them', takesValue: true },
];

const help: FlagModel = { long: '--help', short: '-h', description: 'show help', takesValue: false };

function flagOf(option: Option): FlagModel | undefined {
  if (option.long === undefined || option.hidden) return undefined;
  return {
    long: option.long,
    ...(option.short !== undefined && { short: option.short }),
    description: option.description,
    takesValue: option.required || option.optional,
    ...(option.argChoices !== undefined && { choices: option.argChoices }),
  };
}

function flagsOf(command: Command): FlagModel[] {
  return command.options.map(flagOf).filter((flag): flag is FlagModel => flag !== undefined);
}

/** A positional is a process when commander's description says "process name(s) or id(s)" (create's new name is not). */
function positionalOf(command: Command): CommandModel['positional'] {
  const first = command.registeredArguments[0];
  if (first === undefined) return 'none';
  if (first.argChoices !== undefined) return first.argChoices;
  if (!/process names? or ids?/.test(first.description)) return 'none';
  return first.variadic ? 'all' : 'first';
}

export function completionModel(program: Command): CompletionModel {
  const commands: CommandModel[] = program.commands
    .filter((command) => !command.name().startsWith('_'))
    .map((command) => ({
      name: command.name(),
      aliases: command.aliases(),
      description: command.description(),
      flags: command.name() === 'daemon' ? [...daemonFlags, help] : [...flagsOf(command), help],
      positional: positionalOf(command),
    }));
  const names = commands.map((command) => command.name);
  commands.push({ name: 'help', aliases: [], description: 'show help for a command', flags: [], positional: names });
  return { globalFlags: [...flagsOf(program), help, { long: '--version', short: '-V', description: 'print the version', takesValue: false }], commands };
}
