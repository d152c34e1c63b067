/**
 * `statevisor reload`: the daemon re-reads its --config. What was added, removed, modified and
 * left unchanged goes to stdout; each file or process the daemon skipped (file, field, reason) to
 * stderr, and then the exit code is 1.
 */
import type { Command } from 'commander';
import { globalOptions, withClient } from '../connection.js';
import { withExamples } from '../help.js';
import { failIfAny } from '../errors.js';
import { printJson, printLine } from '../output.js';
import { listed } from '../views/sections.js';

export function register(program: Command): void {
  const command = program
    .command('reload')
    .description("re-read the daemon's --config")
    .addHelpText('after', '\nEach file the daemon skipped is printed on stderr (file, field, reason);\nthe exit code is then 1.');
  withExamples(command, 'statevisor reload');
  command.action(async (_options: unknown, self: Command) => {
    const result = await withClient(self, (client) => client.reloadConfig());
    if (globalOptions(self).json) printJson(result);
    else for (const key of ['added', 'removed', 'modified', 'unchanged'] as const) printLine(`${key}: ${listed(result[key])}`);
    failIfAny(result.errors);
  });
}
