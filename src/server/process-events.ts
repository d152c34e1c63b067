/**
 * What happened to each process, for people: the recent phase transitions Describe shows, and
 * the WatchEvents stream (creates, state transitions, health verdicts, exits, spec changes,
 * deletes). Fed by the charts' facts and by the verbs; knows nothing of how a
 * process is run. An event carries a whole view of its process, so none is built while nobody
 * watches.
 */
import type { Phase, ProcessFact } from '../machines/process-types.js';
import { describeExit } from '../machines/exit-status.js';
import type { ChildExit } from '../runtime/exec/child-handle.js';
import type { EventHub, EventType, ProcessEventRecord } from './events.js';
import type { ProcessEntry } from './process-table.js';
import type { ProcessView } from './process-view.js';
import type { ProcessState } from '../machines/process-state.js';

export interface TransitionRecord {
  readonly at: number;
  readonly from: Phase | null;
  readonly to: Phase;
  readonly reason: string;
}

/** What the events need to know of one process (the composition root answers). */
export interface ProcessLookup {
  find(id: string): ProcessEntry | undefined;
  view(entry: ProcessEntry): ProcessView;
  state(entry: ProcessEntry): ProcessState;
  now(): number;
}

const transitionsKept = 20;

export class ProcessEvents {
  readonly #transitions = new Map<string, TransitionRecord[]>();
  /**
   * The state watchers were last told of, per process: a transition event says from → to in
   * ProcessState's terms, which a fact (from → to in phases) does not; this stream is the one
   * place that needs it.
   */
  readonly #lastState = new Map<string, ProcessState>();

  constructor(
    private readonly lookup: ProcessLookup,
    /** WatchEvents' hub, where every event is published. */
    private readonly hub: EventHub,
  ) {}

  /** A fact from a chart: history for Describe, and the events it means. */
  onFact(fact: ProcessFact): void {
    if (fact.type === 'phase.changed') {
      const list = this.#transitions.get(fact.id) ?? [];
      list.push({ at: this.lookup.now(), from: fact.from, to: fact.phase, reason: fact.reason });
      if (list.length > transitionsKept) list.shift();
      this.#transitions.set(fact.id, list);
    }
    if (fact.type === 'health.changed') this.#health(fact);
    this.#transition(fact.id, reasonOf(fact));
  }

  /** A process known from now on, in state CREATED; `reason` given, a 'created' event too. */
  added(entry: ProcessEntry, reason?: string): void {
    this.#lastState.set(entry.id, 'CREATED');
    if (reason !== undefined) this.hub.publish(this.#event('created', entry, '', 'CREATED', reason));
  }

  exited(id: string, exit: ChildExit): void {
    const entry = this.lookup.find(id);
    if (entry === undefined || this.hub.watcherCount === 0) return;
    this.hub.publish(this.#event('exited', entry, '', '', describeExit(exit)));
  }

  specChanged(entry: ProcessEntry, reason: string): void {
    this.hub.publish(this.#event('spec_changed', entry, '', '', reason));
  }

  /** Builds the 'deleted' event while the process can still be viewed; `publish` it once it is gone. */
  deleting(entry: ProcessEntry): ProcessEventRecord {
    return this.#event('deleted', entry, this.lookup.state(entry), '', 'deleted');
  }

  /** Forgets a deleted process and tells the watchers. */
  deleted(id: string, gone: ProcessEventRecord): void {
    this.#transitions.delete(id);
    this.#lastState.delete(id);
    this.hub.publish(gone);
  }

  transitionsOf(id: string): readonly TransitionRecord[] {
    return this.#transitions.get(id) ?? [];
  }

  /** The current state of every process (or one), as the first events a watcher receives. */
  snapshot(entries: readonly ProcessEntry[]): ProcessEventRecord[] {
    return entries.map((entry) => {
      const process = this.lookup.view(entry);
      return { type: 'snapshot', snapshot: true, at: this.lookup.now(), process, from: '', to: process.state, reason: '' };
    });
  }

  #event(type: EventType, entry: ProcessEntry, from: string, to: string, reason: string): ProcessEventRecord {
    return { type, snapshot: false, at: this.lookup.now(), process: this.lookup.view(entry), from, to, reason };
  }

  /** A fact changed the chart: report the state it is in now, if that differs from the last one reported. */
  #transition(id: string, reason: string): void {
    const entry = this.lookup.find(id);
    if (entry === undefined) return;
    const state = this.lookup.state(entry);
    const before = this.#lastState.get(id) ?? 'CREATED';
    if (state === before) return;
    this.#lastState.set(id, state);
    // Building an event means building a view: skip it when nobody watches.
    if (this.hub.watcherCount === 0) return;
    this.hub.publish(this.#event('transition', entry, before, state, reason));
  }

  #health(fact: ProcessFact & { type: 'health.changed' }): void {
    const entry = this.lookup.find(fact.id);
    if (entry === undefined || this.hub.watcherCount === 0) return;
    const reason = `${fact.message}${fact.failures > 0 ? ` (${fact.failures} failed in a row)` : ''}`;
    this.hub.publish(this.#event('health', entry, fact.previous.toUpperCase(), fact.health.toUpperCase(), reason));
  }
}

function reasonOf(fact: ProcessFact): string {
  switch (fact.type) {
    case 'phase.changed':
    case 'process.restarting':
    case 'run.ended':
      return fact.reason;
    case 'queue.retried':
      return fact.error;
    case 'health.changed':
      return `health check: ${fact.message}`;
    case 'queue.added':
      return '';
  }
}
