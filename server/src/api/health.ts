import { Hono } from 'hono';
import { migrationsComplete } from '../clickhouse/migrate.ts';
import type { Deps } from '../deps.ts';

/** Liveness, readiness and Prometheus metrics. Public: they reveal no site data. */
export function healthRoutes({ store, metrics, state, log, ingest, config }: Deps): Hono {
  const app = new Hono();
  app.get('/healthz', (c) => c.json({ ok: true }));
  app.get('/readyz', async (c) => {
    if (!state.ready) return c.json({ ready: false, reason: 'starting or shutting down' }, 503);
    const lagMs = ingest.lagMs();
    if (config.readyMaxLagMs > 0 && lagMs > config.readyMaxLagMs) {
      const behind = `spool ${Math.round(lagMs / 1000)} s behind (limit ${config.readyMaxLagMs / 1000} s)`;
      return c.json({ ready: false, reason: behind, spool_lag_seconds: lagMs / 1000 }, 503);
    }
    try {
      if (!(await migrationsComplete(store))) {
        return c.json({ ready: false, reason: 'migrations pending' }, 503);
      }
      return c.json({ ready: true });
    } catch (err) {
      log.warn('readiness check failed', { error: String(err) });
      return c.json({ ready: false, reason: 'clickhouse not answering' }, 503);
    }
  });
  app.get('/metrics', async (c) => {
    metrics.spoolLagSeconds.set(ingest.lagMs() / 1000);
    c.header('Content-Type', metrics.registry.contentType);
    return c.body(await metrics.registry.metrics());
  });
  return app;
}
