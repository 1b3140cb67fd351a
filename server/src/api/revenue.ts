import { type CurrencyRates, currencyRatesSchema, revenueQuerySchema } from '@funnelhouse/schemas';
import { Hono } from 'hono';
import { explained, traceIf } from '../clickhouse/query.ts';
import type { Deps } from '../deps.ts';
import { ApiError } from '../errors.ts';
import { runRevenue } from '../revenue/run.ts';
import { requireSiteKey } from '../sites/auth.ts';
import { readCurrencyRates, saveCurrencyRates } from '../sites/currency-rates.ts';
import { readJson, readQuery } from './body.ts';
import { readRange } from './range.ts';
import { reportStore, shareReports } from './report-shares.ts';

const REVENUE_RANGE_DAYS = 366;

/** `GET …/revenue` and the site's currency rates (secret API key). */
export function revenueRoutes({ registry, store, shares }: Deps): Hono {
  const app = new Hono();
  // Reports run within their site's and key's share (`report-shares.ts`).
  const share = shareReports(shares);
  const auth = requireSiteKey(registry);

  app.get('/api/v1/sites/:siteId/revenue', auth, share, async (c) => {
    const site = c.req.param('siteId');
    const q = readQuery(c, revenueQuerySchema);
    if (q.breakdown === 'variant' && q.breakdown_key === undefined) {
      const message = 'breakdown=variant needs breakdown_key (the experiment key)';
      throw new ApiError('invalid_query', message, [{ path: 'breakdown_key', code: 'required', message }]);
    }
    const range = await readRange(store, site, q, {
      maxDays: REVENUE_RANGE_DAYS,
      siteTz: registry.timeZoneOf(site),
    });
    const trace = traceIf(q.explain);
    const rates = await readCurrencyRates(store, site);
    const body = await runRevenue(reportStore(c, store), range, { ...q, rates }, trace);
    return c.json({ ...body, ...explained(trace) });
  });

  const ratesPath = '/api/v1/sites/:siteId/settings/currency-rates';
  const answer = (rates: CurrencyRates | undefined) => ({ currency_rates: rates ?? null });
  app.get(ratesPath, auth, async (c) =>
    c.json(answer(await readCurrencyRates(store, c.req.param('siteId')))),
  );
  app.put(ratesPath, auth, async (c) => {
    const rates = await readJson(c, currencyRatesSchema);
    await saveCurrencyRates(store, c.req.param('siteId'), rates);
    return c.json(answer(rates));
  });
  app.delete(ratesPath, auth, async (c) => {
    await saveCurrencyRates(store, c.req.param('siteId'), null);
    return c.body(null, 204);
  });
  return app;
}
