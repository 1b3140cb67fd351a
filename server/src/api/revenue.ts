import {
  type CurrencyRates,
  currencyRatesSchema,
  type RevenueResponse,
  revenueQuerySchema,
} from '@funnelhouse/schemas';
import { Hono } from 'hono';
import type { Deps } from '../deps.ts';
import { ApiError } from '../errors.ts';
import { getRevenueOrderSums } from '../revenue/queries/getRevenueOrderSums.ts';
import { getRevenueVisitorSums } from '../revenue/queries/getRevenueVisitorSums.ts';
import type { RevenueDimension } from '../revenue/revenue-sql.ts';
import { byDim, dailyRevenue, revenueTotals } from '../revenue/shape.ts';
import { requireSiteKey } from '../sites/auth.ts';
import { readCurrencyRates, saveCurrencyRates } from '../sites/currency-rates.ts';
import { readJson, readQuery } from './body.ts';
import { explained, traceIf } from './explain.ts';
import { daysBetween, readRange } from './range.ts';
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
    const db = reportStore(c, store);
    const trace = traceIf(q.explain);
    const rates = await readCurrencyRates(store, site);
    const key = q.breakdown_key ?? '';
    const visitors = await getRevenueVisitorSums(db, range, 'none', '', trace);
    const orders = await getRevenueOrderSums(db, range, 'none', '', trace);
    let breakdown: RevenueResponse['breakdown'] = null;
    if (q.breakdown) {
      const dim = q.breakdown as RevenueDimension;
      const gv = byDim((await getRevenueVisitorSums(db, range, dim, key, trace)).filter((r) => r.day === ''));
      const go = byDim(await getRevenueOrderSums(db, range, dim, key, trace));
      const values = [...new Set([...gv.keys(), ...go.keys()])];
      const groups = values
        .map((value) => ({ value, ...revenueTotals(gv.get(value)?.[0], go.get(value) ?? [], rates) }))
        .sort((a, b) => b.visitors - a.visitors || b.orders - a.orders || (a.value < b.value ? -1 : 1));
      breakdown = {
        by: q.breakdown,
        key: q.breakdown === 'variant' ? key : null,
        groups: groups.slice(0, q.limit),
        other_groups: Math.max(0, groups.length - q.limit),
      };
    }
    const body: RevenueResponse = {
      site_id: site,
      from: range.from,
      to: range.to,
      tz: range.tz,
      totals: revenueTotals(
        visitors.find((r) => r.day === ''),
        orders,
        rates,
      ),
      daily: dailyRevenue(visitors, orders, daysBetween(range.firstDay, range.lastDay), rates),
      breakdown,
    };
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
