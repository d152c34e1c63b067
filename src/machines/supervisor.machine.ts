/**
 * The supervisor chart: the root actor that owns one process actor per id.
 *
 *   running       routes `process.update` to the process actor with that id, spawning it on the
 *                 first create/update/sync or start (systemId = process id; a terminate, an
 *                 exit or a reconfigure for an unknown id spawns nothing). `processes.syncKnown` terminates the
 *                 actors whose ids are no longer known (orphans) and purges the finished ones.
 *                 `process.purge` forgets one process at once (its hooks are cancelled).
 *   shuttingDown  every process gets a terminate whose grace period fits inside the deadline;
 *                 the chart waits until every process is finished or the `shutdownDeadline`
 *                 passes, whichever comes first. Updates are refused (ignored) from here on.
 *   stopped       final; its output says whether the deadline was exceeded and for whom.
 *                 Reaching it stops every child, cancelling any hook still running.
 *
 * Process actors report facts (phase changes, queue activity, restarts) to this actor; it keeps
 * the last phase of each and re-emits every fact, so an embedding observes the whole system
 * through one `actor.on('*')`.
 */
import { assign, enqueueActions, setup, stopChild, emit } from 'xstate';
import { minGracePeriodSecs, processMachine } from './process.machine.js';
import type { Phase, ProcessEvent, ProcessFact, ProcessInput } from './process-types.js';
import { nextSeed } from './backoff.js';

/** Per-process settings a supervisor applies to every actor it spawns, unless the update overrides them. */
export type ProcessDefaults = Omit<ProcessInput, 'id' | 'config' | 'seed'>;

export interface SupervisorInput {
  readonly defaults?: ProcessDefaults;
  readonly seed?: number;
}

export type SupervisorEvent =
  | { type: 'process.update'; id: string; update: ProcessEvent; overrides?: ProcessDefaults }
  | { type: 'process.purge'; id: string }
  | { type: 'processes.syncKnown'; ids: readonly string[] }
  | { type: 'shutdown'; deadlineMs: number }
  | ProcessFact;

export interface ShutdownReport {
  readonly deadlineExceeded: boolean;
  /** Processes that had not finished when the deadline passed. */
  readonly pending: readonly string[];
}

export type SupervisorEmitted = ProcessFact | ({ type: 'supervisor.stopped' } & ShutdownReport);

export interface SupervisorContext {
  defaults: ProcessDefaults;
  seed: number;
  /**
   * The last phase each live process actor reported. Updated in place: copying a map of 1,000
   * entries on every phase change made a fleet's start and stop quadratic.
   */
  phases: Map<string, Phase>;
  /** How many of `phases` are not finished: what shutdown waits for, kept in O(1). */
  unfinished: number;
  shutdownDeadlineMs: number;
  report: ShutdownReport | undefined;
}

/** Shutdown leaves a fifth of its deadline for the terminated phase's cleanup hooks. */
export function shutdownGracePeriodSecs(deadlineMs: number): number {
  return Math.max(minGracePeriodSecs, Math.floor((deadlineMs * 0.8) / 1000));
}

function unfinished(phases: Map<string, Phase>): string[] {
  return [...phases]
    .filter(([, phase]) => phase !== 'finished')
    .map(([id]) => id)
    .sort();
}

/** Record a phase and return the new count of unfinished processes. */
function setPhase(context: SupervisorContext, id: string, phase: Phase | undefined): number {
  const before = context.phases.get(id);
  if (phase === undefined) context.phases.delete(id);
  else context.phases.set(id, phase);
  const was = before !== undefined && before !== 'finished' ? 1 : 0;
  const is = phase !== undefined && phase !== 'finished' ? 1 : 0;
  return context.unfinished + is - was;
}

