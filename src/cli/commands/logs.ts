/** `statevisor logs NAME [-f] [-n N] [--stderr]` */
import type { Command } from 'commander';
import { globalOptions, withClient } from '../connection.js';
import { withExamples } from '../help.js';
import { printJsonLine, printLine } from '../output.js';
import { wholeNumber } from '../spec-flags.js';

interface Options {
  follow?: boolean;
  lines?: number;
  stderr?: boolean;
}

export function register(program: Command): void {
  const command = program
    .command('logs')
    .description("print a process's captured stdout or stderr")
    .argument('<name>', 'process name or id')
    .option('-f, --follow', 'keep printing new lines')
    .option('-n, --lines <n>', 'start with the last N lines', wholeNumber)
    .option('--stderr', 'stderr instead of stdout');
  withExamples(command, 'statevisor logs web -f -n 100');
  command.action(async (name: string, options: Options, self: Command) => {
    const json = globalOptions(self).json === true;
    await withClient(self, async (client) => {
      const lines = client.streamLogs(name, {
        stream: options.stderr ? 'stderr' : 'stdout',
        tailLines: options.lines ?? 0,
        follow: options.follow === true,
      });
      for await (const line of lines) {
        if (json) printJsonLine(line);
        else printLine(line.line);
      }
    });
  });
}
