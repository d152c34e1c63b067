/**
 * Dependencies between the daemon's processes, with systemd's semantics (the graph itself is
 * spec/dependency-graph.ts). What each field does here:
 *
 *   after / before  ordering only: a run waits while a process it starts after is itself on its
 *                   way up (queued to start, STARTING, or — for completed_successfully — running).
 *                   An idle one is not waited for, and `after` never fails a run.
 *   requires        starting pulls the requirement in (an idle one is started) and waits for its
 *                   condition; if it fails, the run ends FAILED with "requirement X failed: …".
 *                   Stopping the requirement stops the process first (process-verbs.ts).
 *   wants           pulled in and waited for like requires; its failure is only logged.
 *   binds_to        like requires (condition started); and when the target leaves its run for any
 *                   reason (an exit, a kill, a stop), the process is stopped.
 *   conflicts       starting a process stops the processes it conflicts with, both ways.
 *
 * Conditions (`db:healthy`): started — its workload was spawned; healthy — its health check is
 * HEALTHY; completed_successfully — its run ended EXITED (a success code). A wait lives as long
 * as the chart's starting.waitingForDependencies state (awaitDependencies), and is judged again
 * after every fact the charts report. Daemon shutdown stops dependents first (stopInOrder).
 */
import { StatevisorError } from '../errors.js';
import type { Logger } from '../manager/logger.js';
import type { DependenciesContext } from '../manager/syncer.js';
import { isIdle, type ProcessState } from '../machines/process-state.js';
import { describeDependency, namesOf, parseDependency, type Dependency, type DependencyField } from '../spec/dependencies.js';
import { describeCycle, findCycle, orderingEdges, requiredBy, stopLayers, unknownReferences } from '../spec/dependency-graph.js';
import { snakeCase } from '../spec/section.js';
import type { ProcessSpec } from '../spec/types.js';
import type { ProcessEntry, ProcessTable } from './process-table.js';
import type { ProcessView } from './process-view.js';

/** The fields by which a process waits for another: its edges out in the start order. */
const orderingFields: readonly DependencyField[] = ['after', 'requires', 'wants', 'bindsTo'];

export interface DependenciesOptions {
  readonly table: ProcessTable;
  readonly views: { state(entry: ProcessEntry): ProcessState; view(entry: ProcessEntry): ProcessView };
  /** The verbs' start and stop (desired state changed, durable), bound late. */
  start(id: string): Promise<unknown>;
  stop(id: string): Promise<unknown>;
  /** Stop a run without changing what the user asked for (shutdown); resolves once it has ended. */
  halt(id: string): Promise<unknown>;
  readonly log: (id: string) => Logger;
}

/** How a dependency run waits on it: requires fails the run, wants and after never do. */
type Kind = 'requires' | 'wants' | 'after';
interface Edge extends Dependency {
  readonly kind: Kind;
}
type Verdict = { readonly is: 'met' } | { readonly is: 'pending' } | { readonly is: 'failed'; readonly why: string };

interface Waiter {
  readonly id: string;
  readonly report: DependenciesContext;
  shown: string | undefined;
}

export class Dependencies {
  private readonly waiters = new Set<Waiter>();
  private judging: NodeJS.Immediate | undefined;
  /** Shutdown: nothing is pulled in or stopped on its own any more, and desired states are kept. */
  private closed = false;

  constructor(private readonly options: DependenciesOptions) {}

  /** Whether a run of `spec` has anything to do before it starts (the chart's awaitsDependencies). */
  awaits(spec: ProcessSpec): boolean {
    if (spec.after.length + spec.requires.length + spec.wants.length + spec.bindsTo.length + spec.conflicts.length > 0) return true;
    const { table } = this.options;
    return table.isNamedIn('before', spec.name) || table.isNamedIn('conflicts', spec.name);
  }

  /** The awaitDependencies hook: conflicts stopped, requirements pulled in, then the wait. */
  await(context: DependenciesContext, spec: ProcessSpec): () => void {
    const waiter: Waiter = { id: context.id, report: context, shown: undefined };
    if (!this.closed) {
      this.stopConflicts(spec);
      this.pullIn(spec);
    }
    this.waiters.add(waiter);
    this.judgeSoon();
    return () => this.waiters.delete(waiter);
  }

  /** A fact from a chart: waits are judged again, and a binds_to target that left its run stops its dependents. */
  onFact(fact: { type: string; id: string; phase?: string }): void {
    if (this.waiters.size > 0) this.judgeSoon();
    if (this.closed || fact.type !== 'phase.changed' || (fact.phase !== 'terminating' && fact.phase !== 'finished')) return;
    const { table, views } = this.options;
    if (!table.has(fact.id)) return;
    const target = table.get(fact.id).spec.name;
    if (!table.isNamedIn('bindsTo', target)) return;
    for (const entry of table.all()) {
      if (!entry.spec.bindsTo.includes(target) || entry.desired !== 'running') continue;
      // A dependent still waiting for its target fails through its wait, not through a stop.
      if (views.view(entry).phase !== 'syncing') continue;
      this.options.log(entry.id).info({ boundTo: target }, `stopping: ${target}, which it binds to, stopped`);
      this.act(this.options.stop(entry.id), entry.id, 'stop');
    }
  }

