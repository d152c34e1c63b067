/**
 * The daemon's event streams: WatchEvents' process events (every create, delete, spec change,
 * state transition, health verdict and exit, in order) and Inspect's XState inspection events.
 * A hub delivers each event to any number of watchers, optionally filtered to one process; a
 * WatchEvents watcher first gets the current state of each process (flagged as a snapshot).
 * Each watcher has a bounded queue: one that cannot keep up is dropped with an error rather than
 * making the daemon buffer without limit; or, for a hub that can say what is current (Inspect),
 * its queue is emptied and only counted, and once it drains it is told how many events it missed
 * and sent the current state, so that it is correct again without the daemon holding the gap.
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
  /** Only the events this says yes to (absent: every event). */
  wants?(event: E): boolean;
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
  /** Events not queued since the backlog overflowed (a hub with catch-up only). */
  missed: number;
}

/**
 * What a watcher that fell behind is sent once it drains: a notice of the `missed` events, then
 * the current state (filtered like any event for the watcher).
 */
export type CatchUp<E> = (missed: number) => { readonly notice: E; readonly current: readonly E[] };

export const defaultBacklogLimit = 10_000;

export interface HubSubscription {
  drained(): void;
  close(): void;
  queued(): number;
}

export class EventHub<E = ProcessEventRecord> {
  private readonly subscriptions = new Set<Subscription<E>>();

  constructor(
    /** The process an event is about, for watchers of one process. */
    private readonly processIdOf: (event: E) => string = (event) => (event as ProcessEventRecord).process.id,
    private readonly backlogLimit = defaultBacklogLimit,
    /** Instead of dropping a watcher that fell behind, forget its backlog and send it this later. */
    private readonly catchUp?: CatchUp<E>,
  ) {}

  /**
   * Subscribe, sending `initial` (the snapshot) first. Returns the subscription's controls:
   * `drained()` after the transport's drain event, `close()` when the call ends, `queued()` the
   * events it holds (bounded by the backlog limit).
   */
  subscribe(watcher: Watcher<E>, initial: readonly E[] = []): HubSubscription {
    const subscription: Subscription<E> = { watcher, backlog: [], blocked: false, missed: 0 };
    this.subscriptions.add(subscription);
    for (const event of initial) if (this.wanted(subscription, event)) this.push(subscription, event);
    return {
      drained: () => this.drain(subscription),
      queued: () => subscription.backlog.length,
      close: () => {
        this.subscriptions.delete(subscription);
        subscription.backlog.length = 0;
      },
    };
  }

  publish(event: E): void {
    for (const subscription of this.subscriptions) {
      if (this.wanted(subscription, event)) this.push(subscription, event);
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

  private wanted(subscription: Subscription<E>, event: E): boolean {
    const { processId, wants } = subscription.watcher;
    if (processId !== undefined && processId !== this.processIdOf(event)) return false;
    return wants === undefined || wants.call(subscription.watcher, event);
  }

  private push(subscription: Subscription<E>, event: E): void {
    if (subscription.blocked) {
      if (subscription.missed > 0) {
        subscription.missed += 1;
        return;
      }
      if (subscription.backlog.length >= this.backlogLimit && this.catchUp !== undefined) {
        subscription.missed = subscription.backlog.length + 1;
        subscription.backlog.length = 0;
        return;
      }
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
    if (subscription.missed > 0 && this.catchUp !== undefined) {
      const missed = subscription.missed;
      subscription.missed = 0;
      const { notice, current } = this.catchUp(missed);
      subscription.backlog.push(notice, ...current.filter((event) => this.wanted(subscription, event)));
    }
    while (subscription.backlog.length > 0 && !subscription.blocked) {
      subscription.blocked = !subscription.watcher.deliver(subscription.backlog.shift()!);
    }
  }
}
