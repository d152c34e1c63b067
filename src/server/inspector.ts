/**
 * Inspect: the XState inspection events of the actor system (every event an actor receives,
 * every snapshot it takes, every actor created) — what `statevisor inspect [NAME] --follow`, a
 * statechart visualizer and the Stately bridge watch.
 *
 * The daemon observes its actor system only while someone watches: an inspection observer makes
 * XState build an event object for every microstep of every process, which a fleet of 1,000
 * should not pay for nobody. Watchers are of two kinds: the raw inspection events as JSON
 * (`--json`), and readable steps (charts/inspection-steps.ts: one per state change, with from → to
 * and why); both leave XState's internals out unless asked for all. Every context, event and
 * payload is redacted before it leaves (charts/redact.ts).
 *
 * A watcher that arrives late first gets, for every live actor, where it is now (raw: its
 * `@xstate.actor` and latest `@xstate.snapshot`, flagged `replay`), then live events. A watcher
 * that falls behind is not buffered without bound: past its backlog limit its queue is dropped
 * and counted, and when it drains it is told how many events it missed and sent the current
 * state again (events.ts).
 */
import type { AnyActorRef, InspectionEvent } from 'xstate';
import { InspectionReader, isMachineActor, type InspectionStep } from '../charts/inspection-steps.js';
import { redacted } from '../charts/redact.js';
import { leafPaths } from '../charts/state-paths.js';
import { EventHub, type HubSubscription, type Watcher } from './events.js';

/** One inspection event or step for watchers, serialised at most once, and only if someone wants it. */
export interface InspectionRecord {
  /** The actor it is about: a process id, the supervisor's, or a hook's. */
  readonly actorId: string;
  /** One of XState's internals (an `xstate.*` event, a microstep, an action, a hook's actor). */
  readonly internal: boolean;
  readonly json: string;
}

export interface InspectOptions {
  /** Readable steps instead of raw inspection events. */
  readonly steps?: boolean;
  /** XState's internals too. */
  readonly all?: boolean;
}

export interface InspectorSources {
  /** A process's name by id (undefined: not a process). */
  nameOf(id: string): string | undefined;
  now(): number;
}

/**
 * Events held for one watcher whose transport is full, before it is only told what it missed.
 * Raw events carry whole contexts (≈1–3 KB each), steps ≈200 bytes: a few MB per slow watcher.
 */
export const defaultInspectBacklog = { raw: 2_000, steps: 10_000 } as const;

export class Inspector {
  readonly #raw: EventHub<InspectionRecord>;
  readonly #steps: EventHub<InspectionRecord>;
  readonly #listeners = new Set<(event: InspectionEvent) => void>();
  readonly #reader: InspectionReader;
  #observing: { unsubscribe(): void } | undefined;
  #hubListener: { close(): void } | undefined;

