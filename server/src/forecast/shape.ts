/** Pure shaping of the forecast: the history's rows per day and per currency, the converted revenue. */
import type { CurrencyRates, ForecastResponse } from '@funnelhouse/schemas';
import type { RevenueOrderSumsRow } from '../revenue/queries/getRevenueOrderSums.ts';
import type { RevenueVisitorSumsRow } from '../revenue/queries/getRevenueVisitorSums.ts';
import { convertAmounts, round4 } from '../stats/currency.ts';
import type { CurrencyHistory, HistoryDay } from '../stats/forecast.ts';

export const weekday = (day: string) => new Date(`${day}T00:00:00Z`).getUTCDay();

/** Each day of the history with its visitors and its orders (all currencies). */
export function historyDays(
  days: readonly string[],
  visitorRows: readonly RevenueVisitorSumsRow[],
  orderRows: readonly RevenueOrderSumsRow[],
): (HistoryDay & { day: string })[] {
  return days.map((day) => ({
    day,
    weekday: weekday(day),
    visitors: visitorRows.find((r) => r.day === day)?.visitors ?? 0,
    orders: orderRows.filter((r) => r.day === day).reduce((s, r) => s + r.orders, 0),
  }));
}

/** Orders and Σ revenue, Σ revenue² per currency, over the days from `since` on. */
export function currencyHistory(orderRows: readonly RevenueOrderSumsRow[], since: string): CurrencyHistory[] {
  const byCur = new Map<string, CurrencyHistory>();
  for (const r of orderRows) {
    if (r.day < since) continue;
    const h = byCur.get(r.currency) ?? { currency: r.currency, orders: 0, revenue: 0, revenue_sq: 0 };
    h.orders += r.orders;
    h.revenue += r.revenue;
    h.revenue_sq += r.revenue_sq;
    byCur.set(r.currency, h);
  }
  return [...byCur.values()];
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
