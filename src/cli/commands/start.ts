/** `statevisor start NAME [--no-wait] [--timeout DURATION]`: begin a run, and wait until it runs or has failed. */
import type { Command } from 'commander';
import { withExamples } from '../help.js';
import { addWaitFlags, startCommand, type WaitOptions } from '../start-report.js';

export function register(program: Command): void {
  const command = addWaitFlags(program.command('start').description('start a run of a process').argument('<name>', 'process name or id'));
  withExamples(command, 'statevisor start web', 'statevisor start web --no-wait');
  command.action((name: string, options: WaitOptions, self: Command) =>
    startCommand(self, name, options, 'started', (client) => client.startProcess(name)),
  );
}
