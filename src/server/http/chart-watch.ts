/**
 * The chart moves of the processes whose page is open: each time a process actor's leaf states
 * change, the event that moved it, named for a person (`workload.exited code=3`, `after
 * restartDelay`: charts/inspection-steps.ts), and from → to (leaf paths: `terminated.restartDelay`).
 * Read from the daemon's one inspection observer (Inspector.observe), attached only while some
 * process page (or another watcher) is open — an observer makes XState build an inspection event
 * for every microstep of every actor — and filtered by actor id before anything else is done: an
 * open page pays for its own process.
 */
import type { InspectionEvent } from 'xstate';
import { eventPhrase } from '../../charts/inspection-steps.js';
import { leafPaths } from '../../charts/state-paths.js';
import type { ChartMove } from './console-wire.js';

/** Where inspection events come from (the daemon's Inspector): observed until `close()`. */
export interface InspectionSource {
  observe(listener: (event: InspectionEvent) => void): { close(): void };
}

const movesKept = 30;

type Listener = (move: ChartMove) => void;

interface Watched {
  readonly listeners: Set<Listener>;
  readonly moves: ChartMove[];
  active: readonly string[] | undefined;
}

export class ChartWatch {
  readonly #watched = new Map<string, Watched>();
  #observing: { close(): void } | undefined;

  constructor(
    private readonly inspection: InspectionSource,
    private readonly now: () => number,
  ) {}

  /** Whether the actor system is being observed (only while a page is open). */
  get observing(): boolean {
    return this.#observing !== undefined;
  }

  /**
   * Calls `moved` on each move of `id`'s chart until the returned function is called. `active`:
   * its leaf states now, what the first move is from.
   */
  watch(id: string, active: readonly string[] | undefined, moved: Listener): () => void {
    let watched = this.#watched.get(id);
    if (watched === undefined) this.#watched.set(id, (watched = { listeners: new Set(), moves: [], active }));
    watched.listeners.add(moved);
    this.#observing ??= this.inspection.observe((event) => this.#inspected(event));
    return () => {
      watched.listeners.delete(moved);
      if (watched.listeners.size === 0) this.#watched.delete(id);
      if (this.#watched.size === 0) {
        this.#observing?.close();
        this.#observing = undefined;
      }
    };
  }

  /** The moves seen since the first page of `id` opened, oldest first. */
  movesOf(id: string): readonly ChartMove[] {
    return this.#watched.get(id)?.moves ?? [];
  }

  #inspected(inspection: InspectionEvent): void {
    if (inspection.type !== '@xstate.snapshot') return;
    const watched = this.#watched.get((inspection.actorRef as unknown as { id: string }).id);
    if (watched === undefined) return;
    const to = leafPaths((inspection.snapshot as { value?: unknown }).value);
    const from = watched.active;
    watched.active = to;
    // Microsteps that change only the context are not moves.
    if (from !== undefined && from.length === to.length && from.every((path, i) => path === to[i])) return;
    const { event, payload } = eventPhrase(inspection.event as Record<string, unknown> & { type: string });
    const move: ChartMove = { at: this.now(), event: payload === undefined ? event : `${event} ${payload}`, from: from ?? [], to };
    watched.moves.push(move);
    if (watched.moves.length > movesKept) watched.moves.shift();
    for (const listener of watched.listeners) listener(move);
  }
}
