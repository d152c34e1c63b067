/** `statevisor usage NAME` */
import type { Command } from 'commander';
import { globalOptions, withClient } from '../connection.js';
import { withExamples } from '../help.js';
import { printJson, printLine } from '../output.js';
import { usageView } from '../views/usage.js';

export function register(program: Command): void {
  const command = program
    .command('usage')
    .description('cpu, memory, pids, open files and io of a process')
    .argument('<name>', 'process name or id');
  withExamples(command, 'statevisor usage web');
  command.action(async (name: string, _options: unknown, self: Command) => {
    const usage = await withClient(self, (client) => client.getResourceUsage(name));
    if (globalOptions(self).json) printJson(usage);
    else printLine(usageView(name, usage));
  });
}
