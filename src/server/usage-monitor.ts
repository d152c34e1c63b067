/**
 * What every running process uses, sampled for the whole fleet on one timer (one /proc pass per
 * cycle, not one per process), so that `ls` can show cpu and memory without a read per row, and
 * GetResourceUsage answers fresh figures with a CPU % measured since the last cycle.
 *
 * The pass runs on a thread of its own (usage-thread.ts): at 1,000 processes it took 250–320 ms of
 * the event loop's CPU per cycle. GetResourceUsage's one-process sample stays on this thread.
 */
import { performance } from 'node:perf_hooks';
import {
  UsageSampler,
  UsageThread,
  cpuPercent,
  sampleUsage,
  type UsageSample,
  type UsageTarget,
} from '../runtime/resources/index.js';

export interface UsageSource {
  /** The running workloads: process id → its main pid and cgroup. */
  targets(): Map<string, UsageTarget>;
}

export interface UsageMonitorStats {
  readonly cycles: number;
  /** Wall time of the last cycle and its process count: what sampling costs. */
  readonly lastCycleMs: number;
  readonly lastCycleProcesses: number;
  /** Cycles that failed (out of descriptors, say): counted and logged, never fatal. */
  readonly failures: number;
  /** Times the sampling thread died; the next cycle starts another. */
  readonly threadRestarts: number;
}

export class UsageMonitor {
  readonly #thread: UsageThread;
  readonly #sampler: UsageSampler<string>;
  #latest = new Map<string, UsageSample>();
  #timer: NodeJS.Timeout | undefined;
  #soon: NodeJS.Timeout | undefined;
  #running = false;
  #stats = { cycles: 0, lastCycleMs: 0, lastCycleProcesses: 0, failures: 0 };

  constructor(
    private readonly source: UsageSource,
    /** Time between cycles. */
    readonly intervalMs = 5_000,
    private readonly onError: (error: unknown) => void = () => {},
    thread: UsageThread = new UsageThread(),
  ) {
    this.#thread = thread;
    this.#sampler = new UsageSampler<string>({}, (targets) => thread.sampleAll(targets));
  }

  start(): void {
    if (this.#timer !== undefined) return;
    this.#timer = setInterval(() => this.#tick(), this.intervalMs);
    this.#timer.unref();
  }

  /**
   * A process just started: sample about a second from now rather than up to a whole interval
   * later, so that `ls` shows its figures at once. Starts that come together share one cycle.
   */
  soon(delayMs = 1_000): void {
    if (this.#timer === undefined || this.#soon !== undefined || delayMs >= this.intervalMs) return;
    this.#soon = setTimeout(() => {
      this.#soon = undefined;
      this.#tick();
    }, delayMs);
    this.#soon.unref();
  }

  /** Stops the timer and ends the sampling thread (start() samples again, on a new one). */
  stop(): void {
    clearInterval(this.#timer);
    clearTimeout(this.#soon);
    this.#timer = undefined;
    this.#soon = undefined;
    void this.#thread.stop();
  }

  #tick(): void {
    // A failed cycle (EMFILE while reading /proc) must not become an unhandled rejection: that
    // would end the daemon and orphan every process it supervises.
    this.cycle().catch((error: unknown) => {
      // stop() ends the thread under a cycle in flight: that is no failure.
      if (this.#timer === undefined) return;
      this.#stats.failures += 1;
      this.onError(error);
    });
  }

  /** The last cycle's sample of a process (undefined if it was not running then). */
  latest(id: string): UsageSample | undefined {
    return this.#latest.get(id);
  }

  get stats(): UsageMonitorStats {
    return { ...this.#stats, threadRestarts: this.#thread.restarts };
  }

  /** One pass over every running process; a pass still running makes the next tick skip. */
  async cycle(): Promise<void> {
    if (this.#running) return;
    this.#running = true;
    const started = performance.now();
    try {
      const targets = this.source.targets();
      this.#latest = await this.#sampler.sample(targets);
      this.#stats = {
        ...this.#stats,
        cycles: this.#stats.cycles + 1,
        lastCycleMs: performance.now() - started,
        lastCycleProcesses: targets.size,
      };
    } finally {
      this.#running = false;
    }
  }

  /** A fresh sample of one process, with its CPU % since the last cycle (or since `baseline`). */
  async now(id: string, target: UsageTarget): Promise<UsageSample> {
    const usage = await sampleUsage(target);
    const previous = this.#latest.get(id);
    let percent = previous !== undefined ? cpuPercent(previous, usage) : undefined;
    if (percent === undefined) {
      // Nothing to compare with yet: measure over a short window instead of answering 0.
      await new Promise((resolve) => setTimeout(resolve, 200));
      const later = await sampleUsage(target);
      percent = cpuPercent(usage, later) ?? 0;
      return { ...later, cpuPercent: percent };
    }
    return { ...usage, cpuPercent: percent };
  }
}
