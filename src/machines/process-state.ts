/**
 * The state a person sees (ProcessState: RUNNING, BACKOFF, …), read from the process chart's tags.
 * Every leaf state of the chart carries exactly one of the state tags, on itself or an ancestor,
 * so that no state is left out and no code reads state names:
 *
 *   no actor yet                                CREATED
 *   launching   starting.queued, .waitingForDependencies,           STARTING
 *               .waitingForConnection, .conditionCheck,
 *               .startPreHook, .syncHook, .startPostHook
 *   backoff     starting.syncRetry, terminated.restartDelay         BACKOFF
 *   workloadUp  syncing (every substate)        RUNNING, or STARTING while a health-gated run
 *                                               has not been healthy yet
 *   stopping    terminating, terminated (cleanup, stop-post, the     STOPPING
 *               restart guard)
 *   ended       finished                        STOPPED | EXITED | FAILED, by the run's outcome
 *
 * A process's phase is its chart's top state, read with `matches` (phaseOf).
 */
import { phases, type Phase, type ProcessContext } from './process-types.js';

export const processStates = ['CREATED', 'STARTING', 'RUNNING', 'BACKOFF', 'STOPPING', 'STOPPED', 'EXITED', 'FAILED'] as const;
export type ProcessState = (typeof processStates)[number];

export const stateTags = ['launching', 'workloadUp', 'backoff', 'stopping', 'ended'] as const;
export type StateTag = (typeof stateTags)[number];

/** What of a process actor's snapshot the state is read from. */
export interface RunSnapshot {
  hasTag(tag: StateTag): boolean;
  readonly context: Pick<ProcessContext, 'healthGated' | 'everHealthy' | 'outcome'>;
}

export function processStateOf(run: RunSnapshot | undefined): ProcessState {
  if (run === undefined) return 'CREATED';
  if (run.hasTag('backoff')) return 'BACKOFF';
  if (run.hasTag('stopping')) return 'STOPPING';
  if (run.hasTag('workloadUp')) return run.context.healthGated && !run.context.everHealthy ? 'STARTING' : 'RUNNING';
  if (run.hasTag('ended')) {
    const { outcome } = run.context;
    return outcome === 'failed' ? 'FAILED' : outcome === 'exited' ? 'EXITED' : 'STOPPED';
  }
  // `launching`: the run has begun, its workload is not up yet.
  return 'STARTING';
}

/** No run is under way: a start may begin one, a delete needs no stop first. */
export function isIdle(state: ProcessState): boolean {
  return state === 'CREATED' || state === 'STOPPED' || state === 'EXITED' || state === 'FAILED';
}

/** What of a process actor's snapshot its phase is read from. */
export interface RunPhase {
  matches(phase: Phase): boolean;
}

/** The phase a process actor is in: the top state of its chart. */
export function phaseOf(run: RunPhase): Phase {
  const phase = phases.find((candidate) => run.matches(candidate));
  if (phase === undefined) throw new Error('a process actor in no phase');
  return phase;
}
