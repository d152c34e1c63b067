/** `statevisor status` */
import type { Command } from 'commander';
import { globalOptions, withClient } from '../connection.js';
import { withExamples } from '../help.js';
import { printJson, printLine } from '../output.js';
import { statusView } from '../views/status.js';

export function register(program: Command): void {
  const command = program.command('status').description('the daemon: version, uptime, counts, listeners');
  withExamples(command, 'statevisor status');
  command.action(async (_options: unknown, self: Command) => {
    const status = await withClient(self, (client) => client.getStatus());
    if (globalOptions(self).json) printJson(status);
    else printLine(statusView(status));
  });
}
