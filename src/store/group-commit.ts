/**
 * Group commit: many writers, few syncs. Items submitted while a flush is in flight wait and go
 * out together in the next one, so 1,000 concurrent writes cost a handful of fdatasyncs, not
 * 1,000. Each submitter's promise settles after the flush that contains its item, and flushes
 * run one at a time in submission order, so an item is never durable before an earlier one.
 *
 * A failed flush fails the committer for good: after a failed fsync the kernel may already have
 * dropped the dirty pages and cleared the error, so retrying could report success for data that
 * is gone (the PostgreSQL "fsyncgate" lesson). The owner must reopen from disk.
 */

interface Waiter<T> {
  item: T;
  resolve: () => void;
  reject: (error: unknown) => void;
}

export class GroupCommit<T> {
  private queue: Waiter<T>[] = [];
  private draining = false;
  private inFlight: Promise<void> | undefined;
  private gate: Promise<void> | undefined;
  private last: Promise<void> = Promise.resolve();
  private failure: Error | undefined;

  constructor(private readonly flushBatch: (items: T[]) => Promise<void>) {}

  /** The error that stopped this committer, if one did. */
  get failed(): Error | undefined {
    return this.failure;
  }

  submit(item: T): Promise<void> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    const done = new Promise<void>((resolve, reject) => this.queue.push({ item, resolve, reject }));
    this.last = done;
    if (!this.draining) {
      this.draining = true;
      void this.drain();
    }
    return done;
  }

  /** Settles once every item submitted so far is flushed (rejects if any flush failed). */
  settled(): Promise<void> {
    return this.failure !== undefined ? Promise.reject(this.failure) : this.last;
  }

  /**
   * Runs `section` with no flush in flight and none starting until it settles; submissions
   * meanwhile queue up. For swapping the file under the flushes (compaction).
   */
  async exclusive<R>(section: () => Promise<R>): Promise<R> {
    while (this.gate !== undefined) await this.gate;
    let open!: () => void;
    this.gate = new Promise<void>((resolve) => (open = resolve));
    try {
      await this.inFlight?.catch(() => undefined);
      return await section();
    } finally {
      this.gate = undefined;
      open();
    }
  }

  /** Stops the committer: queued and future submissions reject with `error`. */
  fail(error: Error): void {
    this.failure ??= error;
    const queued = this.queue;
    this.queue = [];
    for (const waiter of queued) waiter.reject(this.failure);
  }

  private async drain(): Promise<void> {
    // Yield once, so that every write issued in the current turn joins the first batch.
    await Promise.resolve();
    while (this.queue.length > 0 && this.failure === undefined) {
      while (this.gate !== undefined) await this.gate;
      if (this.queue.length === 0) break;
      const batch = this.queue;
      this.queue = [];
      this.inFlight = this.flushBatch(batch.map((waiter) => waiter.item));
      try {
        await this.inFlight;
      } catch (error) {
        this.fail(error instanceof Error ? error : new Error(String(error)));
        for (const waiter of batch) waiter.reject(this.failure);
        break;
      } finally {
        this.inFlight = undefined;
      }
      for (const waiter of batch) waiter.resolve();
    }
    // Synchronous with the last look at the queue, so no submission can slip in between.
    this.draining = false;
  }
}