export const supervisorMachine = setup({
  types: {
    context: {} as SupervisorContext,
    events: {} as SupervisorEvent,
    input: {} as SupervisorInput,
    emitted: {} as SupervisorEmitted,
    output: {} as ShutdownReport,
  },
  actors: { process: processMachine },
  delays: {
    shutdownDeadline: ({ context }) => context.shutdownDeadlineMs,
  },
  guards: {
    allFinished: ({ context }) => context.unfinished === 0,
  },
  actions: {
    route: enqueueActions(({ context, event, enqueue, self }) => {
      if (event.type !== 'process.update') return;
      const { id, update } = event;
      if (self.getSnapshot().children[id] !== undefined) {
        enqueue.sendTo(id, update);
        return;
      }
      // Only a create/update/sync or a start brings a process actor into being.
      if (update.type !== 'update' && update.type !== 'start') return;
      const seed = nextSeed(context.seed);
      enqueue.assign({ seed, unfinished: setPhase(context, id, 'starting') });
      enqueue.spawnChild('process', {
        id,
        systemId: id,
        input: { ...context.defaults, ...event.overrides, id, config: update.config, seed },
      });
    }),
    purge: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'process.purge') return;
      enqueue(stopChild(event.id));
      enqueue.assign({ unfinished: setPhase(context, event.id, undefined) });
    }),
    sweepOrphans: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'processes.syncKnown') return;
      const known = new Set(event.ids);
      for (const [id, phase] of [...context.phases]) {
        if (known.has(id)) continue;
        if (phase === 'finished') {
          enqueue(stopChild(id));
          context.phases.delete(id);
        } else {
          enqueue.sendTo(id, { type: 'terminate', reason: 'orphaned' } satisfies ProcessEvent);
        }
      }
    }),
    recordFact: assign(({ context, event }) => {
      if (event.type !== 'phase.changed' || !context.phases.has(event.id)) return {};
      return { unfinished: setPhase(context, event.id, event.phase) };
    }),
    forwardFact: emit(({ event }) => event as ProcessFact),
    beginShutdown: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'shutdown') return;
      enqueue.assign({ shutdownDeadlineMs: Math.max(0, event.deadlineMs) });
      const gracePeriodSecs = shutdownGracePeriodSecs(event.deadlineMs);
      for (const id of unfinished(context.phases)) {
        enqueue.sendTo(id, { type: 'terminate', reason: 'shutdown', gracePeriodSecs } satisfies ProcessEvent);
      }
    }),
    reportCompleted: assign({ report: { deadlineExceeded: false, pending: [] } }),
    reportDeadlineExceeded: assign(({ context }) => ({
      report: { deadlineExceeded: true, pending: unfinished(context.phases) },
    })),
    announceStopped: emit(({ context }) => ({
      type: 'supervisor.stopped' as const,
      ...(context.report ?? { deadlineExceeded: false, pending: [] }),
    })),
  },
}).createMachine({
  id: 'supervisor',
  context: ({ input }) => ({
    defaults: input.defaults ?? {},
    seed: nextSeed(input.seed ?? 0x6d2b79f5),
    phases: new Map(),
    unfinished: 0,
    shutdownDeadlineMs: 0,
    report: undefined,
  }),
  initial: 'running',
  on: {
    'phase.changed': { actions: ['recordFact', 'forwardFact'] },
    'queue.added': { actions: 'forwardFact' },
    'queue.retried': { actions: 'forwardFact' },
    'process.restarting': { actions: 'forwardFact' },
    'run.ended': { actions: 'forwardFact' },
    'health.changed': { actions: 'forwardFact' },
  },
  states: {
    running: {
      on: {
        'process.update': { actions: 'route' },
        'process.purge': { actions: 'purge' },
        'processes.syncKnown': { actions: 'sweepOrphans' },
        shutdown: { target: 'shuttingDown', actions: 'beginShutdown' },
      },
    },
    shuttingDown: {
      always: { guard: 'allFinished', target: 'stopped', actions: 'reportCompleted' },
      after: { shutdownDeadline: { target: 'stopped', actions: 'reportDeadlineExceeded' } },
    },
    stopped: {
      type: 'final',
      entry: 'announceStopped',
    },
  },
  output: ({ context }) => context.report ?? { deadlineExceeded: false, pending: [] },
});

export type SupervisorMachine = typeof supervisorMachine;
