/** `statevisor delete NAME [--force]` (alias `rm`) */
import type { Command } from 'commander';
import { globalOptions, stopWaitMs, withClient } from '../connection.js';
import { withExamples } from '../help.js';
import { printJson, printLine } from '../output.js';

export function register(program: Command): void {
  const command = program
    .command('delete')
    .alias('rm')
    .description('forget a stopped process (--force: stop it first)')
    .argument('<name>', 'process name or id')
    .option('--force', 'stop it first if it is running')
    .option('--keep-logs', 'keep its captured logs, moved to logs/deleted/<name>-<time>/ (by default they are removed)');
  withExamples(command, 'statevisor rm web --force', 'statevisor rm web --keep-logs');
  command.action(async (name: string, options: { force?: boolean; keepLogs?: boolean }, self: Command) => {
    const { keptLogs } = await withClient(self, (client) =>
      client.deleteProcess(name, {
        ...(options.force && { force: true, deadlineMs: stopWaitMs }),
        ...(options.keepLogs && { keepLogs: true }),
      }),
    );
    if (globalOptions(self).json) printJson({ name, deleted: true, ...(keptLogs !== '' && { keptLogs }) });
    else printLine(keptLogs === '' ? `deleted ${name}` : `deleted ${name}; its logs are in ${keptLogs}`);
  });
}
