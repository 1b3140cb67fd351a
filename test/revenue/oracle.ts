/**
 * The revenue rules as a brute-force reading of raw rows (see `server/src/revenue/revenue-sql.ts`):
 * events in [from, to); one order per order_id, dated by its first purchase event, revenue and
 * currency from the first by (browser after server/import, received_at, revenue, currency: `orderFigure`), visitor = the
 * visitor of its first (ts, event_id) purchase event that has one; a visitor's attribution = its
 * first (ts, event_id) event in the range; buyers = visitors with a purchase event with an order
 * id. Days are UTC calendar days.
 */
import type { EventRow } from '@funnelhouse/server';
import { orderFigure } from '../helpers/order-figure.ts';

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const first = (a: EventRow, b: EventRow) => a.ts < b.ts || (a.ts === b.ts && a.event_id < b.event_id);

export function oracleRevenue(
  rows: readonly EventRow[],
  s: { site: string; fromMs: number; toMs: number },
  dim: (r: EventRow) => string,
) {
  const evs = rows.filter((r) => r.site_id === s.site && r.ts >= s.fromMs && r.ts < s.toMs);
  const firstOf = new Map<string, EventRow>();
  for (const r of evs) {
    if (r.visitor_id === '') continue;
    const f = firstOf.get(r.visitor_id);
    if (!f || first(r, f)) firstOf.set(r.visitor_id, r);
  }
  const dimOf = (v: string) => {
    const f = firstOf.get(v);
    return f ? dim(f) : '';
  };
  const orders = new Map<string, EventRow[]>();
  for (const r of evs)
    if (r.type === 'purchase' && r.order_id !== '')
      orders.set(r.order_id, [...(orders.get(r.order_id) ?? []), r]);
  const orderSums = new Map<
    string,
    { dim: string; day: string; currency: string; orders: number; revenue4: number }
  >();
  for (const es of orders.values()) {
    const ms = Math.min(...es.map((e) => e.ts));
    const fig = orderFigure(es);
    const withVisitor = es.filter((e) => e.visitor_id !== '').sort((a, b) => (first(a, b) ? -1 : 1));
    const v = withVisitor[0]?.visitor_id ?? '';
    const k = [v === '' ? '' : dimOf(v), day(ms), fig.currency].join('|');
    const g = orderSums.get(k) ?? {
      dim: v === '' ? '' : dimOf(v),
      day: day(ms),
      currency: fig.currency,
      orders: 0,
      revenue4: 0,
    };
    g.orders += 1;
    g.revenue4 += Math.round(fig.revenue * 1e4);
    orderSums.set(k, g);
  }
  const visitorSets = new Map<
    string,
    { dim: string; day: string; visitors: Set<string>; buyers: Set<string> }
  >();
  const put = (d: string, dayKey: string, v: string, bought: boolean) => {
    const k = `${d}|${dayKey}`;
    const g = visitorSets.get(k) ?? { dim: d, day: dayKey, visitors: new Set(), buyers: new Set() };
    g.visitors.add(v);
    if (bought) g.buyers.add(v);
    visitorSets.set(k, g);
  };
  for (const r of evs) {
    if (r.visitor_id === '') continue;
    const bought = r.type === 'purchase' && r.order_id !== '';
    put(dimOf(r.visitor_id), '', r.visitor_id, bought);
    put(dimOf(r.visitor_id), day(r.ts), r.visitor_id, bought);
  }
  return {
    orders: [...orderSums.values()]
      .map((g) => `${g.dim}|${g.day}|${g.currency}|${g.orders}|${g.revenue4}`)
      .sort(),
    visitors: [...visitorSets.values()]
      .map((g) => `${g.dim}|${g.day}|${g.visitors.size}|${g.buyers.size}`)
      .sort(),
  };
}
