/** Pure shaping of revenue rows: per-currency amounts, conversion with its interval, conversion to the reporting currency. */
import type { CurrencyRates, RevenueTotals } from '@funnelhouse/schemas';
import { convertAmounts, round4 } from '../stats/currency.ts';
import { wilsonInterval } from '../stats/wilson.ts';
import type { RevenueOrderSumsRow } from './queries/getRevenueOrderSums.ts';
import type { RevenueVisitorSumsRow } from './queries/getRevenueVisitorSums.ts';

const per = (a: number, n: number) => (n > 0 ? round4(a / n) : null);

/** Totals of one slice: its visitors row and its order rows (any days, any currencies). */
export function revenueTotals(
  visitors: { visitors: number; buyers: number } | undefined,
  orders: readonly RevenueOrderSumsRow[],
  rates: CurrencyRates | undefined,
): RevenueTotals {
  const v = visitors?.visitors ?? 0;
  const b = visitors?.buyers ?? 0;
  const byCur = new Map<string, { orders: number; revenue: number }>();
  for (const o of orders) {
    const c = byCur.get(o.currency) ?? { orders: 0, revenue: 0 };
    c.orders += o.orders;
    c.revenue += o.revenue;
    byCur.set(o.currency, c);
  }
  const by_currency = [...byCur]
    .map(([currency, c]) => ({
      currency,
      orders: c.orders,
      revenue: round4(c.revenue),
      average_order_value: per(c.revenue, c.orders),
      revenue_per_visitor: per(c.revenue, v),
    }))
    .sort((a, b2) => b2.revenue - a.revenue || (a.currency < b2.currency ? -1 : 1));
  const count = by_currency.reduce((n, c) => n + c.orders, 0);
  const ci = wilsonInterval(b, v);
  return {
    visitors: v,
    buyers: b,
    orders: count,
    conversion_rate: ci ? { rate: b / v, low: ci.low, high: ci.high } : null,
    by_currency,
    reporting: rates ? convert(by_currency, rates, v) : null,
  };
}

/** Amounts converted at the site's rates (`stats/currency.ts`); currencies without a rate are left out and named. */
export function convert(
  amounts: readonly { currency: string; orders: number; revenue: number }[],
  rates: CurrencyRates,
  visitors: number,
) {
  const { total: revenue, converted, missing } = convertAmounts(amounts, rates, (a) => a.revenue);
  const orders = converted.reduce((n, a) => n + a.orders, 0);
  return {
    currency: rates.reporting_currency,
    revenue: round4(revenue),
    average_order_value: per(revenue, orders),
    revenue_per_visitor: per(revenue, visitors),
    missing_rates: missing,
  };
}

/** Splits rows by attribution value. */
export function byDim<T extends { dim: string }>(rows: readonly T[]): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const r of rows) m.set(r.dim, [...(m.get(r.dim) ?? []), r]);
  return m;
}

/** Totals per day of the range, zero days included. */
export function dailyRevenue(
  visitors: readonly RevenueVisitorSumsRow[],
  orders: readonly RevenueOrderSumsRow[],
  days: readonly string[],
  rates: CurrencyRates | undefined,
) {
  return days.map((day) => ({
    day,
    ...revenueTotals(
      visitors.find((r) => r.day === day),
      orders.filter((o) => o.day === day),
      rates,
    ),
  }));
}
