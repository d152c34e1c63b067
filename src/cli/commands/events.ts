/** `statevisor events [NAME]`: the current state first, then every change, until interrupted. */
import type { Command } from 'commander';
import { globalOptions, withClient } from '../connection.js';
import { withExamples } from '../help.js';
import { printJsonLine, printLine } from '../output.js';
import { eventLine } from '../views/event.js';

export function register(program: Command): void {
  const command = program
    .command('events')
    .description('follow state changes of all processes or one')
    .argument('[name]', 'process name or id');
  withExamples(command, 'statevisor events web');
  command.action(async (name: string | undefined, _options: unknown, self: Command) => {
    const json = globalOptions(self).json === true;
    await withClient(self, async (client) => {
      for await (const event of client.watchEvents(name)) {
        if (json) printJsonLine(event);
        else printLine(eventLine(event));
      }
    });
  });
}
