/** Pure shaping of the orders summary: per-currency rows to the answer, revenue converted at the site's rates. */
import type { CurrencyRates, OrdersSummaryResponse } from '@funnelhouse/schemas';
import type { CurrencyOrdersRow } from '../queries/getOrdersSummary.ts';
import { convertAmounts, round4 } from '../stats/currency.ts';

/** The revenue figures converted at the site's rates (`stats/currency.ts`); null without rates. */
export function ordersReporting(
  rows: readonly CurrencyOrdersRow[],
  rates: CurrencyRates | undefined,
): OrdersSummaryResponse['reporting'] {
  if (!rates) return null;
  const conv = (k: keyof CurrencyOrdersRow & `${string}revenue`) =>
    round4(convertAmounts(rows, rates, (r) => r[k]).total);
  const { total, converted, missing } = convertAmounts(rows, rates, (r) => r.revenue);
  return {
    currency: rates.reporting_currency,
    orders: converted.reduce((n, r) => n + r.orders, 0),
    revenue: round4(total),
    browser_only: conv('browser_only_revenue'),
    server_confirmed: conv('server_confirmed_revenue'),
    server_only: conv('server_only_revenue'),
    missing_rates: missing,
  };
}

/** Per-currency rows as the response: nested slices, order counts summed over currencies, converted revenue. */
export function shapeOrdersSummary(
  site: string,
  q: { from: string; to: string; tz: string },
  rows: readonly CurrencyOrdersRow[],
  rates?: CurrencyRates,
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
    reporting: ordersReporting(rows, rates),
  };
}
