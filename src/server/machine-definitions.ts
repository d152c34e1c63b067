/**
 * GetMachineDefinition: a chart by kind (process, supervisor), or one process's chart with its
 * own (redacted) context and the states it is in, as JSON in XState's config form, Mermaid or
 * SCXML. The charts are made by charts/; this only picks one and writes it.
 */
import { chartOfKind, chartOfProcess, chartKinds, isChartKind } from '../charts/machine-charts.js';
import { chartToMermaid } from '../charts/mermaid.js';
import { chartToScxml } from '../charts/scxml.js';
import { leafPaths } from '../charts/state-paths.js';
import type { ChartDefinition } from '../charts/config-form.js';
import { StatevisorError } from '../errors.js';

export const definitionFormats = ['json', 'mermaid', 'scxml'] as const;
export type DefinitionFormat = (typeof definitionFormats)[number];

export interface MachineDefinitionRequest {
  /** A process's name or id; else `kind`. */
  readonly nameOrId?: string;
  readonly kind?: string;
  readonly format?: string;
}

export interface MachineDefinitionReply {
  /** format json: the config form. */
  readonly definitionJson: string;
  /** format mermaid or scxml. */
  readonly text: string;
  readonly activeStates: readonly string[];
}

export interface ChartSources {
  /** A process's chart as it is now; throws E_NOT_FOUND for an unknown process, undefined before its first run. */
  chartState(nameOrId: string): { readonly value: unknown; readonly context: unknown } | undefined;
}

export function machineDefinition(request: MachineDefinitionRequest, sources: ChartSources): MachineDefinitionReply {
  const format = formatOf(request.format);
  let definition: ChartDefinition;
  let activeStates: string[] = [];
  if (request.nameOrId !== undefined && request.nameOrId !== '') {
    const state = sources.chartState(request.nameOrId);
    // Before its first run a process has no actor: the chart, nothing lit, no context.
    definition = state === undefined ? chartOfProcess(undefined) : chartOfProcess(state.context);
    activeStates = state === undefined ? [] : leafPaths(state.value);
  } else {
    const kind = request.kind === undefined || request.kind === '' ? 'process' : request.kind;
    if (!isChartKind(kind)) {
      throw new StatevisorError('E_INVALID_ARGUMENT', `kind: got "${kind}", expected one of ${chartKinds.join(', ')}`);
    }
    definition = chartOfKind(kind);
  }
  switch (format) {
    case 'json':
      return { definitionJson: JSON.stringify(definition), text: '', activeStates };
    case 'mermaid':
      return { definitionJson: '', text: chartToMermaid(definition, { active: activeStates }), activeStates };
    case 'scxml':
      return { definitionJson: '', text: chartToScxml(definition), activeStates };
  }
}

function formatOf(format: string | undefined): DefinitionFormat {
  const wanted = format === undefined || format === '' ? 'json' : format;
  if ((definitionFormats as readonly string[]).includes(wanted)) return wanted as DefinitionFormat;
  throw new StatevisorError('E_INVALID_ARGUMENT', `format: got "${wanted}", expected one of ${definitionFormats.join(', ')}`);
}
