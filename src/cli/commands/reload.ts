/** `statevisor reload`: the daemon re-reads its --config. */
import type { Command } from 'commander';
import { globalOptions, withClient } from '../connection.js';
import { withExamples } from '../help.js';
import { printJson, printLine } from '../output.js';
import { listed } from '../views/sections.js';

export function register(program: Command): void {
  const command = program.command('reload').description("re-read the daemon's --config");
  withExamples(command, 'statevisor reload');
  command.action(async (_options: unknown, self: Command) => {
    const result = await withClient(self, (client) => client.reloadConfig());
    if (globalOptions(self).json) printJson(result);
    else for (const key of ['added', 'removed', 'modified', 'unchanged'] as const) printLine(`${key}: ${listed(result[key])}`);
  });
}
