/**
 * `statevisor stop NAME [--grace-period DUR] [--no-wait]`: returns once the process is stopped
 * (on a terminal, a line counts the grace period meanwhile), or with --no-wait once it stops.
 */
import type { Command } from 'commander';
import { globalOptions, withClient } from '../connection.js';
import { paragraph, withExamples } from '../help.js';
import { printJson, printLine } from '../output.js';
import { duration } from '../spec-flags.js';
import { withStopProgress } from '../stop-progress.js';
import { outcome } from '../views/summary.js';

export function register(program: Command): void {
  const command = program
    .command('stop')
    .description('stop a process (SIGKILL after its grace period)')
    .argument('<name>', 'process name or id')
    .option('--grace-period <duration>', "this stop's grace period instead of the spec's", duration)
    .option('--no-wait', 'return once the stop has begun')
    .addHelpText('after', `\n${paragraph('Returns once the process is stopped; on a terminal, one line counts the grace period meanwhile.')}`);
  withExamples(command, 'statevisor stop web --grace-period 5s');
  command.action(async (name: string, options: { gracePeriod?: number; wait: boolean }, self: Command) => {
    const process = await withClient(self, (client) => {
      const stop = () =>
        client.stopProcess(name, { noWait: !options.wait, ...(options.gracePeriod !== undefined && { gracePeriodMs: options.gracePeriod }) });
      return options.wait ? withStopProgress(client, name, options.gracePeriod, stop) : stop();
    });
    if (globalOptions(self).json) printJson(process);
    else printLine(outcome(options.wait ? 'stopped' : 'stopping', process));
  });
}
