/** The "Example:" block at the end of a command's --help. */
import type { Command } from 'commander';

export function withExamples(command: Command, ...examples: string[]): Command {
  const title = examples.length === 1 ? 'Example' : 'Examples';
  return command.addHelpText('after', `\n${title}:\n${examples.map((e) => `  $ ${e}`).join('\n')}`);
}
