import { type OrdersSummaryResponse, ordersSummaryQuerySchema } from '@funnelhouse/schemas';
import { Hono } from 'hono';
import type { Deps } from '../deps.ts';
import { type CurrencyOrdersRow, getOrdersSummary } from '../queries/getOrdersSummary.ts';
import { requireSiteKey } from '../sites/auth.ts';
import { segmentOf } from '../sql/segment.ts';
import { readQuery } from './body.ts';
import { explained, traceIf } from './explain.ts';
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
    const db = reportStore(c, store);
    const trace = traceIf(q.explain);
    const rows = await getOrdersSummary(db, range, segmentOf(q), trace);
    return c.json({ ...shapeOrdersSummary(site, range, rows), ...explained(trace) });
  });
  return app;
}

/** Per-currency rows as the response: nested slices, and order counts summed over currencies. */
export function shapeOrdersSummary(
  site: string,
  q: { from: string; to: string; tz: string },
  rows: readonly CurrencyOrdersRow[],
): OrdersSummaryResponse {
  const sum = (k: Exclude<keyof CurrencyOrdersRow, 'currency'>) => rows.reduce((n, r) => n + r[k], 0);
  return {
    site_id: site,
    from: q.from,
    to: q.to,
    tz: q.tz,
    totals: {
      orders: sum('orders'),
      browser_only: sum('browser_only'),
      server_confirmed: sum('server_confirmed'),
      server_only: sum('server_only'),
    },
    by_currency: rows.map((r) => ({
      currency: r.currency,
      orders: r.orders,
      revenue: r.revenue,
      browser_only: { orders: r.browser_only, revenue: r.browser_only_revenue },
      server_confirmed: { orders: r.server_confirmed, revenue: r.server_confirmed_revenue },
      server_only: { orders: r.server_only, revenue: r.server_only_revenue },
    })),
  };
}
