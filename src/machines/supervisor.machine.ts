/**
 * The supervisor chart: the root actor that owns one process actor per id.
 *
 *   running       `process.send` delivers its event to the process actor with that id, spawning
 *                 it on the first update or start (systemId = process id; a terminate, an exit or
 *                 a reconfigure for an unknown id spawns nothing). `processes.syncKnown` terminates
 *                 the actors whose ids are no longer known (orphans) and purges the finished ones.
 *                 `process.purge` forgets one process at once (its hooks are cancelled).
 *   shuttingDown  every process gets a terminate whose grace period fits inside the deadline;
 *                 the chart waits until every process is finished or the `shutdownDeadline`
 *                 passes, whichever comes first. Updates are refused (ignored) from here on.
 *   stopped       final; its output says whether the deadline was exceeded and for whom.
 *                 Reaching it stops every child, cancelling any hook still running.
 *
 * Process actors report facts (phase changes, queue activity, restarts) to this actor; it keeps
 * which of them have not finished (what shutdown waits for) and re-emits every fact, so an
 * embedding observes the whole system through one `actor.on('*')`. A process's phase itself is
 * read from its actor's snapshot, never kept here.
 */
import { assign, enqueueActions, setup, stopChild, emit } from 'xstate';
import { processMachine } from './process.machine.js';
import { minGracePeriodSecs } from './process-context.js';
import type { ProcessEvent, ProcessFact, ProcessInput } from './process-types.js';
import { phaseOf } from './process-state.js';
import { nextSeed } from './backoff.js';

/** Per-process settings a supervisor applies to every actor it spawns, unless the update overrides them. */
export type ProcessDefaults = Omit<ProcessInput, 'id' | 'config' | 'seed' | 'reportsToParent'>;

export interface SupervisorInput {
  readonly defaults?: ProcessDefaults;
  readonly seed?: number;
}

export type SupervisorEvent =
  /** Deliver `event` to process `id`; an update or a start spawns its actor (with `overrides`) if there is none. */
  | { type: 'process.send'; id: string; event: ProcessEvent; overrides?: ProcessDefaults }
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
   * The live process actors that have not finished: what shutdown waits for, from the facts'
   * `to`. Updated in place: copying a set of 1,000 ids on every phase change made a fleet's start
   * and stop quadratic.
   */
  unfinished: Set<string>;
  shutdownDeadlineMs: number;
  report: ShutdownReport | undefined;
}

/** Shutdown leaves a fifth of its deadline for the terminated phase's cleanup hooks. */
export function shutdownGracePeriodSecs(deadlineMs: number): number {
  return Math.max(minGracePeriodSecs, Math.floor((deadlineMs * 0.8) / 1000));
}

/** The ids still running, sorted: those shutdown terminates, or that missed its deadline. */
function unfinishedIds(context: SupervisorContext): string[] {
  return [...context.unfinished].sort();
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
    allFinished: ({ context }) => context.unfinished.size === 0,
  },
  actions: {
    route: enqueueActions(({ context, event, enqueue, self }) => {
      if (event.type !== 'process.send') return;
      const { id, event: update } = event;
      if (self.getSnapshot().children[id] !== undefined) {
        enqueue.sendTo(id, update);
        return;
      }
      // Only an update or a start brings a process actor into being.
      if (update.type !== 'update' && update.type !== 'start') return;
      const seed = nextSeed(context.seed);
      context.unfinished.add(id);
      enqueue.assign({ seed });
      enqueue.spawnChild('process', {
        id,
        systemId: id,
        input: { ...context.defaults, ...event.overrides, id, config: update.config, seed, reportsToParent: true },
      });
    }),
    purge: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'process.purge') return;
      enqueue(stopChild(event.id));
      context.unfinished.delete(event.id);
    }),
    sweepOrphans: enqueueActions(({ context, event, enqueue, self }) => {
      if (event.type !== 'processes.syncKnown') return;
      const known = new Set(event.ids);
      for (const [id, child] of Object.entries(self.getSnapshot().children)) {
        if (known.has(id) || child === undefined) continue;
        if (phaseOf(child.getSnapshot()) === 'finished') {
          enqueue(stopChild(id));
          context.unfinished.delete(id);
        } else {
          enqueue.sendTo(id, { type: 'terminate', reason: 'orphaned' } satisfies ProcessEvent);
        }
      }
    }),
    recordFact: assign(({ context, event, self }) => {
      // A late fact of a purged actor counts for nothing.
      if (event.type !== 'phase.changed' || self.getSnapshot().children[event.id] === undefined) return {};
      if (event.phase === 'finished') context.unfinished.delete(event.id);
      else context.unfinished.add(event.id);
      return {};
    }),
    forwardFact: emit(({ event }) => event as ProcessFact),
    beginShutdown: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'shutdown') return;
      enqueue.assign({ shutdownDeadlineMs: Math.max(0, event.deadlineMs) });
      const gracePeriodSecs = shutdownGracePeriodSecs(event.deadlineMs);
      for (const id of unfinishedIds(context)) {
        enqueue.sendTo(id, { type: 'terminate', reason: 'shutdown', gracePeriodSecs } satisfies ProcessEvent);
      }
    }),
    reportCompleted: assign({ report: { deadlineExceeded: false, pending: [] } }),
    reportDeadlineExceeded: assign(({ context }) => ({
      report: { deadlineExceeded: true, pending: unfinishedIds(context) },
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
    unfinished: new Set(),
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
        'process.send': { actions: 'route' },
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
