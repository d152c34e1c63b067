/**
 * `statevisor inspect [NAME] --definition | --follow | --stately`: the chart (config form,
 * Mermaid or SCXML), its live inspection as readable lines (or raw events with --json), or how to
 * attach the Stately inspector.
 */
import { Option, type Command } from 'commander';
import type { InspectionStep } from '../../charts/inspection-steps.js';
import { stepLine } from '../../charts/step-lines.js';
import { globalOptions, withClient } from '../connection.js';
import { UsageError } from '../errors.js';
import { paragraph, withExamples } from '../help.js';
import { printJson, printJsonLine, printLine } from '../output.js';
import { statelySteps } from '../views/stately-steps.js';

interface InspectFlags {
  definition?: boolean;
  format: 'json' | 'mermaid' | 'scxml';
  kind: 'process' | 'supervisor';
  follow?: boolean;
  all?: boolean;
  stately?: boolean;
}

export function register(program: Command): void {
  const command = program
    .command('inspect')
    .description('a chart (JSON, Mermaid, SCXML), its live state changes, or the Stately inspector')
    .argument('[name]', 'process name or id (none: the process chart, or with --follow the whole system)')
    .addOption(new Option('--definition', "print the chart in XState's config form (createMachine, Stately's editor)").conflicts(['follow', 'stately']))
    .addOption(new Option('--format <format>', 'with --definition: json, mermaid (stateDiagram-v2) or scxml').choices(['json', 'mermaid', 'scxml']).default('json'))
    .addOption(new Option('--kind <kind>', 'with --definition and no name: which chart').choices(['process', 'supervisor']).default('process'))
    .addOption(new Option('--follow', 'print each state change as it happens: time, process, event, from → to, why').conflicts('stately'))
    .addOption(new Option('--all', "with --follow: also XState's internals (xstate.* events, microsteps, actions, hooks)"))
    .addOption(new Option('--stately', 'print how to watch the charts live in the Stately inspector'));
  command.addHelpText(
    'after',
    `\n${paragraph(
      'With a name, --definition gives that process’s chart with its context (env values and secrets redacted), and Mermaid lights the states it is in. --follow first prints where each live actor is, then one line per state change; --json prints the raw XState inspection events instead, one JSON object per line (redacted; internals only with --all).',
    )}`,
  );
  withExamples(
    command,
    'statevisor inspect web --definition > web-chart.json',
    'statevisor inspect web --definition --format mermaid',
    'statevisor inspect --definition --kind supervisor --format scxml',
    'statevisor inspect flaky --follow',
    'statevisor inspect --stately',
  );
  command.action(async (name: string | undefined, options: InspectFlags, self: Command) => {
    if (options.stately) {
      printLine(statelySteps());
      return;
    }
    if (!options.definition && !options.follow) throw new UsageError('inspect: give --definition, --follow or --stately');
    if (options.all && !options.follow) throw new UsageError('inspect: --all goes with --follow');
    const json = globalOptions(self).json === true;
    await withClient(self, async (client) => {
      if (options.definition) {
        const target = name === undefined ? { kind: options.kind } : { nameOrId: name };
        if (options.format === 'json') {
          const definition = await client.getMachineDefinition(target);
          // Already JSON: --json only makes it one line.
          if (json) printJsonLine(definition);
          else printJson(definition);
          return;
        }
        const drawn = await client.getMachineDefinition(target, { format: options.format });
        if (json) printJsonLine(drawn);
        else process.stdout.write(drawn.text);
        return;
      }
      const events = client.inspect(name, { steps: !json, all: options.all === true });
      for await (const event of events) {
        if (json) printJsonLine(event);
        else printLine(stepLine(event as InspectionStep));
      }
    });
  });
}
