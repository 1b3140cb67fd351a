import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** Everything `/metrics` exposes, in one registry per app so tests can read their own. */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'funnelhouse_' });
  return {
    registry,
    accepted: new Counter({
      name: 'funnelhouse_events_accepted_total',
      help: 'Events accepted from /collect (durable in the spool when answered)',
      registers: [registry],
    }),
    rejected: new Counter({
      name: 'funnelhouse_requests_rejected_total',
      help: 'Rejected /collect requests by error code',
      labelNames: ['code'] as const,
      registers: [registry],
    }),
    eventsRejected: new Counter({
      name: 'funnelhouse_events_rejected_total',
      help: 'Invalid events refused one by one in accepted /collect and server events batches, by code',
      labelNames: ['code'] as const,
      registers: [registry],
    }),
    aborted: new Counter({
      name: 'funnelhouse_requests_aborted_total',
      help: 'Requests whose client closed the connection before the body was read or answered',
      labelNames: ['route'] as const,
      registers: [registry],
    }),
    connectionsRefused: new Counter({
      name: 'funnelhouse_connections_refused_total',
      help: 'Connections closed on arrival: over the per-address or the total connection cap',
      labelNames: ['reason'] as const,
      registers: [registry],
    }),
    dropped: new Counter({
      name: 'funnelhouse_events_dropped_total',
      help: 'Events dropped by an enrichment step, by reason',
      labelNames: ['reason'] as const,
      registers: [registry],
    }),
    spoolPendingBytes: new Gauge({
      name: 'funnelhouse_spool_pending_bytes',
      help: 'Spooled bytes not yet inserted into ClickHouse',
      registers: [registry],
    }),
    spoolPendingRecords: new Gauge({
      name: 'funnelhouse_spool_pending_records',
      help: 'Spooled records (one per accepted request) not yet inserted into ClickHouse',
      registers: [registry],
    }),
    spoolLagSeconds: new Gauge({
      name: 'funnelhouse_spool_lag_seconds',
      help: 'Age of the oldest acknowledged record not yet inserted into ClickHouse (0 when none)',
      registers: [registry],
    }),
    spoolAppends: new Counter({
      name: 'funnelhouse_spool_appends_total',
      help: 'Spool appends by result: ok, full (byte cap), closed (shutting down), error (disk)',
      labelNames: ['result'] as const,
      registers: [registry],
    }),
    spoolSyncs: new Counter({
      name: 'funnelhouse_spool_fsyncs_total',
      help: 'Spool group commits (one write + fdatasync each, shared by many appends)',
      registers: [registry],
    }),
    spoolTornBytes: new Counter({
      name: 'funnelhouse_spool_torn_bytes_total',
      help: 'Bytes of torn (never acknowledged) records discarded when the spool was opened',
      registers: [registry],
    }),
    flushes: new Counter({
      name: 'funnelhouse_flushes_total',
      help: 'Spool flushes (inserts into ClickHouse) by result',
      labelNames: ['result'] as const,
      registers: [registry],
    }),
    flushRows: new Counter({
      name: 'funnelhouse_flushed_rows_total',
      help: 'Rows inserted by spool flushes',
      registers: [registry],
    }),
    flushSeconds: new Histogram({
      name: 'funnelhouse_flush_duration_seconds',
      help: 'Duration of one successful flush (id check and insert into ClickHouse)',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    regexCompiles: new Counter({
      name: 'funnelhouse_regex_compiles_total',
      help: 'Queries sent to the engine (report connections) to compile regular expressions not yet judged',
      registers: [registry],
    }),
    duplicates: new Counter({
      name: 'funnelhouse_events_duplicate_total',
      help: 'Rows not inserted because their event id was already stored or came earlier in the batch',
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
