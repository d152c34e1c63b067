/** `statevisor start NAME` */
import type { Command } from 'commander';
import { globalOptions, withClient } from '../connection.js';
import { withExamples } from '../help.js';
import { printJson, printLine } from '../output.js';
import { outcome } from '../views/summary.js';

export function register(program: Command): void {
  const command = program.command('start').description('start a run of a process').argument('<name>', 'process name or id');
  withExamples(command, 'statevisor start web');
  command.action(async (name: string, _options: unknown, self: Command) => {
    const process = await withClient(self, (client) => client.startProcess(name));
    if (globalOptions(self).json) printJson(process);
    else printLine(outcome('started', process));
  });
}
