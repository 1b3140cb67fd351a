import {
  type CurrencyRates,
  FORECAST_MODEL,
  type ForecastResponse,
  forecastQuerySchema,
} from '@funnelhouse/schemas';
import { Hono } from 'hono';
import type { Deps } from '../deps.ts';
import { getRevenueOrderSums } from '../revenue/queries/getRevenueOrderSums.ts';
import { getRevenueVisitorSums } from '../revenue/queries/getRevenueVisitorSums.ts';
import { requireSiteKey } from '../sites/auth.ts';
import { readCurrencyRates } from '../sites/currency-rates.ts';
import { convertAmounts, round4 } from '../stats/currency.ts';
import {
  type CurrencyHistory,
  forecastOrders,
  historyWithData,
  MIN_HISTORY_DAYS,
  visitorsNeeded,
} from '../stats/forecast.ts';
import { readQuery } from './body.ts';
import { explained, traceIf } from './explain.ts';
import { addDays, dayInZone, daysBetween, readRange } from './range.ts';
import { reportStore, shareReports } from './report-shares.ts';
import { engineTimeZone } from './time-zone.ts';

const weekday = (day: string) => new Date(`${day}T00:00:00Z`).getUTCDay();

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
    const range = await readRange(
      store,
      site,
      {
        from: addDays(first, -q.history_days),
        to: addDays(first, -1),
        tz,
      },
      { siteTz: tz },
    );
    const db = reportStore(c, store);
    const trace = traceIf(q.explain);
    const visitorRows = await getRevenueVisitorSums(db, range, 'none', '', trace);
    const orderRows = await getRevenueOrderSums(db, range, 'none', '', trace);
    const historyDays = historyWithData(
      daysBetween(range.firstDay, range.lastDay).map((day) => ({
        day,
        weekday: weekday(day),
        visitors: visitorRows.find((r) => r.day === day)?.visitors ?? 0,
        orders: orderRows.filter((r) => r.day === day).reduce((s, r) => s + r.orders, 0),
      })),
    );
    const byCur = new Map<string, CurrencyHistory>();
    const since = historyDays[0]?.day ?? '';
    for (const r of orderRows) {
      if (r.day < since) continue;
      const h = byCur.get(r.currency) ?? { currency: r.currency, orders: 0, revenue: 0, revenue_sq: 0 };
      h.orders += r.orders;
      h.revenue += r.revenue;
      h.revenue_sq += r.revenue_sq;
      byCur.set(r.currency, h);
    }
    const future = daysBetween(first, addDays(first, q.days - 1));
    const totals = {
      visitors: visitorRows.find((r) => r.day === '')?.visitors ?? 0,
      orders: historyDays.reduce((s, d) => s + d.orders, 0),
    };
    const common = {
      site_id: site,
      tz,
      model: FORECAST_MODEL,
      min_history_days: MIN_HISTORY_DAYS,
      history: {
        from: historyDays[0]?.day ?? range.firstDay,
        to: range.lastDay,
        days: historyDays.length,
        ...totals,
      },
      horizon: { from: first, to: future[future.length - 1] ?? first, days: future.length },
    };
    if (historyDays.length < MIN_HISTORY_DAYS) {
      const none: ForecastResponse = {
        ...common,
        status: 'not_enough_history',
        conversion_rate: null,
        visitors: null,
        orders: null,
        revenue: [],
        reporting: null,
        daily: [],
        target: null,
      };
      return c.json({ ...none, ...explained(trace) });
    }
    const f = forecastOrders(historyDays, future.map(weekday), [...byCur.values()]);
    const rates = await readCurrencyRates(store, site);
    // The rate is per visitor-day: the model's unit is a day's visitors, as the traffic forecast.
    const visitorDays = historyDays.reduce((s, d) => s + d.visitors, 0);
    let target: ForecastResponse['target'] = null;
    if (q.target_orders !== undefined) {
      const need = visitorsNeeded(q.target_orders, { visitors: visitorDays, orders: totals.orders });
      target = {
        orders: q.target_orders,
        visitors_needed: need.expected,
        visitors_needed_90: need.with_chance,
        expected_visitors: f.visitors.expected,
      };
    }
    const body: ForecastResponse = {
      ...common,
      status: 'ok',
      conversion_rate: f.conversion_rate,
      visitors: f.visitors,
      orders: f.orders,
      revenue: f.revenue,
      reporting: forecastReporting(f.revenue, rates),
      daily: future.map((day, i) => ({ day, ...(f.days[i] ?? { visitors: 0, orders: 0 }) })),
      target,
    };
    return c.json({ ...body, ...explained(trace) });
  });
  return app;
}

/** The expected revenue converted at the site's rates (`stats/currency.ts`); null without rates. */
export function forecastReporting(
  revenue: readonly { currency: string; expected: number }[],
  rates: CurrencyRates | undefined,
): ForecastResponse['reporting'] {
  if (!rates) return null;
  const { total, missing } = convertAmounts(revenue, rates, (r) => r.expected);
  return { currency: rates.reporting_currency, revenue: round4(total), missing_rates: missing };
}
