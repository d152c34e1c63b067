/**
 * A MetricsCollector backed by prom-client, with procmgr's metric names under a namespace
 * (`statevisor` by default; `procmgr` gives procmgr's exact names for existing dashboards).
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { MetricsCollector } from './metrics.js';
import { phaseLabel } from './metrics.js';

export interface PrometheusMetricsOptions {
  readonly namespace?: string;
  /** Register into this registry instead of a new one. */
  readonly registry?: Registry;
}

export interface PrometheusMetrics extends MetricsCollector {
  readonly registry: Registry;
}

const defaultBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const backoffBuckets = [0.1, 0.5, 1, 2, 5, 10, 30, 60];

export function createPrometheusMetrics(options: PrometheusMetricsOptions = {}): PrometheusMetrics {
  const ns = options.namespace ?? 'statevisor';
  const registry = options.registry ?? new Registry();
  const registers = [registry];

  const transitions = new Counter({
    name: `${ns}_process_state_transitions_total`,
    help: 'Total number of process state transitions',
    labelNames: ['process_id', 'from_state', 'to_state'] as const,
    registers,
  });
  const syncDuration = new Histogram({
    name: `${ns}_process_sync_duration_seconds`,
    help: 'Duration of process sync operations',
    labelNames: ['process_id', 'update_type', 'status'] as const,
    buckets: defaultBuckets,
    registers,
  });
  const terminationDuration = new Histogram({
    name: `${ns}_process_termination_duration_seconds`,
    help: 'Duration of process termination operations',
    labelNames: ['process_id'] as const,
    buckets: defaultBuckets,
    registers,
  });
  const errors = new Counter({
    name: `${ns}_process_errors_total`,
    help: 'Total number of process errors',
    labelNames: ['process_id', 'error_type'] as const,
    registers,
  });
  const restarts = new Counter({
    name: `${ns}_process_restarts_total`,
    help: 'Total number of process restarts',
    labelNames: ['process_id'] as const,
    registers,
  });
  const queueDepth = new Gauge({
    name: `${ns}_work_queue_depth`,
    help: 'Current depth of the work queue',
    registers,
  });
  const queueAdds = new Counter({
    name: `${ns}_work_queue_adds_total`,
    help: 'Total number of items added to work queue',
    labelNames: ['process_id'] as const,
    registers,
  });
  const queueRetries = new Counter({
    name: `${ns}_work_queue_retries_total`,
    help: 'Total number of work queue retry operations',
    labelNames: ['process_id'] as const,
    registers,
  });
  const backoffDuration = new Histogram({
    name: `${ns}_work_queue_backoff_duration_seconds`,
    help: 'Duration of backoff delays for failed processes',
    labelNames: ['process_id'] as const,
    buckets: backoffBuckets,
    registers,
  });

  return {
    registry,
    processStateTransition: (id, from, to) =>
      transitions.inc({ process_id: id, from_state: phaseLabel(from), to_state: phaseLabel(to) }),
    processSyncDuration: (id, updateType, seconds, error) =>
      syncDuration.observe(
        { process_id: id, update_type: updateType, status: error === undefined ? 'success' : 'error' },
        seconds,
      ),
    processTerminationDuration: (id, seconds) => terminationDuration.observe({ process_id: id }, seconds),
    processError: (id, errorType) => errors.inc({ process_id: id, error_type: errorType }),
    processRestart: (id) => restarts.inc({ process_id: id }),
    workQueueDepth: (depth) => queueDepth.set(depth),
    workQueueAdd: (id) => queueAdds.inc({ process_id: id }),
    workQueueRetry: (id) => queueRetries.inc({ process_id: id }),
    workQueueBackoffDuration: (id, seconds) => backoffDuration.observe({ process_id: id }, seconds),
  };
}
