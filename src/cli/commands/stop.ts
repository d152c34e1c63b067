/**
 * `statevisor stop NAME… [--grace-period DUR] [--no-wait]`: returns once the process is stopped
 * (on a terminal, a line counts the grace period meanwhile), or with --no-wait once it stops.
 * Several names stop in reverse dependency order: dependents first, each layer once the one
 * before it has stopped.
 */
import type { Command } from 'commander';
import { globalOptions, withClient } from '../connection.js';
import { paragraph, withExamples } from '../help.js';
import { printJson, printLine } from '../output.js';
import { duration } from '../spec-flags.js';
import { withStopProgress } from '../stop-progress.js';
import { outcome } from '../views/summary.js';
import { stopLayersOf } from '../dependency-order.js';

export function register(program: Command): void {
  const command = program
    .command('stop')
    .description('stop a process (SIGKILL after its grace period)')
    .argument('<names...>', 'process names or ids (several: dependents stop first)')
    .option('--grace-period <duration>', "this stop's grace period instead of the spec's", duration)
    .option('--no-wait', 'return once the stop has begun')
    .addHelpText('after', `\n${paragraph('Returns once the process is stopped; on a terminal, one line counts the grace period meanwhile.')}`);
  withExamples(command, 'statevisor stop web --grace-period 5s');
  command.action(async (names: string[], options: { gracePeriod?: number; wait: boolean }, self: Command) => {
    const json = globalOptions(self).json === true;
    const stopped = await withClient(self, async (client) => {
      const stopOne = (name: string) => {
        const stop = () =>
          client.stopProcess(name, { noWait: !options.wait, ...(options.gracePeriod !== undefined && { gracePeriodMs: options.gracePeriod }) });
        return options.wait && names.length === 1 ? withStopProgress(client, name, options.gracePeriod, stop) : stop();
      };
      const out = [];
      for (const layer of await stopLayersOf(client, names)) {
        for (const process of await Promise.all(layer.map(stopOne))) {
          if (!json) printLine(outcome(options.wait ? 'stopped' : 'stopping', process));
          out.push(process);
        }
      }
      return out;
    });
    if (json) printJson(names.length === 1 ? stopped[0] : stopped);
  });
}
