/**
 * `statevisor create NAME [flags] -- COMMAND [ARGS…]`, or `create -f spec.yaml`. With --start,
 * it then waits until each process runs or has failed, as `start` does (unless --no-wait).
 */
import type { Command } from 'commander';
import type { Process, ProcessSpecInput, StatevisorClient } from '../../client/index.js';
import { SpecValidationError, validateSpec } from '../../spec/index.js';
import { withClient, globalOptions } from '../connection.js';
import { ExitCode, UsageError } from '../errors.js';
import { withExamples } from '../help.js';
import { printJson, printLine } from '../output.js';
import { addSpecFlags, specFromFlags } from '../spec-flags.js';
import { readSpecFile } from '../spec-file.js';
import { addWaitFlags, reportStart, worstExit } from '../start-report.js';
import { watchStart } from '../wait-for-start.js';

interface Options extends Record<string, unknown> {
  file?: string;
  start?: boolean;
  wait: boolean;
  timeout?: number;
}

async function specsOf(name: string | undefined, argv: string[], options: Options): Promise<ProcessSpecInput[]> {
  const { patch, fields } = specFromFlags(options);
  if (options.file !== undefined) {
    if (name !== undefined || fields.length > 0) throw new UsageError('create: give either -f FILE or NAME, flags and command, not both');
    return readSpecFile(options.file);
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

/**
 * Waits for the starts of what was created, each reported as its verdict comes; `created` is
 * updated with each process as it was then. Returns the exit code.
 */
async function awaitStarts(client: StatevisorClient, created: Process[], options: Options, json: boolean): Promise<number> {
  // Every watch opens before any is awaited: a Ctrl-C reaches them all.
  const watches = await Promise.all(created.map((p) => watchStart(client, p.id, { judgeSnapshot: true })));
  const codes = await Promise.all(
    watches.map(async (watch, i) => {
      const outcome = await watch.outcome(options.timeout === undefined ? {} : { timeoutMs: options.timeout });
      created[i] = outcome.process;
      return reportStart(outcome, 'started', json);
    }),
  );
  return worstExit(codes);
}

export function register(program: Command): void {
  const command = program
    .command('create')
    .description('define a process from flags, or from a spec file')
    .argument('[name]', 'process name')
    .argument('[command...]', 'after --: the program and its arguments')
    .option('-f, --file <path>', 'create every process in a YAML/JSON spec file (or a directory of them)')
    .option('--start', 'start it at once, and wait until it runs or has failed');
  addWaitFlags(command, 'With --start, it waits');
  addSpecFlags(command);
  withExamples(
    command,
    'statevisor create web --restart always --env PORT=8080 -- node server.js',
    'statevisor create -f processes.yaml --start',
  );
  command.action(async (name: string | undefined, argv: string[], options: Options, self: Command) => {
    const specs = await specsOf(name, argv, options);
    const json = globalOptions(self).json === true;
    const start = options.start === true;
    const created: Process[] = [];
    let code = 0;
    try {
      await withClient(self, async (client) => {
        for (const spec of specs) {
          const process = await client.createProcess(spec, { start });
          created.push(process);
          if (!json) printLine(`created ${process.name} (id ${process.id}, ${process.state})`);
        }
        if (start && options.wait) code = await awaitStarts(client, created, options, json);
      });
    } finally {
      // Scripts learn what was created even when a later spec of the file failed.
      if (json && created.length > 0) printJson(options.file === undefined ? created[0] : created);
    }
    if (code !== 0) throw new ExitCode(code);
  });
}
