/** `statevisor restart NAME [--no-wait] [--timeout DURATION]`: stop, start again, and wait until it runs or has failed. */
import type { Command } from 'commander';
import { stopWaitMs } from '../connection.js';
import { withExamples } from '../help.js';
import { addWaitFlags, startCommand, type WaitOptions } from '../start-report.js';
import { withStopProgress } from '../stop-progress.js';

export function register(program: Command): void {
  const command = addWaitFlags(
    program.command('restart').description('stop a process, then start it again').argument('<name>', 'process name or id'),
  );
  withExamples(command, 'statevisor restart web');
  command.action((name: string, options: WaitOptions, self: Command) =>
    // The stop part waits out the grace period: shown on a terminal, as for `stop`.
    startCommand(self, name, options, 'restarted', (client) =>
      withStopProgress(client, name, undefined, () => client.restartProcess(name, { deadlineMs: stopWaitMs })),
    ),
  );
}
