/**
 * What `--http` answers, from the read side: health, metrics (the process manager's
 * Prometheus metrics, the daemon's own process metrics and a gauge of processes by state, read
 * at scrape time) and the status page.
 */
import { Gauge, collectDefaultMetrics } from 'prom-client';
import type { PrometheusMetrics } from '../../manager/prometheus-metrics.js';
import { processStates } from '../../machines/process-state.js';
import type { ProcessReads } from '../process-reads.js';
import type { HttpRoutes } from './http-endpoint.js';
import { statusPage } from './status-page.js';

export function httpRoutes(reads: Pick<ProcessReads, 'countsByState' | 'size' | 'list'>, metrics: PrometheusMetrics, shuttingDown: () => boolean): HttpRoutes {
  const { registry } = metrics;
  collectDefaultMetrics({ register: registry, prefix: 'statevisor_daemon_' });
  new Gauge({
    name: 'statevisor_processes',
    help: 'Managed processes by state',
    labelNames: ['state'] as const,
    registers: [registry],
    collect() {
      const counts = reads.countsByState();
      for (const state of processStates) this.set({ state }, counts[state] ?? 0);
    },
  });
  return {
    healthz() {
      const stopping = shuttingDown();
      return {
        code: stopping ? 503 : 200,
        body: { status: stopping ? 'stopping' : 'serving', processes: reads.size, states: reads.countsByState() },
      };
    },
    async metrics() {
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
    page() {
      return statusPage(reads.list(), 'statevisor');
    },
  };
}
