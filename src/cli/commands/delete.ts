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
    .option('--force', 'stop it first if it is running');
  withExamples(command, 'statevisor rm web --force');
  command.action(async (name: string, options: { force?: boolean }, self: Command) => {
    await withClient(self, (client) => client.deleteProcess(name, options.force ? { force: true, deadlineMs: stopWaitMs } : {}));
    if (globalOptions(self).json) printJson({ name, deleted: true });
    else printLine(`deleted ${name}`);
  });
}
