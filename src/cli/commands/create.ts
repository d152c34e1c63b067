/** `statevisor create NAME [flags] -- COMMAND [ARGS…]`, or `create -f spec.yaml`. */
import type { Command } from 'commander';
import type { Process, ProcessSpecInput, WireProcessSpecInput } from '../../client/index.js';
import { SpecValidationError, validateSpec } from '../../spec/index.js';
import { withClient, globalOptions } from '../connection.js';
import { UsageError } from '../errors.js';
import { withExamples } from '../help.js';
import { printJson, printLine } from '../output.js';
import { addSpecFlags, specFromFlags } from '../spec-flags.js';
import { readSpecFile, specToWire } from '../spec-file.js';

interface Options extends Record<string, unknown> {
  file?: string;
  start?: boolean;
}

async function specsOf(name: string | undefined, argv: string[], options: Options): Promise<(ProcessSpecInput | WireProcessSpecInput)[]> {
  const { patch, fields } = specFromFlags(options);
  if (options.file !== undefined) {
    if (name !== undefined || fields.length > 0) throw new UsageError('create: give either -f FILE or NAME, flags and command, not both');
    return (await readSpecFile(options.file)).map(specToWire);
  }
  if (name === undefined) throw new UsageError('create: missing NAME (or -f FILE)');
  const [command, ...args] = argv;
  if (command === undefined) throw new UsageError(`create: missing the command: statevisor create ${name} [flags] -- COMMAND [ARGS…]`);
  const spec: ProcessSpecInput = { ...patch, name, command, args };
  try {
    // The daemon's own validation, run here so that a bad flag costs no round trip.
    validateSpec(spec);
  } catch (error) {
    if (error instanceof SpecValidationError) throw new UsageError(error.message);
    throw error;
  }
  return [spec];
}

export function register(program: Command): void {
  const command = program
    .command('create')
    .description('define a process from flags, or from a spec file')
    .argument('[name]', 'process name')
    .argument('[command...]', 'after --: the program and its arguments')
    .option('-f, --file <path>', 'create every process in a YAML/JSON spec file (or a directory of them)')
    .option('--start', 'start it at once');
  addSpecFlags(command);
  withExamples(
    command,
    'statevisor create web --restart always --env PORT=8080 -- node server.js',
    'statevisor create -f processes.yaml --start',
  );
  command.action(async (name: string | undefined, argv: string[], options: Options, self: Command) => {
    const specs = await specsOf(name, argv, options);
    const json = globalOptions(self).json === true;
    const created: Process[] = [];
    try {
      await withClient(self, async (client) => {
        for (const spec of specs) {
          const process = await client.createProcess(spec, { start: options.start === true });
          created.push(process);
          if (!json) printLine(`created ${process.name} (id ${process.id}, ${process.state})`);
        }
      });
    } finally {
      // Scripts learn what was created even when a later spec of the file failed.
      if (json && created.length > 0) printJson(options.file === undefined ? created[0] : created);
    }
  });
}
