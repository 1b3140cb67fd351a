/**
 * Pure shaping of the attribution report: each order's touches credited under every model
 * (`stats/attribution.ts`), summed per value with the revenue per currency, the values lined up
 * across models, and the touch paths. Rules in `ATTRIBUTION_DEFINITIONS`.
 */
import {
  ATTRIBUTION_MODELS,
  type AttributionModel,
  type AttributionResponse,
  type AttributionRow,
  type CurrencyRates,
} from '@funnelhouse/schemas';
import { type CreditParams, credit, orderTouches, type Touch } from '../stats/attribution.ts';
import { convertAmounts, round4 } from '../stats/currency.ts';
import type { AttributionTouchesRow } from './queries/getAttributionTouches.ts';
import type { AttributionVisitorsRow } from './queries/getAttributionVisitors.ts';

/** Paths listed, the most frequent first. */
export const MAX_PATHS = 20;

/** A value's credit and credited revenue per currency, under one model. */
interface Sum {
  credit: number;
  revenue: Map<string, number>;
}

type Value = string | null;

function add(sums: Map<Value, Sum>, value: Value, c: number, currency: string, revenue: number) {
  let s = sums.get(value);
  if (!s) {
    s = { credit: 0, revenue: new Map() };
    sums.set(value, s);
  }
  s.credit += c;
  // A currency is listed under a value only when an order in it gave the value some credit.
  if (c > 0) s.revenue.set(currency, (s.revenue.get(currency) ?? 0) + c * revenue);
}

function merge(into: Sum, from: Sum) {
  into.credit += from.credit;
  for (const [cur, r] of from.revenue) into.revenue.set(cur, (into.revenue.get(cur) ?? 0) + r);
}

function touchesOf(row: AttributionTouchesRow): Touch[] {
  return orderTouches(
    row.touches.map(([at, session, value, direct]) => ({ at, session, value, direct: direct === 1 })),
  );
}

/** An order with its touches in the order the models read them. */
interface Order {
  row: AttributionTouchesRow;
  touches: Touch[];
}

/** Σ credit per value under each model, over every order (null: orders without a touch). */
function creditSums(orders: readonly Order[], p: CreditParams) {
  const sums = new Map<AttributionModel, Map<Value, Sum>>(ATTRIBUTION_MODELS.map((m) => [m, new Map()]));
  for (const { row, touches } of orders) {
    for (const m of ATTRIBUTION_MODELS) {
      const into = sums.get(m) ?? new Map();
      if (touches.length === 0) {
        add(into, null, 1, row.currency, row.revenue);
        continue;
      }
      credit(m, touches, p).forEach((c, i) => {
        add(into, touches[i]?.value ?? '', c, row.currency, row.revenue);
      });
    }
  }
  return sums;
}

/** The values in the order every model lists them: most credit over all models first, ties by value, null last. */
function valueOrder(sums: Map<AttributionModel, Map<Value, Sum>>): Value[] {
  const total = new Map<Value, number>();
  for (const byValue of sums.values())
    for (const [v, s] of byValue) total.set(v, (total.get(v) ?? 0) + s.credit);
  const rank = (v: Value) => (v === null ? 1 : 0);
  return [...total.keys()].sort(
    (a, b) =>
      rank(a) - rank(b) ||
      (total.get(b) ?? 0) - (total.get(a) ?? 0) ||
      ((a ?? '') < (b ?? '') ? -1 : (a ?? '') > (b ?? '') ? 1 : 0),
  );
}

