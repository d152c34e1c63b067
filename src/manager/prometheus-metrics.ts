/**
 * A MetricsCollector backed by prom-client, with procmgr's metric names under a namespace
 * (`statevisor` by default; `procmgr` gives procmgr's exact names for existing dashboards).
 *
 * Series are labelled by `process_id`, and by `process` (the name) when `processName` is given:
 * ids change when a process is deleted and created again, names are what dashboards group by.
 * A forgotten process's series are removed, so churn does not grow the label set without bound.
 */
import { Counter, Gauge, Histogram, Registry, type LabelValues } from 'prom-client';
import type { MetricsCollector } from './metrics.js';
import { phaseLabel } from './metrics.js';

export interface PrometheusMetricsOptions {
  readonly namespace?: string;
  /** Register into this registry instead of a new one. */
  readonly registry?: Registry;
  /** The name to put in a `process` label beside `process_id`; without it, no such label. */
  readonly processName?: (id: string) => string;
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
  const { processName } = options;
  const named = processName === undefined ? [] : (['process'] as const);
  /** The label sets each process has written, per metric: what forgetting it removes. */
  type Removable = { remove(labels: LabelValues<string>): void };
  const series = new Map<string, Map<Removable, Map<string, LabelValues<string>>>>();
  function labelled<T extends Record<string, string>>(metric: Removable, id: string, rest: T): T & { process_id: string } {
    const labels = { process_id: id, ...(processName !== undefined && { process: processName(id) }), ...rest };
    let mine = series.get(id);
    if (mine === undefined) series.set(id, (mine = new Map()));
    let sets = mine.get(metric);
    if (sets === undefined) mine.set(metric, (sets = new Map()));
    sets.set(JSON.stringify(labels), labels);
    return labels;
  }

  const transitions = new Counter({
    name: `${ns}_process_state_transitions_total`,
    help: 'Total number of process state transitions',
    labelNames: ['process_id', 'from_state', 'to_state', ...named],
    registers,
  });
  const syncDuration = new Histogram({
    name: `${ns}_process_sync_duration_seconds`,
    help: 'Duration of process sync operations',
    labelNames: ['process_id', 'update_type', 'status', ...named],
    buckets: defaultBuckets,
    registers,
  });
  const terminationDuration = new Histogram({
    name: `${ns}_process_termination_duration_seconds`,
    help: 'Duration of process termination operations',
    labelNames: ['process_id', ...named],
    buckets: defaultBuckets,
    registers,
  });
  const errors = new Counter({
    name: `${ns}_process_errors_total`,
    help: 'Total number of process errors',
    labelNames: ['process_id', 'error_type', ...named],
    registers,
  });
  const restarts = new Counter({
    name: `${ns}_process_restarts_total`,
    help: 'Total number of process restarts',
    labelNames: ['process_id', ...named],
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
    labelNames: ['process_id', ...named],
    registers,
  });
  const queueRetries = new Counter({
    name: `${ns}_work_queue_retries_total`,
    help: 'Total number of work queue retry operations',
    labelNames: ['process_id', ...named],
    registers,
  });
  const backoffDuration = new Histogram({
    name: `${ns}_work_queue_backoff_duration_seconds`,
    help: 'Duration of backoff delays for failed processes',
    labelNames: ['process_id', ...named],
    buckets: backoffBuckets,
    registers,
  });

  return {
    registry,
    processStateTransition: (id, from, to) =>
      transitions.inc(labelled(transitions, id, { from_state: phaseLabel(from), to_state: phaseLabel(to) })),
    processSyncDuration: (id, updateType, seconds, error) =>
      syncDuration.observe(
        labelled(syncDuration, id, { update_type: updateType, status: error === undefined ? 'success' : 'error' }),
        seconds,
      ),
    processTerminationDuration: (id, seconds) => terminationDuration.observe(labelled(terminationDuration, id, {}), seconds),
    processError: (id, errorType) => errors.inc(labelled(errors, id, { error_type: errorType })),
    processRestart: (id) => restarts.inc(labelled(restarts, id, {})),
    workQueueDepth: (depth) => queueDepth.set(depth),
    workQueueAdd: (id) => queueAdds.inc(labelled(queueAdds, id, {})),
    workQueueRetry: (id) => queueRetries.inc(labelled(queueRetries, id, {})),
    workQueueBackoffDuration: (id, seconds) => backoffDuration.observe(labelled(backoffDuration, id, {}), seconds),
    processForgotten: (id) => {
      for (const [metric, sets] of series.get(id) ?? []) for (const labels of sets.values()) metric.remove(labels);
      series.delete(id);
    },
  };
}
