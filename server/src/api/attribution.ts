import { attributionQuerySchema } from '@funnelhouse/schemas';
import { Hono } from 'hono';
import { runAttribution } from '../attribution/run.ts';
import { explained, traceIf } from '../clickhouse/query.ts';
import type { Deps } from '../deps.ts';
import { ApiError } from '../errors.ts';
import { requireSiteKey } from '../sites/auth.ts';
import { readCurrencyRates } from '../sites/currency-rates.ts';
import { readQuery } from './body.ts';
import { readRange } from './range.ts';
import { reportStore, shareReports } from './report-shares.ts';

const ATTRIBUTION_RANGE_DAYS = 366;

/** `GET …/attribution` (secret API key): orders and revenue credited to sources under six models. */
export function attributionRoutes({ registry, store, shares }: Deps): Hono {
  const app = new Hono();
  app.get('/api/v1/sites/:siteId/attribution', requireSiteKey(registry), shareReports(shares), async (c) => {
    const site = c.req.param('siteId');
    const q = readQuery(c, attributionQuerySchema);
    if (q.position_first + q.position_last > 1) {
      const message = 'position_first + position_last must be at most 1 (the middle touches share the rest)';
      throw new ApiError('invalid_query', message, [{ path: 'position_last', code: 'too_big', message }]);
    }
    const range = await readRange(store, site, q, {
      maxDays: ATTRIBUTION_RANGE_DAYS,
      siteTz: registry.timeZoneOf(site),
    });
    const trace = traceIf(q.explain);
    const rates = await readCurrencyRates(store, site);
    const body = await runAttribution(reportStore(c, store), range, { ...q, rates }, trace);
    return c.json({ ...body, ...explained(trace) });
  });
  return app;
}