  constructor(
    /** The root of the actor system: the supervisor. */
    private readonly root: AnyActorRef,
    private readonly sources: InspectorSources,
    backlog: { readonly raw: number; readonly steps: number } = defaultInspectBacklog,
  ) {
    this.#reader = new InspectionReader(() => sources.now());
    this.#raw = new EventHub<InspectionRecord>((r) => r.actorId, backlog.raw, (missed) => ({
      notice: record('', false, () => ({ type: 'statevisor.missed', count: missed, at: sources.now() })),
      current: this.#rawReplay(),
    }));
    this.#steps = new EventHub<InspectionRecord>((r) => r.actorId, backlog.steps, (missed) => ({
      notice: record('', false, () => ({ kind: 'missed', count: missed, at: sources.now(), actorId: '', internal: false })),
      current: this.#stepReplay(),
    }));
  }


  /** Every live actor, parents first: the supervisor, each process, each hook that runs. */
  liveActors(): AnyActorRef[] {
    const actors: AnyActorRef[] = [];
    const visit = (actor: AnyActorRef) => {
      actors.push(actor);
      const children = (actor.getSnapshot() as { children?: Record<string, AnyActorRef | undefined> }).children ?? {};
      for (const child of Object.values(children)) if (child !== undefined) visit(child);
    };
    visit(this.root);
    return actors;
  }

  /** A name for a person: the process's, `supervisor`, else the actor's id. */
  nameOf(actorId: string): string {
    if (actorId === this.root.id) return 'supervisor';
    return this.sources.nameOf(actorId) ?? actorId;
  }

  /**
   * Receive every inspection event of the actor system until `close()` (the Stately bridge). The
   * system is observed while at least one listener is open.
   */
  observe(listener: (event: InspectionEvent) => void): { close(): void } {
    if (this.#listeners.size === 0) this.#observing = this.root.system.inspect({ next: (event) => this.#dispatch(event) });
    this.#listeners.add(listener);
    let closed = false;
    return {
      close: () => {
        if (closed) return;
        closed = true;
        this.#listeners.delete(listener);
        if (this.#listeners.size === 0) this.#stopObserving();
      },
    };
  }

  /** A gRPC watcher: the current state of the live actors first, then live records. */
  subscribe(watcher: Watcher<InspectionRecord>, options: InspectOptions = {}): HubSubscription {
    const hub = options.steps === true ? this.#steps : this.#raw;
    const filtered: Watcher<InspectionRecord> = options.all === true ? watcher : { ...watcher, wants: (r) => !r.internal };
    if (this.#hubListener === undefined) {
      // The reader starts from the actors as they are: it saw nothing while nobody watched here.
      this.#reader.seed(this.liveActors());
      this.#hubListener = this.observe((event) => this.#publish(event));
    }
    const subscription = hub.subscribe(filtered, options.steps === true ? this.#stepReplay() : this.#rawReplay());
    let closed = false;
    return {
      drained: subscription.drained,
      queued: subscription.queued,
      close: () => {
        if (closed) return;
        closed = true;
        subscription.close();
        if (this.watcherCount === 0) {
          this.#hubListener?.close();
          this.#hubListener = undefined;
        }
      },
    };
  }

  get watcherCount(): number {
    return this.#raw.watcherCount + this.#steps.watcherCount;
  }

  /** Whether the actor system is being observed (only while someone watches). */
  get observing(): boolean {
    return this.#observing !== undefined;
  }

  /** The daemon is stopping: end every stream. */
  closeAll(): void {
    this.#raw.closeAll();
    this.#steps.closeAll();
    this.#hubListener = undefined;
    this.#listeners.clear();
    this.#stopObserving();
  }

  #dispatch(event: InspectionEvent): void {
    for (const listener of this.#listeners) listener(event);
  }

  #publish(event: InspectionEvent): void {
    // The reader follows every event, watched or not, so that each step's `from` is right.
    const step = this.#reader.read(event);
    if (this.#steps.watcherCount > 0) this.#steps.publish(this.#stepRecord(step));
    if (this.#raw.watcherCount > 0) this.#raw.publish(rawRecordOf(event));
  }

  #stepRecord(step: InspectionStep): InspectionRecord {
    return record(step.actorId, step.internal, () => ({ ...step, name: this.nameOf(step.actorId) }));
  }

  #stepReplay(): InspectionRecord[] {
    const now = this.sources.now();
    return this.liveActors().map((actor) => {
      const snapshot = actor.getSnapshot() as { value?: unknown; status?: string };
      const step: InspectionStep = {
        kind: 'state',
        at: now,
        actorId: actor.id,
        internal: !isMachineActor(actor),
        to: leafPaths(snapshot.value),
        status: snapshot.status ?? 'active',
        replay: true,
      };
      return this.#stepRecord(step);
    });
  }

  #rawReplay(): InspectionRecord[] {
    return this.liveActors().flatMap((actor) => {
      const internal = !isMachineActor(actor);
      const snapshot = actor.getSnapshot() as { value?: unknown; status?: unknown; context?: unknown };
      return [
        record(actor.id, internal, () => ({ type: '@xstate.actor', actorId: actor.id, replay: true })),
        record(actor.id, internal, () => ({
          type: '@xstate.snapshot',
          actorId: actor.id,
          replay: true,
          snapshot: redacted({ value: snapshot.value, status: snapshot.status, context: snapshot.context }),
        })),
      ];
    });
  }

  #stopObserving(): void {
    this.#observing?.unsubscribe();
    this.#observing = undefined;
  }
}

/** A record whose JSON is made the first time a watcher takes it. */
function record(actorId: string, internal: boolean, body: () => unknown): InspectionRecord {
  let json: string | undefined;
  return {
    actorId,
    internal,
    get json() {
      json ??= JSON.stringify(body());
      return json;
    },
  };
}

type AnyInspectionEvent = InspectionEvent & {
  actorRef: AnyActorRef;
  sourceRef?: { id: string };
  event?: { type?: unknown };
  snapshot?: { value?: unknown; status?: unknown; context?: unknown };
  action?: { type?: unknown; params?: unknown };
};

function rawRecordOf(inspection: InspectionEvent): InspectionRecord {
  const event = inspection as AnyInspectionEvent;
  const actorId = event.actorRef.id;
  return record(actorId, isInternal(event), () => {
    const body: Record<string, unknown> = { type: event.type, actorId, rootId: event.rootId };
    if (event.sourceRef !== undefined) body.sourceId = event.sourceRef.id;
    if ('event' in event) body.event = event.event;
    if (event.snapshot !== undefined) {
      const { value, status, context } = event.snapshot;
      body.snapshot = { value, status, context };
    }
    if (event.action !== undefined) body.action = { type: event.action.type, params: event.action.params };
    return redacted(body);
  });
}

/** XState's internals: microsteps, actions, `xstate.*` events, and everything of a hook's actor. */
function isInternal(event: AnyInspectionEvent): boolean {
  if (!isMachineActor(event.actorRef)) return true;
  if (event.type === '@xstate.microstep' || event.type === '@xstate.action') return true;
  return event.type === '@xstate.event' && String(event.event?.type ?? '').startsWith('xstate.');
}
