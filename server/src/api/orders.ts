import { ordersSummaryQuerySchema } from '@funnelhouse/schemas';
import { Hono } from 'hono';
import { explained, traceIf } from '../clickhouse/query.ts';
import type { Deps } from '../deps.ts';
import { runOrdersSummary } from '../orders/run.ts';
import { requireSiteKey } from '../sites/auth.ts';
import { readCurrencyRates } from '../sites/currency-rates.ts';
import { segmentOf } from '../sql/segment.ts';
import { readQuery } from './body.ts';
import { readRange } from './range.ts';
import { reportStore, shareReports } from './report-shares.ts';

/** Verified orders: browser-only, server-confirmed and server-only orders and revenue (secret key). */
export function orderRoutes({ registry, store, shares }: Deps): Hono {
  const app = new Hono();
  // Reports run within their site's and key's share (`report-shares.ts`).
  const share = shareReports(shares);
  app.get('/api/v1/sites/:siteId/orders/summary', requireSiteKey(registry), share, async (c) => {
    const site = c.req.param('siteId');
    const q = readQuery(c, ordersSummaryQuerySchema);
    const range = await readRange(store, site, q, { siteTz: registry.timeZoneOf(site) });
    const trace = traceIf(q.explain);
    const rates = await readCurrencyRates(store, site);
    const body = await runOrdersSummary(
      reportStore(c, store),
      range,
      { segment: segmentOf(q), rates },
      trace,
    );
    return c.json({ ...body, ...explained(trace) });
  });
  return app;
}
