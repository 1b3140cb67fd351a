/**
 * The product rules (`PRODUCT_DEFINITIONS`), written once more as a brute-force reading of raw
 * `events_v1` rows, held to the report (`server/src/products/`) by fast-check. Plain loops:
 *
 * 1. Events read: the site's rows with `from ≤ ts < to`, of type view_item, add_to_cart or
 *    purchase, with at least one line.
 * 2. Per line (item id) and the event's breakdown value: a non-empty visitor id views it
 *    (view_item), carts it (add_to_cart), buys it (purchase with an order_id). A visitor counts
 *    once per item and value; the pairs count the visitors in both sets.
 * 3. Text fields per item id: the latest non-empty one by ts; in one millisecond, the greatest.
 * 4. Orders: the purchases read with an order_id, one per id. Its items: those of the purchase
 *    with items that ranks first by (browser after server/import, received_at, revenue,
 *    currency, event_id); its currency: that event's; its value: its first purchase's by
 *    (ts, event_id) (variant: the first carrying the key). Per item: the order once, Σ quantity,
 *    Σ price × quantity.
 * 5. Abandoned: the carts oracle's carts (`test/carts/oracle.ts`) with status abandoned or
 *    recovered. Their history (cart events, at or before the purchase) in (ts, event_id) order:
 *    the latest snapshot's lines plus the later adds' minus the later removes', per item; held when
 *    the quantity is above 0, valued at max(0, Σ price × quantity), in the cart's currency, under
 *    the cart's value.
 */
import type { EventRow } from '@funnelhouse/server';
import { CART_TYPES, type OracleCartScope, oracleCarts } from '../carts/oracle.ts';

export interface OracleMoney {
  purchases: number;
  quantity: number;
  /** Ten-thousandths of the currency unit, exact. */
  revenue4: number;
  abandonedCarts: number;
  abandonedValue4: number;
}

export interface OracleProduct {
  item: string;
  value: string;
  views: number;
  carts: number;
  buyers: number;
  viewedCarted: number;
  cartedBought: number;
  money: Map<string, OracleMoney>;
}

export interface OracleProducts {
  /** Keyed by `JSON.stringify([item, value])`. */
  rows: Map<string, OracleProduct>;
  /** Per item id: name, category, variant. */
  text: Map<string, { name: string; category: string; variant: string }>;
}

const to4 = (x: number) => Math.round(x * 10_000);
const before = (a: EventRow, b: EventRow) => a.ts < b.ts || (a.ts === b.ts && a.event_id < b.event_id);
/** (ts, value) order (the values are ASCII here, where JavaScript's order is the bytes'). */
const valueBefore = (a: { ts: number; v: string }, b: { ts: number; v: string }) =>
  a.ts < b.ts || (a.ts === b.ts && a.v < b.v);

/** Browser after server/import, then received_at, revenue, currency, event id. */
function ranksFirst(a: EventRow, b: EventRow): boolean {
  const ka = [a.source === 'browser' ? 1 : 0, a.received_at, a.revenue, a.currency, a.event_id] as const;
  const kb = [b.source === 'browser' ? 1 : 0, b.received_at, b.revenue, b.currency, b.event_id] as const;
  const i = ka.findIndex((x, k) => x !== kb[k]);
  return i >= 0 && (ka[i] as number | string) < (kb[i] as number | string);
}