  /** Stopping `entry`: everything that requires or binds to it, still up, stops first. */
  async stopDependents(entry: ProcessEntry): Promise<void> {
    const { table, views } = this.options;
    if (!isRequired(table, entry.spec.name)) return;
    const names = requiredBy(table.all().map((e) => e.spec), entry.spec.name);
    const live = names.map((name) => table.get(name)).filter((dependent) => !isIdle(views.state(dependent)));
    await Promise.all(live.map((dependent) => this.options.stop(dependent.id)));
  }

  /** Daemon shutdown: dependents stop before what they depend on, layer by layer, within the deadline. */
  async stopInOrder(deadlineAt: number, now: () => number): Promise<void> {
    this.closed = true;
    const { table, views } = this.options;
    const live = table.all().filter((entry) => !isIdle(views.state(entry)));
    const layers = stopLayers(table.all().map((e) => e.spec), live.map((e) => e.spec.name));
    // The last layer is left to the manager's shutdown, with everything else still running.
    for (const layer of layers.slice(0, -1)) {
      const left = deadlineAt - now();
      if (left <= 0) return;
      const stops = Promise.all(layer.map((name) => this.options.halt(table.get(name).id)));
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([stops, new Promise((resolve) => (timer = setTimeout(resolve, left)))]);
      clearTimeout(timer);
    }
  }

  /**
   * At create, update and reload: no cycle through `spec` and no dependency on a process that does
   * not exist (before and conflicts may name one that does not exist yet: they ask nothing of it).
   */
  check(spec: ProcessSpec): void {
    const { table } = this.options;
    const known = { has: (name: string) => name === spec.name || table.hasName(name) };
    const missing = unknownReferences(spec, known).filter(({ path }) => !path.startsWith('before') && !path.startsWith('conflicts'));
    if (missing.length > 0) {
      throw new StatevisorError(
        'E_INVALID_ARGUMENT',
        missing.map(({ path, name }) => `${path}: got ${JSON.stringify(name)}, expected the name of an existing process (there is no '${name}')`).join('; '),
      );
    }
    // Every create checked the whole graph (its names sorted, every spec's edges): creating 10,000
    // processes took quadratic time and a CreateProcess passed its 10 s deadline. A new cycle must
    // pass through `spec`, leaving it by an edge of its own (after, requires, wants, binds_to) or
    // by another's `before` naming it; a spec with neither cannot close one.
    const leaves = orderingFields.some((field) => namesOf(spec, field).length > 0);
    if (!leaves && !table.isNamedIn('before', spec.name)) return;
    const others = table.all().filter((e) => e.spec.name !== spec.name).map((e) => e.spec);
    const cycle = findCycle([...others, spec]);
    if (cycle !== undefined) throw new StatevisorError('E_INVALID_ARGUMENT', cycleMessage(spec, cycle));
  }

  /** A delete without force: refused while others require or bind to the process. */
  checkDelete(entry: ProcessEntry): void {
    if (!isRequired(this.options.table, entry.spec.name)) return;
    const dependents = requiredBy(this.options.table.all().map((e) => e.spec), entry.spec.name);
    if (dependents.length === 0) return;
    throw new StatevisorError(
      'E_INVALID_STATE',
      `process '${entry.spec.name}' is required by ${dependents.join(', ')}: delete ${dependents.length > 1 ? 'them' : 'it'} first, or delete with force`,
    );
  }

  private stopConflicts(spec: ProcessSpec): void {
    const { table, views } = this.options;
    for (const entry of table.all()) {
      const conflicting = spec.conflicts.includes(entry.spec.name) || entry.spec.conflicts.includes(spec.name);
      if (!conflicting || entry.spec.name === spec.name) continue;
      if (isIdle(views.state(entry)) && entry.desired !== 'running') continue;
      this.options.log(entry.id).info({ conflictsWith: spec.name }, `stopping: ${spec.name}, which conflicts with it, is starting`);
      this.act(this.options.stop(entry.id), entry.id, 'stop');
    }
  }

  /** requires, wants and binds_to that are idle and not about to start are started. */
  private pullIn(spec: ProcessSpec): void {
    const { table, views } = this.options;
    for (const { name } of this.edgesOf(spec).filter((edge) => edge.kind !== 'after')) {
      if (!table.has(name)) continue;
      const entry = table.get(name);
      if (!isIdle(views.state(entry)) || entry.desired === 'running') continue;
      this.options.log(entry.id).info({ for: spec.name }, `starting: ${spec.name} needs it`);
      this.act(this.options.start(entry.id), entry.id, 'start');
    }
  }

