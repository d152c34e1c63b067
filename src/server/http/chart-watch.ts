/**
 * The chart moves of the processes whose page is open: each time a process actor's leaf states
 * change, the event that moved it and from → to (dotted leaf paths: `terminated.restartDelay`).
 * Read from XState's inspection observer, attached only while some process page is open (an
 * observer makes XState build an inspection event for every microstep of every actor), and
 * filtered by actor id before anything else is done: an open page pays for its own process.
 */
import type { InspectionEvent, Observer } from 'xstate';
import type { ChartMove } from './console-wire.js';

export interface InspectableSystem {
  inspect(observer: Observer<InspectionEvent>): { unsubscribe(): void };
}

/** The active leaf states of a snapshot's value: `{ syncing: 'running' }` → ['syncing.running']. */
export function leafPaths(value: unknown, prefix = ''): string[] {
  if (typeof value === 'string') return [prefix === '' ? value : `${prefix}.${value}`];
  if (typeof value !== 'object' || value === null) return [];
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return prefix === '' ? [] : [prefix];
  return entries.flatMap(([key, child]) => leafPaths(child, prefix === '' ? key : `${prefix}.${key}`));
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
  #observing: { unsubscribe(): void } | undefined;

  constructor(
    private readonly system: InspectableSystem,
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
    this.#observing ??= this.system.inspect({ next: (event) => this.#inspected(event) });
    return () => {
      watched.listeners.delete(moved);
      if (watched.listeners.size === 0) this.#watched.delete(id);
      if (this.#watched.size === 0) {
        this.#observing?.unsubscribe();
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
    const move: ChartMove = { at: this.now(), event: (inspection.event as { type?: string }).type ?? '', from: from ?? [], to };
    watched.moves.push(move);
    if (watched.moves.length > movesKept) watched.moves.shift();
    for (const listener of watched.listeners) listener(move);
  }
}
