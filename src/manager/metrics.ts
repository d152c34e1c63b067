/**
 * procmgr's nine metrics hooks, and one of ours (processForgotten). The manager calls them; a collector turns them into whatever it
 * likes. Durations are in seconds, as Prometheus wants them.
 */
import type { Phase, UpdateType } from '../machines/process-types.js';

export interface MetricsCollector {
  processStateTransition(id: string, from: Phase | null, to: Phase): void;
  processSyncDuration(id: string, updateType: UpdateType, seconds: number, error?: unknown): void;
  processTerminationDuration(id: string, seconds: number): void;
  processError(id: string, errorType: string): void;
  processRestart(id: string): void;
  workQueueDepth(depth: number): void;
  workQueueAdd(id: string, delayMs: number): void;
  workQueueRetry(id: string): void;
  workQueueBackoffDuration(id: string, seconds: number): void;
  /** The manager forgot the process (purged, or finished and no longer known): drop its series. */
  processForgotten?(id: string): void;
}

const ignore = (): void => {};

export const noopMetrics: MetricsCollector = {
  processStateTransition: ignore,
  processSyncDuration: ignore,
  processTerminationDuration: ignore,
  processError: ignore,
  processRestart: ignore,
  workQueueDepth: ignore,
  workQueueAdd: ignore,
  workQueueRetry: ignore,
  workQueueBackoffDuration: ignore,
};

/** procmgr's spelling of a phase: Starting, Syncing, Terminating, Terminated, Finished. */
export function phaseLabel(phase: Phase | null): string {
  if (phase === null) return 'None';
  return phase[0]!.toUpperCase() + phase.slice(1);
}
