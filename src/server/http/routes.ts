/**
 * What `--http` answers: /healthz (200 with counts by state, 503 while the daemon stops),
 * /metrics (the process manager's Prometheus metrics, the daemon's own process metrics and a
 * gauge of processes by state, read at scrape time), open to probes and scrapers as before; and
 * the web console (console.ts), under its own authority rules.
 */
import { Gauge, collectDefaultMetrics } from 'prom-client';
import type { PrometheusMetrics } from '../../manager/prometheus-metrics.js';
import { processStates } from '../../machines/process-state.js';
import type { ProcessReads } from '../process-reads.js';
import type { Console } from './console.js';
import type { HttpHandler } from './http-endpoint.js';
import { router, sendJson, type Route } from './router.js';

export function httpRoutes(
  reads: Pick<ProcessReads, 'countsByState' | 'size'>,
  metrics: PrometheusMetrics,
  shuttingDown: () => boolean,
  console: Console,
): (address: string) => HttpHandler {
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
  const open: Route[] = [
    {
      method: 'GET',
      path: '/healthz',
      handle: ({ response }) => {
        const stopping = shuttingDown();
        sendJson(response, stopping ? 503 : 200, { status: stopping ? 'stopping' : 'serving', processes: reads.size, states: reads.countsByState() });
      },
    },
    {
      method: 'GET',
      path: '/metrics',
      handle: async ({ response }) => {
        // Rendered before the head is written: metrics that fail to render are a 500, not a 200.
        const body = await registry.metrics();
        response.writeHead(200, { 'content-type': registry.contentType });
        response.end(body);
      },
    },
  ];
  return (address) => router([...open, ...console.routes(address)]);
}
