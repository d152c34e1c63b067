/**
 * `statevisor daemon` is dispatched by src/bin/statevisor.ts before the CLI runs, so that the CLI
 * never loads server code. It is listed here only so that --help shows it; should the dispatcher
 * ever miss it, this says how to run it rather than "unknown command".
 */
import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import { withExamples } from '../help.js';

export function register(program: Command): void {
  const command = program
    .command('daemon')
    .description('run the supervisor daemon in the foreground')
    .helpOption(false)
    .allowUnknownOption()
    .allowExcessArguments();
  withExamples(command, 'statevisor daemon --config /etc/statevisor');
  command.action(() => {
    throw new UsageError("daemon: put 'daemon' first, before any daemon option: statevisor daemon [options]");
  });
}
