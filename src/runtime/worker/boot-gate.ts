/**
 * How many worker threads may be booting at once. A thread's boot (a Node environment, then the
 * module's import) is ~50 ms of CPU; 1,000 starting together are 1,000 runnable threads beside the
 * daemon's own, which the kernel then gives 1/1,000 of a core — the API stops answering. Through
 * this gate they boot a few at a time (one per core by default) and the daemon's loop keeps its share.
 */
import { availableParallelism } from 'node:os';

export class BootGate {
  #booting = 0;
  readonly #waiting: { resolve: () => void; reject: (reason: unknown) => void; signal: AbortSignal; onAbort: () => void }[] = [];

  constructor(readonly limit: number = availableParallelism()) {}

  /** Resolves with a release function once a boot may begin; rejects if `signal` fires first. */
  enter(signal: AbortSignal): Promise<() => void> {
    if (signal.aborted) return Promise.reject(signal.reason);
    const release = () => {
      this.#booting -= 1;
      this.#next();
    };
    if (this.#booting < this.limit) {
      this.#booting += 1;
      return Promise.resolve(once(release));
    }
    return new Promise((resolve, reject) => {
      const waiter = {
        resolve: () => resolve(once(release)),
        reject,
        signal,
        onAbort: () => {
          this.#waiting.splice(this.#waiting.indexOf(waiter), 1);
          reject(signal.reason);
        },
      };
      signal.addEventListener('abort', waiter.onAbort, { once: true });
      this.#waiting.push(waiter);
    });
  }

  get booting(): number {
    return this.#booting;
  }

  #next(): void {
    const waiter = this.#waiting.shift();
    if (waiter === undefined) return;
    waiter.signal.removeEventListener('abort', waiter.onAbort);
    this.#booting += 1;
    waiter.resolve();
  }
}

function once(fn: () => void): () => void {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    fn();
  };
}
