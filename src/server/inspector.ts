/**
 * Inspect: the XState inspection events of the actor system (every event an actor receives,
 * every snapshot it takes, every actor created), as JSON, live — what a statechart visualizer
 * or `statevisor inspect NAME --follow` watches. The daemon observes its actor system only while
 * someone watches: an inspection observer makes XState build an event object for every
 * microstep of every process, which a fleet of 1,000 should not pay for nobody.
 */
import type { InspectionEvent, Observer } from 'xstate';
import { EventHub, type Watcher } from './events.js';

/** One inspection event, serialised once for every watcher. */
export interface InspectionRecord {
  /** The actor it is about: a process id, or the supervisor's. */
  readonly actorId: string;
  readonly json: string;
}

export interface InspectableSystem {
  inspect(observer: Observer<InspectionEvent>): { unsubscribe(): void };
}

export class Inspector {
  readonly #hub = new EventHub<InspectionRecord>((record) => record.actorId);
  #observing: { unsubscribe(): void } | undefined;

  constructor(private readonly system: InspectableSystem) {}

  subscribe(watcher: Watcher<InspectionRecord>): { drained(): void; close(): void } {
    const subscription = this.#hub.subscribe(watcher);
    this.#observing ??= this.system.inspect({ next: (event) => this.#hub.publish(recordOf(event)) });
    let closed = false;
    return {
      drained: subscription.drained,
      close: () => {
        if (closed) return;
        closed = true;
        subscription.close();
        if (this.#hub.watcherCount === 0) this.#stopObserving();
      },
    };
  }

  get watcherCount(): number {
    return this.#hub.watcherCount;
  }

  /** Whether the actor system is being observed (only while someone watches). */
  get observing(): boolean {
    return this.#observing !== undefined;
  }

  /** The daemon is stopping: end every stream. */
  closeAll(): void {
    this.#hub.closeAll();
    this.#stopObserving();
  }

  #stopObserving(): void {
    this.#observing?.unsubscribe();
    this.#observing = undefined;
  }
}

type AnyInspectionEvent = InspectionEvent & {
  actorRef: { id: string };
  sourceRef?: { id: string };
  event?: unknown;
  snapshot?: { value?: unknown; status?: unknown; context?: unknown };
  action?: { type?: unknown; params?: unknown };
};

function recordOf(inspection: InspectionEvent): InspectionRecord {
  const event = inspection as AnyInspectionEvent;
  const actorId = event.actorRef.id;
  const body: Record<string, unknown> = { type: event.type, actorId, rootId: event.rootId };
  if (event.sourceRef !== undefined) body.sourceId = event.sourceRef.id;
  if ('event' in event) body.event = event.event;
  if (event.snapshot !== undefined) {
    const { value, status, context } = event.snapshot;
    body.snapshot = { value, status, context };
  }
  if (event.action !== undefined) body.action = { type: event.action.type, params: event.action.params };
  return { actorId, json: JSON.stringify(body, jsonSafe) };
}

/** Maps become objects; actor references become their ids (they hold the whole system). */
function jsonSafe(_key: string, value: unknown): unknown {
  if (value instanceof Map) return Object.fromEntries(value);
  if (typeof value === 'object' && value !== null && 'sessionId' in value && 'send' in value) {
    return { actor: (value as unknown as { id: string }).id };
  }
  if (typeof value === 'function' || typeof value === 'bigint') return undefined;
  return value;
}