export function oracleProducts(
  rows: readonly EventRow[],
  s: OracleCartScope,
  dim: (r: EventRow) => string = () => '',
  dimFirstNonEmpty = false,
): OracleProducts {
  const out = new Map<string, OracleProduct & { sets: Record<'v' | 'c' | 'b', Set<string>> }>();
  const at = (item: string, value: string) => {
    const k = JSON.stringify([item, value]);
    let p = out.get(k);
    if (!p) {
      p = {
        item,
        value,
        views: 0,
        carts: 0,
        buyers: 0,
        viewedCarted: 0,
        cartedBought: 0,
        money: new Map(),
        sets: { v: new Set(), c: new Set(), b: new Set() },
      };
      out.set(k, p);
    }
    return p;
  };
  const money = (p: OracleProduct, currency: string) => {
    let m = p.money.get(currency);
    if (!m) {
      m = { purchases: 0, quantity: 0, revenue4: 0, abandonedCarts: 0, abandonedValue4: 0 };
      p.money.set(currency, m);
    }
    return m;
  };
  // Rule 1.
  const read = rows.filter(
    (r) =>
      r.site_id === s.site &&
      r.ts >= s.fromMs &&
      r.ts < s.toMs &&
      ['view_item', 'add_to_cart', 'purchase'].includes(r.type) &&
      r.items.length > 0,
  );
  // Rules 2 and 3.
  const latest = new Map<string, Record<'name' | 'category' | 'variant', { ts: number; v: string }>>();
  for (const e of read) {
    for (const line of e.items) {
      const p = at(line.id, dim(e));
      if (e.visitor_id !== '') {
        if (e.type === 'view_item') p.sets.v.add(e.visitor_id);
        if (e.type === 'add_to_cart') p.sets.c.add(e.visitor_id);
        if (e.type === 'purchase' && e.order_id !== '') p.sets.b.add(e.visitor_id);
      }
      const t =
        latest.get(line.id) ?? ({} as Record<'name' | 'category' | 'variant', { ts: number; v: string }>);
      for (const f of ['name', 'category', 'variant'] as const) {
        const now = { ts: e.ts, v: line[f] };
        const prev = t[f];
        if (now.v !== '' && (!prev || valueBefore(prev, now))) t[f] = now;
      }
      latest.set(line.id, t);
    }
  }
  for (const p of out.values()) {
    p.views = p.sets.v.size;
    p.carts = p.sets.c.size;
    p.buyers = p.sets.b.size;
    p.viewedCarted = [...p.sets.v].filter((v) => p.sets.c.has(v)).length;
    p.cartedBought = [...p.sets.c].filter((v) => p.sets.b.has(v)).length;
  }
  // Rule 4.
  const orders = new Map<string, EventRow[]>();
  for (const r of rows) {
    if (r.site_id !== s.site || r.ts < s.fromMs || r.ts >= s.toMs) continue;
    if (r.type !== 'purchase' || r.order_id === '') continue;
    orders.set(r.order_id, [...(orders.get(r.order_id) ?? []), r]);
  }
  for (const evs of orders.values()) {
    let best: EventRow | undefined;
    for (const e of evs) if (e.items.length > 0 && (!best || ranksFirst(e, best))) best = e;
    if (!best) continue;
    const sorted = [...evs].sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0));
    const valueEvent = dimFirstNonEmpty ? sorted.find((e) => dim(e) !== '') : sorted[0];
    const value = valueEvent ? dim(valueEvent) : '';
    const perItem = new Map<string, { q: number; r4: number }>();
    for (const l of best.items) {
      const x = perItem.get(l.id) ?? { q: 0, r4: 0 };
      x.q += l.quantity;
      x.r4 += to4(l.price) * l.quantity;
      perItem.set(l.id, x);
    }
    for (const [item, x] of perItem) {
      const m = money(at(item, value), best.currency);
      m.purchases++;
      m.quantity += x.q;
      m.revenue4 += x.r4;
    }
  }
  // Rule 5.
  const carts = oracleCarts(rows, s, dim, dimFirstNonEmpty).filter(
    (c) => c.status === 'abandoned' || c.status === 'recovered',
  );
  for (const c of carts) {
    const history = rows
      .filter(
        (r) =>
          r.site_id === s.site &&
          r.cart_id === c.cart_id &&
          CART_TYPES.has(r.type) &&
          r.ts >= s.fromMs - 30 * 86_400_000 &&
          r.ts < s.asOfMs &&
          (c.purchased_ms === 0 || r.ts <= c.purchased_ms),
      )
      .sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0));
    let snapAt = -1;
    history.forEach((e, i) => {
      if (e.type !== 'add_to_cart' && e.type !== 'remove_from_cart') snapAt = i;
    });
    const lines = new Map<string, { q: number; v4: number }>();
    const put = (e: EventRow, sign: number) => {
      for (const l of e.items) {
        const x = lines.get(l.id) ?? { q: 0, v4: 0 };
        x.q += sign * l.quantity;
        x.v4 += sign * to4(l.price) * l.quantity;
        lines.set(l.id, x);
      }
    };
    if (snapAt >= 0) put(history[snapAt] as EventRow, 1);
    for (const e of history.slice(snapAt + 1)) put(e, e.type === 'add_to_cart' ? 1 : -1);
    for (const [item, x] of lines) {
      if (x.q <= 0) continue;
      const m = money(at(item, c.dim), c.currency);
      m.abandonedCarts++;
      m.abandonedValue4 += Math.max(0, x.v4);
    }
  }
  const text = new Map<string, { name: string; category: string; variant: string }>();
  for (const p of out.values()) {
    const t = latest.get(p.item);
    text.set(p.item, {
      name: t?.name?.v ?? '',
      category: t?.category?.v ?? '',
      variant: t?.variant?.v ?? '',
    });
  }
  const plain = new Map<string, OracleProduct>();
  for (const [k, { sets, ...p }] of out) plain.set(k, p);
  return { rows: plain, text };
}
