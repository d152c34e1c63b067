/** `statevisor inspect NAME --definition | --follow`: the chart, or its live XState inspection events. */
import { Option, type Command } from 'commander';
import { globalOptions, withClient } from '../connection.js';
import { UsageError } from '../errors.js';
import { withExamples } from '../help.js';
import { printJson, printJsonLine } from '../output.js';

export function register(program: Command): void {
  const command = program
    .command('inspect')
    .description('the chart as JSON, or live inspection events')
    .argument('<name>', 'process name or id')
    .addOption(new Option('--definition', 'print the chart as JSON a statechart visualizer loads').conflicts('follow'))
    .addOption(new Option('--follow', 'print XState inspection events as they happen, one JSON object per line'));
  withExamples(command, 'statevisor inspect web --definition > web-chart.json');
  command.action(async (name: string, options: { definition?: boolean; follow?: boolean }, self: Command) => {
    if (!options.definition && !options.follow) throw new UsageError('inspect: give --definition or --follow');
    const json = globalOptions(self).json === true;
    await withClient(self, async (client) => {
      if (options.definition) {
        const definition = await client.getMachineDefinition({ nameOrId: name });
        // Already JSON: --json only makes it one line.
        if (json) printJsonLine(definition);
        else printJson(definition);
        return;
      }
      for await (const event of client.inspect(name)) printJsonLine(event);
    });
  });
}
