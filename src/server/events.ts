/**
 * The daemon's event streams: WatchEvents' process events (every create, delete, spec change,
 * state transition, health verdict and exit, in order) and Inspect's XState inspection events.
 * A hub delivers each event to any number of watchers, optionally filtered to one process; a
 * WatchEvents watcher first gets the current state of each process (flagged as a snapshot).
 * Each watcher has a bounded queue: one that cannot keep up is dropped with an error rather than
 * making the daemon buffer without limit.
 */
import type { ProcessView } from './process-view.js';

export type EventType = 'snapshot' | 'created' | 'deleted' | 'transition' | 'exited' | 'health' | 'spec_changed';

export interface ProcessEventRecord {
  readonly type: EventType;
  readonly snapshot: boolean;
  readonly at: number;
  readonly process: ProcessView;
  readonly from: string;
  readonly to: string;
  readonly reason: string;
}

export interface Watcher<E = ProcessEventRecord> {
  /** Only events of this process id (undefined: all). */
  readonly processId: string | undefined;
  /** Deliver one event; false means the watcher's transport is full (backpressure). */
  deliver(event: E): boolean;
  /** Called once when the hub drops the watcher for being too slow. */
  overflow(): void;
  /** Called once when the daemon stops: end the stream cleanly. */
  end(): void;
}

interface Subscription<E> {
  readonly watcher: Watcher<E>;
  /** Events waiting while the transport is full. */
  readonly backlog: E[];
  blocked: boolean;
}

export const defaultBacklogLimit = 10_000;

export class EventHub<E = ProcessEventRecord> {
  private readonly subscriptions = new Set<Subscription<E>>();

  constructor(
    /** The process an event is about, for watchers of one process. */
    private readonly processIdOf: (event: E) => string = (event) => (event as ProcessEventRecord).process.id,
    private readonly backlogLimit = defaultBacklogLimit,
  ) {}

  /**
   * Subscribe, sending `initial` (the snapshot) first. Returns the subscription's controls:
   * `drained()` after the transport's drain event, `close()` when the call ends.
   */
  subscribe(watcher: Watcher<E>, initial: readonly E[] = []): { drained(): void; close(): void } {
    const subscription: Subscription<E> = { watcher, backlog: [], blocked: false };
    this.subscriptions.add(subscription);
    for (const event of initial) this.push(subscription, event);
    return {
      drained: () => this.drain(subscription),
      close: () => {
        this.subscriptions.delete(subscription);
        subscription.backlog.length = 0;
      },
    };
  }

  publish(event: E): void {
    for (const subscription of this.subscriptions) {
      if (subscription.watcher.processId === undefined || subscription.watcher.processId === this.processIdOf(event)) {
        this.push(subscription, event);
      }
    }
  }

  /** The daemon is stopping: end every watcher's stream. */
  closeAll(): void {
    for (const subscription of this.subscriptions) subscription.watcher.end();
    this.subscriptions.clear();
  }

  get watcherCount(): number {
    return this.subscriptions.size;
  }

  private push(subscription: Subscription<E>, event: E): void {
    if (subscription.blocked) {
      if (subscription.backlog.length >= this.backlogLimit) {
        this.subscriptions.delete(subscription);
        subscription.backlog.length = 0;
        subscription.watcher.overflow();
        return;
      }
      subscription.backlog.push(event);
      return;
    }
    subscription.blocked = !subscription.watcher.deliver(event);
  }

  private drain(subscription: Subscription<E>): void {
    subscription.blocked = false;
    while (subscription.backlog.length > 0 && !subscription.blocked) {
      subscription.blocked = !subscription.watcher.deliver(subscription.backlog.shift()!);
    }
  }
}
