import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

/** Everything `/metrics` exposes, in one registry per app so tests can read their own. */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'funnelhouse_' });
  return {
    registry,
    accepted: new Counter({
      name: 'funnelhouse_events_accepted_total',
      help: 'Events stored from /collect',
      registers: [registry],
    }),
    rejected: new Counter({
      name: 'funnelhouse_requests_rejected_total',
      help: 'Rejected /collect requests by error code',
      labelNames: ['code'] as const,
      registers: [registry],
    }),
    dropped: new Counter({
      name: 'funnelhouse_events_dropped_total',
      help: 'Events dropped by an enrichment step, by reason',
      labelNames: ['reason'] as const,
      registers: [registry],
    }),
    flushes: new Counter({
      name: 'funnelhouse_buffer_flushes_total',
      help: 'Write buffer flushes by result',
      labelNames: ['result'] as const,
      registers: [registry],
    }),
    flushRows: new Counter({
      name: 'funnelhouse_buffer_flushed_rows_total',
      help: 'Rows written by buffer flushes',
      registers: [registry],
    }),
    flushSeconds: new Histogram({
      name: 'funnelhouse_buffer_flush_duration_seconds',
      help: 'Duration of one buffer flush (insert into ClickHouse)',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
