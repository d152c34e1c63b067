/**
 * `statevisor logs NAME [-f] [-n N] [--stdout] [--stderr]`. Without a stream chosen (or with
 * both), both streams, each line labelled with its stream. The files hold no timestamps, so the
 * two cannot be merged line by line: the daemon sends each stream's last lines as a block, the
 * stream written last coming last, and then (-f) new lines of either in the order it reads them.
 * A stream that is not written to a file (null, inherit) is skipped with one line saying so.
 */
import type { Command } from 'commander';
import type { LogStream, StatevisorClient } from '../../client/index.js';
import { globalOptions, withClient } from '../connection.js';
import { notice } from '../errors.js';
import { paragraph, withExamples } from '../help.js';
import { printJsonLine, printLine } from '../output.js';
import { wholeNumber } from '../spec-flags.js';
import { colourEnabled } from '../style.js';
import { logLine } from '../views/log-line.js';

/** Like `pm2 logs --lines`: enough to see what just happened, short enough to read. */
const defaultLines = 20;

interface Options {
  follow?: boolean;
  lines?: number;
  stdout?: boolean;
  stderr?: boolean;
}

/** Says which stream of both has no file to read; the daemon refuses the call when neither has. */
async function noteSkipped(client: StatevisorClient, name: string): Promise<void> {
  const logs = (await client.describeProcess(name)).spec?.logs;
  const unwritten = (['stdout', 'stderr'] as const).filter((s) => logs?.[s] === 'null' || logs?.[s] === 'inherit');
  if (unwritten.length !== 1) return;
  const [skipped] = unwritten as [LogStream];
  const shown = skipped === 'stdout' ? 'stderr' : 'stdout';
  notice(`${name}'s ${skipped} is not written to a file (logs.${skipped}: ${logs?.[skipped]}): showing ${shown} only`);
}

export function register(program: Command): void {
  const command = program
    .command('logs')
    .description("print a process's captured stdout and stderr")
    .argument('<name>', 'process name or id')
    .option('-f, --follow', 'keep printing new lines')
    .option('-n, --lines <n>', `start with the last N lines of each stream (default ${defaultLines})`, wholeNumber)
    .option('--stdout', 'stdout only, its lines as written')
    .option('--stderr', 'stderr only, its lines as written')
    .addHelpText(
      'after',
      `\n${paragraph(
        'Both streams are shown unless one is chosen, each line after its stream\'s label ("stdout | ", "stderr | "; ' +
          'coloured on a terminal). The log files hold no timestamps, so lines of the two streams cannot be put in ' +
          'order one by one: the last lines of each come as a block, the stream written to last coming last; with -f, ' +
          'new lines of either follow in the order the daemon reads them. A stream that is not written to a file ' +
          '(logs.stdout: null or inherit) is skipped, with one line on stderr saying so.',
      )}`,
    );
  withExamples(command, 'statevisor logs web', 'statevisor logs web -f -n 100 --stderr');
  command.action(async (name: string, options: Options, self: Command) => {
    const json = globalOptions(self).json === true;
    const stream = options.stdout === options.stderr ? 'both' : options.stdout ? 'stdout' : 'stderr';
    const style = { labelled: stream === 'both', colour: colourEnabled() };
    await withClient(self, async (client) => {
      if (stream === 'both') await noteSkipped(client, name);
      const lines = client.streamLogs(name, { stream, tailLines: options.lines ?? defaultLines, follow: options.follow === true });
      for await (const line of lines) {
        if (json) printJsonLine(line);
        else printLine(logLine(line, style));
      }
    });
  });
}
