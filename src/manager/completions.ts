/**
 * Completion callbacks of terminate requests (rule 4: each fires exactly once). A callback is
 * taken out of the registry before it is called, so no path can call it twice, and shutdown
 * settles whatever is left.
 */
import type { TerminateOptions, TerminationResult } from './syncer.js';

type Waiter = NonNullable<TerminateOptions['onCompleted']>;

export class Completions {
  private readonly waiting = new Map<string, Waiter[]>();

  add(id: string, waiter: Waiter): void {
    const list = this.waiting.get(id);
    if (list) list.push(waiter);
    else this.waiting.set(id, [waiter]);
  }

  /** Call every waiter of `id` once, each isolated from the others' exceptions. */
  settle(id: string, completed: boolean): void {
    const list = this.waiting.get(id);
    if (!list) return;
    this.waiting.delete(id);
    const result: TerminationResult = { id, completed };
    for (const waiter of list) {
      try {
        waiter(result);
      } catch {
        // A caller's callback that throws must not keep the other callers waiting.
      }
    }
  }

  settleAll(completed: boolean): void {
    for (const id of [...this.waiting.keys()]) this.settle(id, completed);
  }

  pending(id: string): number {
    return this.waiting.get(id)?.length ?? 0;
  }
}
