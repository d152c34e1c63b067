/**
 * The timer that rotates every watched process's log files (rotation.ts does one file).
 *
 * One timer rather than one per process keeps 1,000 processes at one wake-up per interval;
 * checks never overlap and at most `concurrency` files are examined at a time. A file that needed
 * rotating is checked again after `hotIntervalMs` rather than a whole interval later, and keeps
 * being checked at that pace while it keeps filling: a writer producing hundreds of MB a second
 * then grows its file by a few MB between checks, not by a whole second's output.
 */
import { StatevisorError } from '../../errors.js';
import { checkPolicy, rotateFile, type RotationPolicy, type RotationResult } from './rotation.js';

export interface LogRotatorOptions {
  /** Time between size checks of every file. A check still running when the next is due makes it skip. */
  readonly intervalMs?: number;
  /** Time between checks of a file that needed rotating at its last check. */
  readonly hotIntervalMs?: number;
  /** Files checked at once: 1,000 processes must not queue 2,000 stats on libuv's 4 threads. */
  readonly concurrency?: number;
  /** The per-file check; tests swap in one they control. */
  readonly rotate?: (file: string, policy: RotationPolicy) => Promise<RotationResult | undefined>;
}

export interface WatchedLogs extends RotationPolicy {
  readonly files: readonly string[];
}

export interface LogRotatorStats {
  /** Checks started by the timers or checkNow(). */
  readonly checks: number;
  /** Timer ticks dropped because the previous check was still running. */
  readonly skippedTicks: number;
  readonly rotations: number;
  /** Failed file checks (file gone mid-rotation, disk full); each is retried on the next tick. */
  readonly errors: number;
  /** Bytes written during a rotation after its catch-up ended, lost to the truncation. */
  readonly lostBytes: number;
  /** Bytes past the newest maxFiles pieces of an overfull file, dropped by the policy. */
  readonly droppedBytes: number;
}

interface Job {
  readonly key: string;
  readonly logs: WatchedLogs;
  readonly file: string;
}

export class LogRotator {
  readonly #intervalMs: number;
  readonly #hotIntervalMs: number;
  readonly #concurrency: number;
  readonly #rotate: (file: string, policy: RotationPolicy) => Promise<RotationResult | undefined>;
  readonly #watched = new Map<string, WatchedLogs>();
  /** The flat list of files, rebuilt only when the watched set changes, not on every tick. */
  #jobs: Job[] | undefined;
  /** Files that rotated at their last check, to be checked again soon. */
  #hot: Job[] = [];
  #timer: NodeJS.Timeout | undefined;
  #hotTimer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #closed = false;
  #stats = { checks: 0, skippedTicks: 0, rotations: 0, errors: 0, lostBytes: 0, droppedBytes: 0 };

  constructor(options: LogRotatorOptions = {}) {
    const { intervalMs = 1000, hotIntervalMs = 10, concurrency = 16, rotate = rotateFile } = options;
    for (const [field, value] of [['intervalMs', intervalMs], ['hotIntervalMs', hotIntervalMs]] as const) {
      if (!(Number.isFinite(value) && value > 0)) {
        throw new StatevisorError('E_INVALID_ARGUMENT', `${field} must be a positive number, not '${value}'`);
      }
    }
    if (!(Number.isSafeInteger(concurrency) && concurrency > 0)) {
      throw new StatevisorError('E_INVALID_ARGUMENT', `concurrency must be a positive integer, not '${concurrency}'`);
    }
    this.#intervalMs = intervalMs;
    this.#hotIntervalMs = hotIntervalMs;
    this.#concurrency = concurrency;
    this.#rotate = rotate;
  }

  /** Watches (or re-watches with a new policy) the files of `key`. maxBytes 0 unwatches. */
  watch(key: string, logs: WatchedLogs): void {
    if (this.#closed) throw new StatevisorError('E_INVALID_STATE', `cannot watch '${key}': the log rotator is closed`);
    checkPolicy(logs);
    if (logs.maxBytes === 0 || logs.files.length === 0) {
      this.unwatch(key);
      return;
    }
    // A copy, so that a caller mutating its array cannot change what a running check sees.
    this.#watched.set(key, { maxBytes: logs.maxBytes, maxFiles: logs.maxFiles, files: [...logs.files] });
    this.#jobs = undefined;
    if (this.#timer === undefined) {
      this.#timer = setInterval(() => this.#tick(), this.#intervalMs);
      this.#timer.unref();
    }
  }

  unwatch(key: string): void {
    if (!this.#watched.delete(key)) return;
    this.#jobs = undefined;
    if (this.#watched.size === 0) this.#stopTimers();
  }

  get watching(): number {
    return this.#watched.size;
  }

  get rotations(): number {
    return this.#stats.rotations;
  }

  get stats(): LogRotatorStats {
    return { ...this.#stats };
  }

  /** Checks every file now, or joins the check already running. */
  checkNow(): Promise<void> {
    return this.#start(() => this.#allJobs());
  }

  /** Stops the timers and forgets every file; resolves once a running check has finished. */
  close(): Promise<void> {
    this.#closed = true;
    this.#stopTimers();
    this.#watched.clear();
    this.#jobs = undefined;
    this.#hot = [];
    return this.#running ?? Promise.resolve();
  }

  #allJobs(): Job[] {
    return (this.#jobs ??= [...this.#watched].flatMap(([key, logs]) => logs.files.map((file) => ({ key, logs, file }))));
  }

  #start(jobs: () => Job[]): Promise<void> {
    this.#running ??= this.#check(jobs()).finally(() => {
      this.#running = undefined;
      this.#scheduleHot();
    });
    return this.#running;
  }

  #tick(): void {
    if (this.#running !== undefined) {
      this.#stats.skippedTicks += 1;
      return;
    }
    void this.#start(() => this.#allJobs());
  }

  #scheduleHot(): void {
    if (this.#closed || this.#hot.length === 0 || this.#hotTimer !== undefined) return;
    this.#hotTimer = setTimeout(() => {
      this.#hotTimer = undefined;
      // A full check that started meanwhile covers the hot files too, and reschedules after.
      if (this.#running !== undefined) return;
      const hot = this.#hot;
      this.#hot = [];
      void this.#start(() => hot);
    }, this.#hotIntervalMs);
    this.#hotTimer.unref();
  }

  #stopTimers(): void {
    clearInterval(this.#timer);
    clearTimeout(this.#hotTimer);
    this.#timer = undefined;
    this.#hotTimer = undefined;
  }

  async #check(jobs: readonly Job[]): Promise<void> {
    this.#stats.checks += 1;
    const hot: Job[] = [];
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < jobs.length) {
        const job = jobs[next++]!;
        // Unwatched or re-watched since this check began: its process may be gone.
        if (this.#watched.get(job.key) !== job.logs) continue;
        try {
          const result = await this.#rotate(job.file, job.logs);
          if (result === undefined) continue;
          this.#stats.rotations += 1;
          this.#stats.lostBytes += result.lostBytes;
          this.#stats.droppedBytes += result.droppedBytes;
          hot.push(job);
        } catch {
          this.#stats.errors += 1;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.#concurrency, jobs.length) }, worker));
    this.#hot = hot;
  }
}
