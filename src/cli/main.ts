/**
 * The `statevisor` command line (every command but `daemon`, which src/bin dispatches): one
 * commander program, one file per command in ./commands. Global options are the root program's,
 * and commander recognises a root option anywhere before `--`, so they work before or after the
 * command. runCli returns the exit code rather than exiting (only a closed stdout pipe ends the
 * process early), and commander's own exits (help, version, usage errors) become that code.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { reportError } from './errors.js';
import { exitQuietlyWhenStdoutCloses } from './output.js';
import { register as apply } from './commands/apply.js';
import { register as completion } from './commands/completion.js';
import { register as create } from './commands/create.js';
import { register as daemon } from './commands/daemon.js';
import { register as deleteCommand } from './commands/delete.js';
import { register as describe } from './commands/describe.js';
import { register as events } from './commands/events.js';
import { register as health } from './commands/health.js';
import { register as inspect } from './commands/inspect.js';
import { register as list } from './commands/list.js';
import { register as logs } from './commands/logs.js';
import { register as reload } from './commands/reload.js';
import { register as restart } from './commands/restart.js';
import { register as schema } from './commands/schema.js';
import { register as signal } from './commands/signal.js';
import { register as start } from './commands/start.js';
import { register as startup } from './commands/startup.js';
import { register as status } from './commands/status.js';
import { register as stop } from './commands/stop.js';
import { register as update } from './commands/update.js';
import { register as usage } from './commands/usage.js';
import { FleetAwareCommand } from './fleet/command.js';
import { addFleetOptions } from './fleet/options.js';

/** package.json at the package root: dist/src/cli/main.js is three levels below it. */
const version = (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

const examples = `
Examples:
  $ statevisor daemon --detach
  $ statevisor create web --restart always --start -- node server.js
  $ statevisor ls
  $ statevisor logs web -f
  $ statevisor describe web
  $ statevisor update web --grace-period 30s --restart-process
  $ statevisor apply -f processes.yaml
  $ statevisor --json ls | jq '.[].state'
  $ sudo statevisor startup systemd --install --config /etc/statevisor

The daemon's socket: --socket, else $STATEVISOR_SOCKET, else
/run/statevisor/statevisor.sock as root, else $XDG_RUNTIME_DIR/statevisor.sock,
else ~/.statevisor/statevisor.sock.

Over TCP with mTLS (flags win over the STATEVISOR_* variables):
  $ export STATEVISOR_ADDR=10.0.0.5:7070 STATEVISOR_TLS_CA=ca.pem
  $ statevisor --tls-cert me.pem --tls-key me.key ls`;

/** "update <name> [command...]": without "[options]", so that every command fits one line of --help. */
function subcommandTerm(command: Command): string {
  const names = [command.name(), ...command.aliases()].join('|');
  const args = command.registeredArguments.map((a) => (a.required ? `<${a.name()}>` : `[${a.name()}${a.variadic ? '...' : ''}]`));
  return [names, ...args].join(' ');
}

export function buildProgram(): Command {
  const program = new FleetAwareCommand('statevisor')
    .description('A process supervisor whose processes are XState statecharts. This command line talks to a running daemon.')
    .version(version, '-V, --version', 'print the version')
    .option('--socket <path>', "the daemon's Unix socket")
    .option('--addr <host:port>', 'a TCP address instead (with --token-file and/or --tls-*); default $STATEVISOR_ADDR')
    .option('--token-file <path>', 'a file holding the bearer token for --addr (yours, chmod 600); default $STATEVISOR_TOKEN_FILE')
    .option('--tls-ca <file>', "TLS to --addr, trusting this CA for the daemon's certificate (PEM; else the system's CAs); default $STATEVISOR_TLS_CA")
    .option('--tls-cert <file>', 'your client certificate, for a daemon with --tls-client-ca (PEM); default $STATEVISOR_TLS_CERT')
    .option('--tls-key <file>', 'the private key of --tls-cert (PEM); default $STATEVISOR_TLS_KEY')
    .option('--json', 'print JSON (streams: one object per line)')
    .helpOption('-h, --help', 'show help')
    .helpCommand('help [command]', 'show help for a command')
    // Set before the commands are added, which inherit them: errors come back as exceptions,
    // printed as one line by reportError rather than by commander.
    .exitOverride()
    .configureOutput({ outputError: () => {} })
    .configureHelp({ showGlobalOptions: true, subcommandTerm })
    .showSuggestionAfterError(true)
    .addHelpText('after', examples);
  addFleetOptions(program);
  for (const register of [create, start, stop, restart, deleteCommand, list, describe, update, usage, signal, logs, events, status, health, apply, reload, inspect, schema, daemon, startup, completion]) {
    register(program);
  }
  return program;
}

export async function runCli(args: string[]): Promise<number> {
  exitQuietlyWhenStdoutCloses();
  const program = buildProgram();
  let command: string | undefined;
  program.hook('preSubcommand', (_program, subcommand) => {
    command = subcommand.name();
  });
  try {
    await program.parseAsync(args, { from: 'user' });
    return 0;
  } catch (error) {
    return reportError(error, `see 'statevisor ${command === undefined ? '' : `${command} `}--help'`);
  }
}
