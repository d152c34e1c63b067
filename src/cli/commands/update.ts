/**
 * `statevisor update NAME [spec flags] [--restart-process] [--dry-run] [-- COMMAND [ARGS…]]`:
 * exactly the fields whose flags are given change (they are the update mask).
 */
import type { Command } from 'commander';
import type { UpdateResult } from '../../client/index.js';
import { globalOptions, stopWaitMs, withClient } from '../connection.js';
import { UsageError } from '../errors.js';
import { withExamples } from '../help.js';
import { printJson, printLine } from '../output.js';
import { addSpecFlags, specFromFlags } from '../spec-flags.js';

interface Options extends Record<string, unknown> {
  restartProcess?: boolean;
  dryRun?: boolean;
}

function report(name: string, result: UpdateResult, options: Options): string[] {
  const unchanged = result.updatedFields.length === 0;
  const lines = [unchanged ? `${name} is unchanged` : `${options.dryRun ? 'would update' : 'updated'} ${name}: ${result.updatedFields.join(', ')}`];
  // Unchanged, a restart-required field is one an earlier update stored and the run lacks.
  const required = result.restartRequiredFields.join(', ');
  if (result.processRestarted) lines.push(unchanged ? `restarted ${name} to apply ${required}` : `restarted ${name}`);
  else if (result.restartRequiredFields.length > 0) {
    const how = options.dryRun ? '' : `; pass --restart-process or run 'statevisor restart ${name}'`;
    lines.push(`restart ${unchanged ? 'pending' : 'required'} for ${required}${how}`);
  }
  return lines;
}

export function register(program: Command): void {
  const command = program
    .command('update')
    .description('change the spec fields whose flags are given')
    .argument('<name>', 'process name or id')
    .argument('[command...]', 'after --: a new program and its arguments');
  addSpecFlags(command)
    .option('--restart-process', 'restart it now if a changed field needs a restart to apply')
    .option('--dry-run', 'report what would change, change nothing');
  withExamples(command, 'statevisor update web --restart always --grace-period 30s', 'statevisor update web --restart-process -- node server.js --port 9090');
  command.action(async (name: string, argv: string[], options: Options, self: Command) => {
    const { patch, fields } = specFromFlags(options);
    const [executable, ...args] = argv;
    if (executable !== undefined) fields.push('command', 'args');
    if (fields.length === 0) throw new UsageError(`update: nothing to change; give spec flags (statevisor update --help)`);
    const result = await withClient(self, (client) =>
      client.updateProcess(name, executable === undefined ? patch : { ...patch, command: executable, args }, {
        updateMask: fields,
        restartProcess: options.restartProcess === true,
        dryRun: options.dryRun === true,
        ...(options.restartProcess && { deadlineMs: stopWaitMs }),
      }),
    );
    if (globalOptions(self).json) printJson(result);
    else for (const line of report(name, result, options)) printLine(line);
  });
}
