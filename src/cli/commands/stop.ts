/** `statevisor stop NAME [--grace-period DUR] [--no-wait]` */
import type { Command } from 'commander';
import { globalOptions, withClient } from '../connection.js';
import { withExamples } from '../help.js';
import { printJson, printLine } from '../output.js';
import { duration } from '../spec-flags.js';
import { outcome } from '../views/summary.js';

export function register(program: Command): void {
  const command = program
    .command('stop')
    .description('stop a process (SIGKILL after its grace period)')
    .argument('<name>', 'process name or id')
    .option('--grace-period <duration>', "this stop's grace period instead of the spec's", duration)
    .option('--no-wait', 'return once the stop has begun');
  withExamples(command, 'statevisor stop web --grace-period 5s');
  command.action(async (name: string, options: { gracePeriod?: number; wait: boolean }, self: Command) => {
    const process = await withClient(self, (client) =>
      client.stopProcess(name, { noWait: !options.wait, ...(options.gracePeriod !== undefined && { gracePeriodMs: options.gracePeriod }) }),
    );
    if (globalOptions(self).json) printJson(process);
    else printLine(outcome(options.wait ? 'stopped' : 'stopping', process));
  });
}
