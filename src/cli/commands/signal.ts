/** `statevisor signal NAME SIG [--group]` */
import type { Command } from 'commander';
import { globalOptions, withClient } from '../connection.js';
import { withExamples } from '../help.js';
import { printJson, printLine } from '../output.js';
import { signalName } from '../spec-flags.js';

export function register(program: Command): void {
  const command = program
    .command('signal')
    .description('send a signal to a running process')
    .argument('<name>', 'process name or id')
    .argument('<signal>', 'HUP, SIGUSR1, 10…', signalName)
    .option('--group', 'signal its whole process group');
  withExamples(command, 'statevisor signal web HUP');
  command.action(async (name: string, signal: string, options: { group?: boolean }, self: Command) => {
    const group = options.group === true;
    await withClient(self, (client) => client.signalProcess(name, signal, { group }));
    if (globalOptions(self).json) printJson({ name, signal, group });
    else printLine(`sent ${signal} to ${name}${group ? "'s process group" : ''}`);
  });
}
