/**
 * A process manager on a SimulatedClock with a scripted syncer: every hook call is recorded and
 * its behaviour can be replaced per test. Time moves only when a test calls `advance`.
 */
import { SimulatedClock } from 'xstate';
import {
  createProcessManager,
  type ProcessManager,
  type ProcessManagerOptions,
  type ProcessSyncer,
  type SyncResult,
  type HealthCheckResult,
} from '../../src/index.js';
import type { StatusReporter, UpdateType } from '../../src/index.js';

export interface HookCall {
  readonly hook: 'sync' | 'terminating' | 'terminated' | 'probe';
  readonly id: string;
  readonly updateType?: UpdateType;
  readonly gracePeriodSecs?: number;
  readonly config: unknown;
  readonly signal: AbortSignal;
  readonly at: number;
  readonly reporter?: StatusReporter;
}

type SyncBehaviour = (call: HookCall) => Promise<SyncResult | void> | SyncResult | void;
type HookBehaviour = (call: HookCall) => Promise<void> | void;
type ProbeBehaviour = (call: HookCall) => Promise<HealthCheckResult> | HealthCheckResult;

export class ScriptedSyncer implements ProcessSyncer {
  readonly calls: HookCall[] = [];
  onSync: SyncBehaviour = () => ({ terminal: false });
  onTerminating: HookBehaviour = () => {};
  onTerminated: HookBehaviour = () => {};
  onProbe: ProbeBehaviour = () => ({ healthy: true, message: 'ok' });

  constructor(private readonly clock: SimulatedClock) {}

  async syncProcess(context: { signal: AbortSignal; updateType: UpdateType; id: string }, config: unknown) {
    const call: HookCall = { hook: 'sync', ...context, config, at: this.clock.now() };
    this.calls.push(call);
    return this.onSync(call);
  }

  async syncTerminatingProcess(
    context: { signal: AbortSignal; id: string },
    config: unknown,
    gracePeriodSecs: number,
    reporter: StatusReporter,
  ) {
    const call: HookCall = {
      hook: 'terminating',
      id: context.id,
      signal: context.signal,
      config,
      gracePeriodSecs,
      reporter,
      at: this.clock.now(),
    };
    this.calls.push(call);
    return this.onTerminating(call);
  }

  async syncTerminatedProcess(context: { signal: AbortSignal; id: string }, config: unknown) {
    const call: HookCall = { hook: 'terminated', id: context.id, signal: context.signal, config, at: this.clock.now() };
    this.calls.push(call);
    return this.onTerminated(call);
  }

  async checkHealth(context: { signal: AbortSignal; id: string }, config: unknown) {
    const call: HookCall = { hook: 'probe', id: context.id, signal: context.signal, config, at: this.clock.now() };
    this.calls.push(call);
    return this.onProbe(call);
  }

  /** The calls made for one process, optionally of one hook. */
  of(id: string, hook?: HookCall['hook']): HookCall[] {
    return this.calls.filter((c) => c.id === id && (hook === undefined || c.hook === hook));
  }
}

/** Let every promise chain that is ready run (hooks resolve through several microtask hops). */
export async function flush(): Promise<void> {
  for (let i = 0; i < 5; i += 1) await new Promise<void>((resolve) => setImmediate(resolve));
}

export function deferred<T = void>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** A promise that never settles until its signal aborts, then rejects like a cancelled call. */
export function untilAborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) reject(signal.reason);
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}

export interface Harness {
  readonly clock: SimulatedClock;
  readonly syncer: ScriptedSyncer;
  readonly manager: ProcessManager;
  /** Move simulated time forward in steps, letting hooks settle between steps. */
  advance(ms: number, stepMs?: number): Promise<void>;
  /** Stop the actor system without waiting for any hook. */
  dispose(): void;
}

export function simulatedManager(options: Partial<ProcessManagerOptions> = {}): Harness {
  const clock = new SimulatedClock();
  const syncer = new ScriptedSyncer(clock);
  const manager = createProcessManager({ syncer, clock, seed: 42, ...options });
  return {
    clock,
    syncer,
    manager,
    async advance(ms, stepMs = 50) {
      await flush();
      // Zero-delay timers (the start queue) are due now; fire them before moving on.
      clock.increment(0);
      await flush();
      let left = ms;
      while (left > 0) {
        const step = Math.min(stepMs, left);
        clock.increment(step);
        left -= step;
        await flush();
      }
    },
    dispose() {
      manager.actor.stop();
    },
  };
}
