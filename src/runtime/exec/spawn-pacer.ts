/**
 * Paces spawns so that restart work can never starve the daemon's API.
 *
 * A spawn blocks the event loop until the child has exec'd (libuv waits for it), and each run of
 * a crash loop costs chart transitions and an exit on top. 200 zero-delay crash loops made 500
 * spawns a second and left RPCs waiting seconds (measured: p99 7.4 s). Two bounds hold that off:
 *
 * - per loop turn: at most `perTurn` spawns are let through, then the loop goes back to its I/O
 *   (where RPCs arrive) before the next ones — so one turn's spawn work stays a few ms;
 * - daemon-wide restarts: a token bucket of `restartsPerSecond` (burst: one second's worth). A
 *   restart beyond it waits for a token, in order; a create or a user's start never waits for
 *   one and goes first, so pacing crash loops never slows a `start` of 1,000 processes.
 *
 * Waiting is visible: GetStatus reports the limit, how many restarts had to wait, and how many
 * wait now.
 */
import { StatevisorError } from '../../errors.js';

export interface SpawnPacerOptions {
  /** Restarts let through per second across the daemon; 0: no limit. */
  readonly restartsPerSecond: number;
  /** Spawns let through per event-loop turn. */
  readonly perTurn?: number;
  readonly now?: () => number;
}

export interface SpawnPacerStats {
  readonly restartRateLimit: number;
  /** Restarts that had to wait for the rate, since the daemon started. */
  readonly restartsDelayed: number;
  /** Spawns waiting now (restarts for the rate, any for their turn). */
  readonly waiting: number;
}

interface Waiter {
  readonly resolve: () => void;
  readonly reject: (reason: unknown) => void;
  readonly signal: AbortSignal;
  readonly onAbort: () => void;
  delayed: boolean;
}

export class SpawnPacer {
  readonly #rate: number;
  readonly #perTurn: number;
  readonly #now: () => number;
  readonly #starts: Waiter[] = [];
  readonly #restarts: Waiter[] = [];
  #tokens: number;
  #refilledAt: number;
  #turn: NodeJS.Immediate | undefined;
  #timer: NodeJS.Timeout | undefined;
  #delayed = 0;

  constructor(options: SpawnPacerOptions) {
    const { restartsPerSecond, perTurn = 4, now = () => performance.now() } = options;
    if (!(Number.isFinite(restartsPerSecond) && restartsPerSecond >= 0)) {
      throw new StatevisorError('E_INVALID_ARGUMENT', `restart rate: got ${restartsPerSecond}, expected restarts per second, 0 or more`);
    }
    if (!(Number.isSafeInteger(perTurn) && perTurn > 0)) {
      throw new StatevisorError('E_INVALID_ARGUMENT', `spawns per turn: got ${perTurn}, expected a positive whole number`);
    }
    this.#rate = restartsPerSecond;
    this.#perTurn = perTurn;
    this.#now = now;
    this.#tokens = Math.max(1, restartsPerSecond);
    this.#refilledAt = now();
  }

  /** Resolves when this spawn may go; rejects with the signal's reason if aborted first. */
  admit(kind: 'start' | 'restart', signal: AbortSignal): Promise<void> {
    if (signal.aborted) return Promise.reject(signal.reason);
    return new Promise<void>((resolve, reject) => {
      const queue = kind === 'restart' ? this.#restarts : this.#starts;
      const waiter: Waiter = {
        resolve,
        reject,
        signal,
        delayed: false,
        onAbort: () => {
          const at = queue.indexOf(waiter);
          if (at >= 0) queue.splice(at, 1);
          reject(signal.reason);
        },
      };
      signal.addEventListener('abort', waiter.onAbort, { once: true });
      queue.push(waiter);
      this.#schedule();
    });
  }

  get stats(): SpawnPacerStats {
    return { restartRateLimit: this.#rate, restartsDelayed: this.#delayed, waiting: this.#starts.length + this.#restarts.length };
  }

  #schedule(): void {
    // setImmediate runs after the loop's I/O phase: the RPCs that arrived meanwhile go first.
    this.#turn ??= setImmediate(() => {
      this.#turn = undefined;
      this.#drain();
    });
  }

  #refill(): void {
    if (this.#rate === 0) return;
    const now = this.#now();
    this.#tokens = Math.min(Math.max(1, this.#rate), this.#tokens + ((now - this.#refilledAt) * this.#rate) / 1000);
    this.#refilledAt = now;
  }

  #drain(): void {
    let admitted = 0;
    while (admitted < this.#perTurn && this.#starts.length > 0) {
      this.#let(this.#starts.shift()!);
      admitted += 1;
    }
    this.#refill();
    while (admitted < this.#perTurn && this.#restarts.length > 0 && (this.#rate === 0 || this.#tokens >= 1)) {
      if (this.#rate > 0) this.#tokens -= 1;
      this.#let(this.#restarts.shift()!);
      admitted += 1;
    }
    if (this.#starts.length > 0 || (this.#restarts.length > 0 && (this.#rate === 0 || this.#tokens >= 1))) {
      this.#schedule();
      return;
    }
    if (this.#restarts.length > 0) {
      for (const waiter of this.#restarts) {
        if (!waiter.delayed) {
          waiter.delayed = true;
          this.#delayed += 1;
        }
      }
      // Wait for the next token rather than spin.
      this.#timer ??= setTimeout(() => {
        this.#timer = undefined;
        this.#schedule();
      }, Math.max(1, Math.ceil(((1 - this.#tokens) * 1000) / this.#rate)));
    }
  }

  #let(waiter: Waiter): void {
    waiter.signal.removeEventListener('abort', waiter.onAbort);
    waiter.resolve();
  }
}
