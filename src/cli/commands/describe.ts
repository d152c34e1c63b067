/** `statevisor describe NAME` */
import type { Command } from 'commander';
import { globalOptions, withClient } from '../connection.js';
import { withExamples } from '../help.js';
import { printJson, printLine } from '../output.js';
import { colourEnabled } from '../style.js';
import { describeView } from '../views/describe.js';

export function register(program: Command): void {
  const command = program
    .command('describe')
    .description('state, spec, counters, enforcement, transitions')
    .argument('<name>', 'process name or id');
  withExamples(command, 'statevisor describe web');
  command.action(async (name: string, _options: unknown, self: Command) => {
    const description = await withClient(self, (client) => client.describeProcess(name));
    if (globalOptions(self).json) printJson(description);
    else printLine(describeView(description, { colour: colourEnabled() }));
  });
}
