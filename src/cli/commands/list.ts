/** `statevisor list|ls [--selector k=v,…]` */
import type { Command } from 'commander';
import { globalOptions, withClient } from '../connection.js';
import { withExamples } from '../help.js';
import { printJson, printLine } from '../output.js';
import { colourEnabled } from '../style.js';
import { terminalWidth } from '../table.js';
import { processTable } from '../views/process-table.js';

export function register(program: Command): void {
  const command = program
    .command('list')
    .alias('ls')
    .description('list processes with state, pid, uptime, restarts, cpu, memory and health')
    .option('-l, --selector <labels>', 'only processes with these labels, e.g. tier=web,env=prod');
  withExamples(command, 'statevisor ls --selector tier=web');
  command.action(async (options: { selector?: string }, self: Command) => {
    const processes = await withClient(self, (client) => client.listProcesses({ labelSelector: options.selector ?? '' }));
    if (globalOptions(self).json) printJson(processes);
    else if (processes.length === 0) printLine(options.selector ? `no processes match ${options.selector}` : 'no processes');
    else printLine(processTable(processes, { width: terminalWidth(), colour: colourEnabled() }));
  });
}
