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
import { type CreditParams, creditInto, orderTouches, type Touch } from '../stats/attribution.ts';
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

function merge(into: Sum, from: Sum) {
  into.credit += from.credit;
  for (const [cur, r] of from.revenue) into.revenue.set(cur, (into.revenue.get(cur) ?? 0) + r);
}

/** An order with its touches in the order the models read them. */
interface Order {
  id: string;
  ms: number;
  revenue: number;
  currency: string;
  touches: Touch[];
}

/**
 * Every order with the touches in its window (`order − lookback ≤ touch ≤ order`), ordered once
 * per visitor; the orders by time, ties by id, so that sums add up in one order.
 */
export function ordersOf(rows: readonly AttributionTouchesRow[], lookbackMs: number): Order[] {
  const orders: Order[] = [];
  for (const r of rows) {
    const touches = orderTouches(
      r.touches.map(([at, session, value, direct]) => ({ at, session, value, direct: direct === 1 })),
    );
    for (const [id, ms, revenue, currency] of r.orders) {
      const touched = touches.filter((t) => t.at + lookbackMs >= ms && t.at <= ms);
      orders.push({ id, ms, revenue, currency, touches: touched });
    }
  }
  return orders.sort((a, b) => a.ms - b.ms || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** A growing array's cell, created at 0 when missing. */
const at = (xs: number[], i: number) => xs[i] ?? 0;

/**
 * Σ credit per value under each model, over every order (null: orders without a touch). Values and
 * currencies are numbered as first met and summed in plain arrays: the heavy-units bench has
 * 2.5 M touches, each credited under six models. The sums are added in the same order as
 * `add` one by one would.
 */
function creditSums(orders: readonly Order[], p: CreditParams): Map<AttributionModel, Map<Value, Sum>> {
  const values = new Map<Value, number>();
  const currencies = new Map<string, number>();
  const idOf = <K>(ids: Map<K, number>, k: K) => {
    let id = ids.get(k);
    if (id === undefined) {
      id = ids.size;
      ids.set(k, id);
    }
    return id;
  };
  const sums = ATTRIBUTION_MODELS.map(() => ({ credit: [] as number[], revenue: [] as number[][] }));
  const cells = new Float64Array(orders.reduce((n, o) => Math.max(n, o.touches.length), 1));
  for (const o of orders) {
    const cur = idOf(currencies, o.currency);
    const ids = o.touches.length === 0 ? [idOf(values, null)] : o.touches.map((t) => idOf(values, t.value));
    ATTRIBUTION_MODELS.forEach((m, mi) => {
      const s = sums[mi] as (typeof sums)[number];
      if (o.touches.length === 0) cells[0] = 1;
      else creditInto(m, o.touches, p, cells);
      for (let i = 0; i < ids.length; i++) {
        const v = ids[i] as number;
        const c = cells[i] as number;
        s.credit[v] = at(s.credit, v) + c;
        // A currency is listed under a value only when an order in it gave the value some credit.
        if (c > 0) {
          const r = s.revenue[v] ?? [];
          r[cur] = at(r, cur) + c * o.revenue;
          s.revenue[v] = r;
        }
      }
    });
  }
  const valueList = [...values.keys()];
  const currencyList = [...currencies.keys()];
  return new Map(
    ATTRIBUTION_MODELS.map((m, mi) => {
      const s = sums[mi] as (typeof sums)[number];
      const byValue = new Map<Value, Sum>();
      valueList.forEach((v, vi) => {
        const revenue = new Map<string, number>();
        s.revenue[vi]?.forEach((r, ci) => {
          revenue.set(currencyList[ci] as string, r);
        });
        byValue.set(v, { credit: at(s.credit, vi), revenue });
      });
      return [m, byValue];
    }),
  );
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
  for (const { ms, touches } of orders) {
    const path = touches.map((t) => t.value).filter((v, i, all) => i === 0 || all[i - 1] !== v);
    const key = JSON.stringify(path);
    const p = byPath.get(key) ?? { path, ages: [], orders: 0 };
    p.orders++;
    const first = touches[0];
    if (first) p.ages.push(ms - first.at);
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
  q: { params: CreditParams; lookbackMs: number; limit: number; rates: CurrencyRates | undefined },
): Pick<AttributionResponse, 'totals' | 'models' | 'paths'> {
  const all = ordersOf(rows, q.lookbackMs);
  const orders = all.length;
  const visitors = new Map(visitorRows.map((r) => [r.value, r.visitors]));
  const byCurrency = new Map<string, { orders: number; revenue: number }>();
  let withTouch = 0;
  let touches = 0;
  for (const o of all) {
    const c = byCurrency.get(o.currency) ?? { orders: 0, revenue: 0 };
    c.orders++;
    c.revenue += o.revenue;
    byCurrency.set(o.currency, c);
    if (o.touches.length > 0) withTouch++;
    touches += o.touches.length;
  }
  const sums = creditSums(all, q.params);
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
    paths: touchPaths(all),
  };
}