  private act(action: Promise<unknown>, id: string, what: string): void {
    action.catch((error: unknown) => this.options.log(id).warn({ err: (error as Error).message }, `could not ${what} it`));
  }

  /** What a run of `spec` waits on, in the spec's order; processes that say `before` it last. */
  private edgesOf(spec: ProcessSpec): Edge[] {
    const of = (field: DependencyField, kind: Kind) => spec[field].map((entry) => ({ ...parseDependency(entry), kind }));
    const before = this.options.table
      .all()
      .filter((other) => other.spec.before.includes(spec.name))
      .map((other) => ({ name: other.spec.name, condition: 'started' as const, kind: 'after' as const }));
    return [...of('requires', 'requires'), ...of('bindsTo', 'requires'), ...of('wants', 'wants'), ...of('after', 'after'), ...before];
  }

  /** Judged once the facts of this turn have all been applied (run.ended sets the desired state). */
  private judgeSoon(): void {
    this.judging ??= setImmediate(() => {
      this.judging = undefined;
      for (const waiter of [...this.waiters]) this.judge(waiter);
    });
  }

  private judge(waiter: Waiter): void {
    const { table } = this.options;
    if (!table.has(waiter.id)) return;
    const spec = table.get(waiter.id).spec;
    for (const edge of this.edgesOf(spec)) {
      const verdict = this.verdictOf(edge);
      if (verdict.is === 'met') continue;
      if (verdict.is === 'pending') {
        const on = describeDependency(edge);
        if (waiter.shown !== on) {
          waiter.shown = on;
          waiter.report.waiting(on);
        }
        return;
      }
      if (edge.kind === 'requires') {
        this.waiters.delete(waiter);
        waiter.report.failed(`requirement ${edge.name} failed: ${verdict.why}`);
        return;
      }
      if (edge.kind === 'wants') this.options.log(waiter.id).warn({ wants: edge.name }, `starting anyway: ${edge.name} failed: ${verdict.why}`);
    }
    this.waiters.delete(waiter);
    waiter.report.ready();
  }

  /** Where one dependency stands. An `after` dependency that is not on its way up is simply met. */
  private verdictOf(edge: Edge): Verdict {
    const { table, views } = this.options;
    if (!table.has(edge.name)) return { is: 'failed', why: `there is no process named '${edge.name}'` };
    const entry = table.get(edge.name);
    const view = views.view(entry);
    const { state } = view;
    // Asked to run and not begun yet (its start is being recorded, or it is created in the same batch).
    const queued = entry.desired === 'running' && isIdle(state);
    const spawned = state === 'RUNNING' || (state === 'STARTING' && view.startedAt !== undefined);
    const ended = isIdle(state) && !queued;
    const why = `it is ${state}${view.lastError ? ` (${view.lastError})` : ''}`;
    if (edge.kind === 'after') {
      const onItsWay = queued || state === 'STARTING' || state === 'BACKOFF' || (edge.condition === 'completed_successfully' && state === 'RUNNING');
      if (!onItsWay || (edge.condition === 'started' && spawned) || (edge.condition === 'healthy' && view.health === 'healthy')) return { is: 'met' };
      return { is: 'pending' };
    }
    switch (edge.condition) {
      case 'started':
        if (spawned || (ended && state === 'EXITED')) return { is: 'met' };
        return ended ? { is: 'failed', why } : { is: 'pending' };
      case 'healthy':
        if (entry.spec.healthCheck === undefined) return { is: 'failed', why: 'it has no health_check, so it is never healthy' };
        if (view.health === 'healthy') return { is: 'met' };
        return ended ? { is: 'failed', why: `${why} before it was healthy` } : { is: 'pending' };
      case 'completed_successfully':
        if (ended && state === 'EXITED') return { is: 'met' };
        return ended ? { is: 'failed', why } : { is: 'pending' };
    }
  }
}

/** "requires[0]: \"b\" makes a dependency cycle: a → b → a", naming this spec's field in the cycle. */
function cycleMessage(spec: ProcessSpec, cycle: readonly string[]): string {
  const edges = orderingEdges([spec]);
  for (let i = 0; i < cycle.length - 1; i += 1) {
    const [from, to] = [cycle[i]!, cycle[i + 1]!];
    const field = edges.get(from)?.get(to);
    if (field === undefined) continue;
    // A `before` of this spec is an edge into it; every other field, an edge out of it.
    const [key, named] = field === 'before' ? (['before', from] as const) : ([field as DependencyField, to] as const);
    const index = spec[key].findIndex((entry) => parseDependency(entry).name === named);
    if (index < 0) continue;
    return `${snakeCase(key)}[${index}]: ${JSON.stringify(spec[key][index])} makes a dependency cycle: ${describeCycle(cycle)}`;
  }
  return `dependency cycle: ${describeCycle(cycle)}`;
}

/** Whether some process requires or binds to `name` (what requiredBy would list). */
function isRequired(table: ProcessTable, name: string): boolean {
  return table.isNamedIn('requires', name) || table.isNamedIn('bindsTo', name);
}
