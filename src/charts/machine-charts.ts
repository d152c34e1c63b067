/**
 * statevisor's own charts in config form: the process chart and the supervisor chart, as
 * GetMachineDefinition serves them by kind, and the chart of one process with its own context.
 */
import type { AnyStateMachine } from 'xstate';
import { initialProcessContext } from '../machines/process-context.js';
import { processMachine } from '../machines/process.machine.js';
import { supervisorMachine } from '../machines/supervisor.machine.js';
import { chartDefinition, type ChartDefinition } from './config-form.js';

export const chartKinds = ['process', 'supervisor'] as const;
export type ChartKind = (typeof chartKinds)[number];

const machines: Record<ChartKind, AnyStateMachine> = { process: processMachine, supervisor: supervisorMachine };

/**
 * The chart of a kind. The process chart carries the context a new process with the chart's
 * defaults starts with, so that the definition runs as it is (in Stately's editor, or
 * `createMachine(definition)`); the supervisor's context holds live actors and is left out.
 */
export function chartOfKind(kind: ChartKind): ChartDefinition {
  if (kind === 'process') return chartDefinition(processMachine, { context: initialProcessContext({ id: 'process' }) });
  return chartDefinition(machines[kind]);
}

/** The process chart with one process's context (redacted by chartDefinition). */
export function chartOfProcess(context: unknown): ChartDefinition {
  return chartDefinition(processMachine, { context });
}

export function isChartKind(kind: string): kind is ChartKind {
  return (chartKinds as readonly string[]).includes(kind);
}
