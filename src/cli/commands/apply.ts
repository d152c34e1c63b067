/**
 * `statevisor apply -f PATH`: make the daemon hold exactly the specs of a file (or directory) —
 * create what is new, replace the whole spec of what exists (mask "*": a field left out of the
 * file goes back to its default), and say which were added, modified or unchanged. Processes
 * the file does not name are left alone. As the daemon's reload does, a bad file (or a spec the
 * daemon refuses) never stops the good ones: each problem is printed on stderr, with file, field
 * and reason, and the exit code is 1 when there was any.
 */
import type { Command } from 'commander';
import { isAlreadyExists, isInvalidArgument, isInvalidState, isNotFound, type StatevisorClient, type UpdateResult } from '../../client/index.js';
import type { ProcessSpec } from '../../spec/index.js';
import { globalOptions, withClient } from '../connection.js';
import { withExamples } from '../help.js';
import { printJson, printLine } from '../output.js';
import { failIfAny } from '../errors.js';
import { readSpecFileContents } from '../spec-file.js';
import { batchStartOrder, describeCycle } from '../../spec/dependency-graph.js';


interface Applied {
  name: string;
  result: 'added' | 'modified' | 'unchanged';
  updatedFields: string[];
  restartRequiredFields: string[];
}

async function exists(client: StatevisorClient, name: string): Promise<boolean> {
  try {
    await client.describeProcess(name);
    return true;
  } catch (error) {
    if (isNotFound(error)) return false;
    throw error;
  }
}

async function applyOne(client: StatevisorClient, spec: ProcessSpec): Promise<Applied> {
  if (!(await exists(client, spec.name))) {
    await client.createProcess(spec);
    return { name: spec.name, result: 'added', updatedFields: [], restartRequiredFields: [] };
  }
  const update: UpdateResult = await client.updateProcess(spec.name, spec, { updateMask: ['*'] });
  const { updatedFields, restartRequiredFields } = update;
  return { name: spec.name, result: updatedFields.length > 0 ? 'modified' : 'unchanged', updatedFields, restartRequiredFields };
}

/** The daemon answered, and refused this spec: the others may still go through. */
function refused(error: unknown): boolean {
  return isInvalidArgument(error) || isAlreadyExists(error) || isInvalidState(error);
}

function line(a: Applied): string {
  if (a.result !== 'modified') return `${a.result} ${a.name}`;
  const restart = a.restartRequiredFields.length > 0 ? `; restart required for ${a.restartRequiredFields.join(', ')}` : '';
  return `modified ${a.name}: ${a.updatedFields.join(', ')}${restart}`;
}

export function register(program: Command): void {
  const command = program
    .command('apply')
    .description('create or update the processes of a spec file')
    .requiredOption('-f, --file <path>', 'a YAML/JSON spec file, or a directory of them')
    .addHelpText('after', '\nA bad file or spec is reported on stderr (file, field, reason) and skipped;\nthe rest are applied, and the exit code is 1.');
  withExamples(command, 'statevisor apply -f processes.yaml');
  command.action(async (options: { file: string }, self: Command) => {
    const { specs, errors } = await readSpecFileContents(options.file);
    const json = globalOptions(self).json === true;
    const applied: Applied[] = [];
    try {
      await withClient(self, async (client) => {
        // What a process needs is created first; the daemon sees one spec at a time, so a cycle is found here.
        const { ordered, cycle } = batchStartOrder(specs);
        for (const name of cycle === undefined ? [] : new Set(cycle)) errors.push(`${name}: dependency cycle: ${describeCycle(cycle!)}`);
        for (const spec of ordered) {
          try {
            const outcome = await applyOne(client, spec);
            applied.push(outcome);
            if (!json) printLine(line(outcome));
          } catch (error) {
            if (!refused(error)) throw error;
            errors.push(`${spec.name}: ${(error as Error).message}`);
          }
        }
      });
    } finally {
      if (json) printJson(applied);
    }
    failIfAny(errors);
  });
}
