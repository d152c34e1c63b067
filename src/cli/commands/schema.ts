/**
 * `statevisor schema`: the JSON Schema of a spec file, for an editor or a validator — the same
 * text the package ships as schema/process-spec.schema.json. No daemon is asked.
 */
import type { Command } from 'commander';
import { specJsonSchemaText } from '../../spec/index.js';
import { withExamples } from '../help.js';

export function register(program: Command): void {
  const command = program.command('schema').description('print the JSON Schema of spec files (for editors)');
  withExamples(command, 'statevisor schema > process-spec.schema.json');
  command.action(() => {
    process.stdout.write(specJsonSchemaText());
  });
}
