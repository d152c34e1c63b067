/**
 * `statevisor start NAME… [--no-wait] [--timeout DURATION]`: begin a run, and wait until it runs
 * or has failed. Several names start one after the other in dependency order; a failed start
 * stops there, as a failed job fails those queued after it.
 */
import type { Command } from 'commander';
import { withExamples } from '../help.js';
import { addWaitFlags, startCommand, type WaitOptions } from '../start-report.js';
import { withClient } from '../connection.js';
import { startOrderOf } from '../dependency-order.js';

export function register(program: Command): void {
  const command = addWaitFlags(
    program.command('start').description('start a run of a process').argument('<names...>', 'process names or ids (several: in dependency order)'),
  );
  withExamples(command, 'statevisor start web', 'statevisor start web --no-wait', 'statevisor start db migrate web');
  command.action(async (names: string[], options: WaitOptions, self: Command) => {
    const ordered = names.length === 1 ? names : await withClient(self, (client) => startOrderOf(client, names));
    for (const name of ordered) await startCommand(self, name, options, 'started', (client) => client.startProcess(name));
  });
}
