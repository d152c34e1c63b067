/**
 * The daemon's view of one process, derived from the chart's snapshot — the only source of
 * truth — plus the runtime's pid and the last usage sample. Its state is the chart's tags read
 * by processStateOf (machines/process-state.ts).
 */
import type { ProcessSnapshot } from '../manager/process-manager.js';
import type { HealthStatus, Phase } from '../machines/process-types.js';
import { phaseOf, processStateOf, type ProcessState } from '../machines/process-state.js';
import type { RestartDecision } from '../machines/restart-policy.js';
import type { ProcessEntry } from './process-table.js';
import type { UsageSample } from '../runtime/resources/index.js';

export interface ProcessView {
  readonly id: string;
  readonly name: string;
  readonly state: ProcessState;
  readonly phase: Phase | undefined;
  readonly pid: number;
  readonly runCount: number;
  readonly restartCount: number;
  readonly errorCount: number;
  readonly failureStreak: number;
  readonly exitCode: number | undefined;
  readonly signal: string | undefined;
  readonly health: HealthStatus;
  readonly healthFailures: number;
  readonly healthMessage: string;
  /** The dependency a run waits on before it starts ("db (healthy)"); "" when it waits on none. */
  readonly waitingFor: string;
  /** From the last usage sample of the running tree (memory: resident set); 0 when none. */
  readonly cpuPercent: number;
  readonly memoryBytes: number;
  readonly createdAt: number;
  readonly startedAt: number | undefined;
  readonly endedAt: number | undefined;
  readonly uptimeMs: number;
  readonly lastError: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly labels: Readonly<Record<string, string>>;
}

/** A decision is worth reporting as an error when it follows a failure or ends the run failed. */
function lastDecisionError(decision: RestartDecision | undefined): string {
  if (!decision) return '';
  const failed = decision.failureStreak > 0 || (!decision.restart && decision.outcome === 'failed');
  return failed ? decision.reason : '';
}

/**
 * The health a view shows: the chart's verdict while a run is up — STARTING (with a check, the
 * verdict is `starting` until the first one), RUNNING, STOPPING of a run whose workload came up —
 * and unknown otherwise. The chart keeps the last verdict of a run that ended (and resets it to
 * `starting` when a run begins), which a BACKOFF or stopped process must not show.
 */
export function healthOf(
  state: ProcessState,
  context: Pick<ProcessSnapshot['context'], 'health' | 'startedAt'> | undefined,
): HealthStatus {
  if (context === undefined) return 'unknown';
  switch (state) {
    case 'STARTING':
    case 'RUNNING':
      return context.health;
    case 'STOPPING':
      return context.startedAt !== undefined ? context.health : 'unknown';
    default:
      return 'unknown';
  }
}

/** Started (perhaps not yet healthy) and not yet stopped: the run has an uptime. */
function isUp(state: ProcessState, startedAt: number | undefined): boolean {
  return state === 'RUNNING' || state === 'STOPPING' || (state === 'STARTING' && startedAt !== undefined);
}

export function uptimeAt(since: number, now: number): number {
  return Math.max(0, now - since);
}

/** When the uptime of `view` counts from: undefined when it has none (its uptimeMs is 0 whatever the time). */
export function upSince(view: Pick<ProcessView, 'state' | 'startedAt'>): number | undefined {
  return isUp(view.state, view.startedAt) ? view.startedAt : undefined;
}

export function viewOf(
  entry: ProcessEntry,
  snapshot: ProcessSnapshot | undefined,
  pid: number | undefined,
  now: number,
  usage?: UsageSample,
): ProcessView {
  const c = snapshot?.context;
  const state = processStateOf(snapshot);
  // startedAt is cleared when a run begins and set once its workload is up: a STARTING process
  // with one is up and waiting for its first healthy verdict.
  const running = isUp(state, c?.startedAt);
  return {
    id: entry.id,
    name: entry.spec.name,
    state,
    phase: snapshot ? phaseOf(snapshot) : undefined,
    pid: pid ?? 0,
    runCount: c?.runCount ?? 0,
    restartCount: c?.restartCount ?? 0,
    errorCount: c?.errorCount ?? 0,
    failureStreak: c?.failureStreak ?? 0,
    exitCode: (c?.exit ?? c?.lastExit)?.exitCode ?? undefined,
    signal: (c?.exit ?? c?.lastExit)?.signal ?? undefined,
    health: healthOf(state, c),
    healthFailures: c?.healthFailures ?? 0,
    healthMessage: c?.lastProbe?.message ?? '',
    waitingFor: c?.waitingFor ?? '',
    cpuPercent: usage?.cpuPercent ?? 0,
    memoryBytes: usage?.rssBytes ?? 0,
    createdAt: entry.createdAt,
    startedAt: c?.startedAt,
    endedAt: running ? undefined : c?.endedAt,
    uptimeMs: running && c?.startedAt !== undefined ? uptimeAt(c.startedAt, now) : 0,
    lastError: c?.lastError ?? lastDecisionError(c?.decision ?? c?.lastDecision),
    command: entry.spec.command,
    args: entry.spec.args,
    labels: entry.spec.labels,
  };
}