function rowOf(
  value: Value,
  s: Sum | undefined,
  orders: number,
  visitors: number | null,
  rates: CurrencyRates | undefined,
): AttributionRow {
  const perVisitor = (r: number) => (visitors ? round4(r / visitors) : null);
  const amounts = [...(s?.revenue ?? new Map<string, number>())]
    .map(([currency, revenue]) => ({ currency, revenue }))
    .sort((a, b) => b.revenue - a.revenue || (a.currency < b.currency ? -1 : 1));
  let reporting: AttributionRow['reporting'] = null;
  if (rates) {
    const { total, missing } = convertAmounts(amounts, rates, (a) => a.revenue);
    reporting = {
      currency: rates.reporting_currency,
      revenue: round4(total),
      revenue_per_visitor: perVisitor(total),
      missing_rates: missing,
    };
  }
  const credit = s?.credit ?? 0;
  return {
    value,
    conversions: round4(credit),
    share: orders > 0 ? credit / orders : null,
    visitors,
    by_currency: amounts.map((a) => ({
      currency: a.currency,
      revenue: round4(a.revenue),
      revenue_per_visitor: perVisitor(a.revenue),
    })),
    reporting,
  };
}

function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}

/** The touch sequences of the orders, consecutive repeats collapsed, the most frequent first. */
function touchPaths(orders: readonly Order[]): AttributionResponse['paths'] {
  const byPath = new Map<string, { path: string[]; ages: number[]; orders: number }>();
  for (const { row, touches } of orders) {
    const path = touches.map((t) => t.value).filter((v, i, all) => i === 0 || all[i - 1] !== v);
    const key = JSON.stringify(path);
    const p = byPath.get(key) ?? { path, ages: [], orders: 0 };
    p.orders++;
    const first = touches[0];
    if (first) p.ages.push(row.order_ms - first.at);
    byPath.set(key, p);
  }
  return [...byPath.entries()]
    .sort(([ka, a], [kb, b]) => b.orders - a.orders || (ka < kb ? -1 : 1))
    .slice(0, MAX_PATHS)
    .map(([, p]) => ({
      path: p.path,
      orders: p.orders,
      share: orders.length > 0 ? p.orders / orders.length : 0,
      median_ms_to_order: median(p.ages),
    }));
}

export function shapeAttribution(
  rows: readonly AttributionTouchesRow[],
  visitorRows: readonly AttributionVisitorsRow[],
  q: { params: CreditParams; limit: number; rates: CurrencyRates | undefined },
): Pick<AttributionResponse, 'totals' | 'models' | 'paths'> {
  const orders = rows.length;
  const visitors = new Map(visitorRows.map((r) => [r.value, r.visitors]));
  const byCurrency = new Map<string, { orders: number; revenue: number }>();
  let withTouch = 0;
  let touches = 0;
  for (const r of rows) {
    const c = byCurrency.get(r.currency) ?? { orders: 0, revenue: 0 };
    c.orders++;
    c.revenue += r.revenue;
    byCurrency.set(r.currency, c);
    if (r.touches.length > 0) withTouch++;
    touches += r.touches.length;
  }
  const withTouches = rows.map((row) => ({ row, touches: touchesOf(row) }));
  const sums = creditSums(withTouches, q.params);
  const values = valueOrder(sums);
  const shown = values.slice(0, q.limit);
  const rest = values.slice(q.limit);
  const models = ATTRIBUTION_MODELS.map((model) => {
    const byValue = sums.get(model) ?? new Map<Value, Sum>();
    const listed = shown.map((v) =>
      rowOf(v, byValue.get(v), orders, v === null ? null : (visitors.get(v) ?? 0), q.rates),
    );
    if (rest.length > 0) {
      const other: Sum = { credit: 0, revenue: new Map() };
      for (const v of rest) {
        const s = byValue.get(v);
        if (s) merge(other, s);
      }
      listed.push(rowOf('Other', other, orders, null, q.rates));
    }
    return { model, rows: listed, other_values: rest.length };
  });
  return {
    totals: {
      orders,
      with_touch: withTouch,
      touches,
      by_currency: [...byCurrency]
        .map(([currency, c]) => ({ currency, orders: c.orders, revenue: round4(c.revenue) }))
        .sort((a, b) => b.revenue - a.revenue || (a.currency < b.currency ? -1 : 1)),
    },
    models,
    paths: touchPaths(withTouches),
  };
}
