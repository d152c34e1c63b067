/** `statevisor restart NAME` */
import type { Command } from 'commander';
import { globalOptions, stopWaitMs, withClient } from '../connection.js';
import { withExamples } from '../help.js';
import { printJson, printLine } from '../output.js';
import { outcome } from '../views/summary.js';

export function register(program: Command): void {
  const command = program.command('restart').description('stop a process, then start it again').argument('<name>', 'process name or id');
  withExamples(command, 'statevisor restart web');
  command.action(async (name: string, _options: unknown, self: Command) => {
    const process = await withClient(self, (client) => client.restartProcess(name, { deadlineMs: stopWaitMs }));
    if (globalOptions(self).json) printJson(process);
    else printLine(outcome('restarted', process));
  });
}
