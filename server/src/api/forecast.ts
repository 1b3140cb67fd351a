import { forecastQuerySchema } from '@funnelhouse/schemas';
import { Hono } from 'hono';
import { explained, traceIf } from '../clickhouse/query.ts';
import type { Deps } from '../deps.ts';
import { runForecast } from '../forecast/run.ts';
import { requireSiteKey } from '../sites/auth.ts';
import { readCurrencyRates } from '../sites/currency-rates.ts';
import { addDays, dayInZone } from '../sql/days.ts';
import { readQuery } from './body.ts';
import { readRange } from './range.ts';
import { reportStore, shareReports } from './report-shares.ts';
import { engineTimeZone } from './time-zone.ts';

/** `GET …/forecast` (secret API key): orders and revenue over the next days, visitors for a target. */
export function forecastRoutes({ registry, store, shares }: Deps): Hono {
  const app = new Hono();
  // Reports run within their site's and key's share (`report-shares.ts`).
  const share = shareReports(shares);
  app.get('/api/v1/sites/:siteId/forecast', requireSiteKey(registry), share, async (c) => {
    const site = c.req.param('siteId');
    const q = readQuery(c, forecastQuerySchema);
    const tz = await engineTimeZone(store, q.tz ?? registry.timeZoneOf(site), 'invalid_query');
    const first = q.as_of ?? dayInZone(Date.now(), tz);
    // The history: the `history_days` days before the horizon's first.
    const range = await readRange(
      store,
      site,
      { from: addDays(first, -q.history_days), to: addDays(first, -1), tz },
      { siteTz: tz },
    );
    const trace = traceIf(q.explain);
    const rates = await readCurrencyRates(store, site);
    const body = await runForecast(reportStore(c, store), range, { ...q, first, rates }, trace);
    return c.json({ ...body, ...explained(trace) });
  });
  return app;
}
