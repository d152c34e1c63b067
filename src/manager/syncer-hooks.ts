/**
 * The process chart's hook actors, implemented by calling an embedding's ProcessSyncer.
 * Each is a promise actor: the chart's state owns its lifetime, and stopping it (a terminate, a
 * shorter grace period, shutdown) aborts the signal the syncer was given.
 */
import { performance } from 'node:perf_hooks';
import { fromCallback, fromPromise } from 'xstate';
import type {
  ConditionOutput,
  ConnectionInput,
  DependenciesInput,
  HookOutput,
  ProcessEvent,
  ProbeInput,
  ProbeOutput,
  StageInput,
  StopPostInput,
  SyncInput,
  SyncOutput,
  TerminatedInput,
  TerminatingInput,
} from '../machines/process-types.js';
import type { Clock } from './clock.js';
import type { MetricsCollector } from './metrics.js';
import type { ProcessSyncer, StatusReporter } from './syncer.js';

export interface SyncerHookOptions {
  readonly clock: Pick<Clock, 'now'>;
  readonly metrics: MetricsCollector;
  /** The reporter handed to the terminating hook of process `id`. */
  readonly statusReporter: (id: string) => StatusReporter;
}

function secondsSince(start: number): number {
  return (performance.now() - start) / 1000;
}

export function syncerHooks<Config>(syncer: ProcessSyncer<Config>, options: SyncerHookOptions) {
  const { clock, metrics } = options;
  return {
    syncProcess: fromPromise<SyncOutput, SyncInput>(async ({ input, signal }) => {
      const start = performance.now();
      try {
        const result = await syncer.syncProcess(
          { signal, updateType: input.updateType, id: input.id, restart: input.restart },
          input.config as Config,
        );
        metrics.processSyncDuration(input.id, input.updateType, secondsSince(start));
        const startedAt = result?.startedAt;
        return { terminal: result?.terminal === true, at: clock.now(), ...(startedAt !== undefined && { startedAt }) };
      } catch (error) {
        metrics.processSyncDuration(input.id, input.updateType, secondsSince(start), error);
        throw error;
      }
    }),
    syncTerminatingProcess: fromPromise<HookOutput, TerminatingInput>(async ({ input, signal }) => {
      await syncer.syncTerminatingProcess(
        { signal, id: input.id, reason: input.reason },
        input.config as Config,
        input.gracePeriodSecs,
        options.statusReporter(input.id),
      );
      return { at: clock.now() };
    }),
    syncTerminatedProcess: fromPromise<HookOutput, TerminatedInput>(async ({ input, signal }) => {
      await syncer.syncTerminatedProcess({ signal, id: input.id }, input.config as Config);
      return { at: clock.now() };
    }),
    waitForConnection: fromPromise<HookOutput, ConnectionInput>(async ({ input, signal }) => {
      await syncer.waitForConnection?.({ signal, id: input.id }, input.config as Config);
      return { at: clock.now() };
    }),
    probeHealth: fromPromise<ProbeOutput, ProbeInput>(async ({ input, signal }) => {
      if (syncer.checkHealth === undefined) throw new Error('the syncer has no checkHealth hook to run the health check');
      const result = await syncer.checkHealth({ signal, id: input.id, timeoutMs: input.timeoutMs }, input.config as Config);
      return { healthy: result.healthy, message: result.message ?? (result.healthy ? 'healthy' : 'unhealthy'), at: clock.now() };
    }),
    // A syncer without a stage's hook has nothing to do in it.
    checkConditions: fromPromise<ConditionOutput, StageInput>(async ({ input, signal }) => {
      const result = await syncer.checkStartConditions?.({ signal, id: input.id }, input.config as Config);
      return { met: result?.met ?? true, ...(result?.reason !== undefined && { reason: result.reason }), at: clock.now() };
    }),
    runStartPreHooks: fromPromise<HookOutput, StageInput>(async ({ input, signal }) => {
      await syncer.runStartPre?.({ signal, id: input.id }, input.config as Config);
      return { at: clock.now() };
    }),
    runStartPostHooks: fromPromise<HookOutput, StageInput>(async ({ input, signal }) => {
      await syncer.runStartPost?.({ signal, id: input.id }, input.config as Config);
      return { at: clock.now() };
    }),
    runStopPostHooks: fromPromise<HookOutput, StopPostInput>(async ({ input, signal }) => {
      await syncer.runStopPost?.({ signal, id: input.id, exit: input.exit }, input.config as Config);
      return { at: clock.now() };
    }),
    awaitDependencies: fromCallback<ProcessEvent, DependenciesInput>(({ input, sendBack }) => {
      if (syncer.awaitDependencies === undefined) {
        sendBack({ type: 'dependencies.ready' });
        return undefined;
      }
      let over = false;
      // Once over, late reports are dropped: the chart has moved on.
      const report = (event: ProcessEvent, ends: boolean) => {
        if (over) return;
        over = ends;
        sendBack(event);
      };
      const cleanup = syncer.awaitDependencies(
        {
          id: input.id,
          waiting: (on) => report({ type: 'dependency.waiting', on }, false),
          ready: () => report({ type: 'dependencies.ready' }, true),
          failed: (reason) => report({ type: 'dependency.failed', reason }, true),
        },
        input.config as Config,
      );
      return () => {
        over = true;
        cleanup?.();
      };
    }),
  };
}
