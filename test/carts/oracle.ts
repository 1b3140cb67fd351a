/**
 * The cart rules, written once more as a brute-force reading of raw `events_v1` rows, held to
 * the ClickHouse fold (`server/src/carts/fold-sql.ts`) by fast-check. Plain loops, no cleverness:
 *
 * 1. Events read: the site's rows with `from − 30 d ≤ ts < as_of`; a row repeated with the same
 *    (id space, event id) is one event.
 * 2. Cart events: the six cart/checkout types with a non-empty `cart_id`. Order: (ts, event_id).
 * 3. Orders: purchases with an `order_id`, one per id; time = its earliest purchase event;
 *    revenue/currency from the first by (browser after server/import, received_at, revenue, currency: `orderFigure`);
 *    cart = the smallest non-empty cart id among its purchases. A cart's purchase = its earliest
 *    order (ties by order id).
 * 4. History = cart events at or before the purchase time (all if not purchased); none → no cart.
 * 5. Created = first history event, counted when in [from, to); last = last history event.
 * 6. Stage (1–4): furthest of cart / checkout / shipping / payment in the history.
 * 7. Value: event value = revenue if > 0 else Σ price × quantity; the latest snapshot sets it,
 *    later adds add, later removes subtract, floor 0. Currency: latest non-empty.
 * 8. Status: not purchased → empty (value 0), abandoned (as_of − last > timeout, at
 *    last + timeout), open. Purchased with value > 0 and a gap between consecutive history
 *    times (the purchase time last) longer than the timeout → abandoned at the first such
 *    gap's start + timeout; recovered if purchased − that ≤ window, else abandoned; otherwise
 *    purchased.
 * 9. visitor = first event's; user = latest non-empty; dimension = first event's column value
 *    (variant: first non-empty experiments[key]).
 */

import type { EventRow } from '@funnelhouse/server';
import { orderFigure } from '../helpers/order-figure.ts';

export interface OracleCartScope {
  site: string;
  fromMs: number;
  toMs: number;
  asOfMs: number;
  timeoutMs: number;
  windowMs: number;
}

export interface OracleCart {
  cart_id: string;
  created_ms: number;
  last_ms: number;
  /** Ten-thousandths of the currency unit, exact. */
  value4: number;
  currency: string;
  visitor_id: string;
  user_id: string;
  purchased_ms: number;
  abandoned_ms: number;
  order_id: string;
  order_revenue4: number;
  order_currency: string;
  stage_rank: number;
  status: 'open' | 'abandoned' | 'recovered' | 'purchased' | 'empty';
  dim: string;
}

const LOOKBACK = 30 * 86_400_000;
export const CART_TYPES = new Set([
  'add_to_cart',
  'remove_from_cart',
  'view_cart',
  'begin_checkout',
  'add_shipping_info',
  'add_payment_info',
]);
const STAGE: Record<string, number> = { begin_checkout: 2, add_shipping_info: 3, add_payment_info: 4 };

const before = (a: EventRow, b: EventRow) => a.ts < b.ts || (a.ts === b.ts && a.event_id < b.event_id);
const to4 = (x: number) => Math.round(x * 10_000);

/** Rule 7's event value in ten-thousandths. */
export function value4(r: EventRow): number {
  if (r.revenue > 0) return to4(r.revenue);
  let s = 0;
  for (const i of r.items) s += to4(i.price) * i.quantity;
  return s;
}

export function oracleCarts(
  rows: readonly EventRow[],
  s: OracleCartScope,
  dim: (r: EventRow) => string = () => '',
  dimFirstNonEmpty = false,
): OracleCart[] {
  // Rule 1.
  const seen = new Set<string>();
  const events: EventRow[] = [];
  for (const r of rows) {
    if (r.site_id !== s.site || r.ts < s.fromMs - LOOKBACK || r.ts >= s.asOfMs) continue;
    const key = `${r.source === 'browser'}|${r.event_id}`;
    if (seen.has(key)) continue;
    seen.add(key);
    events.push(r);
  }
  // Rule 3.
  const orders = new Map<string, EventRow[]>();
  for (const r of events) {
    if (r.type !== 'purchase' || r.order_id === '') continue;
    orders.set(r.order_id, [...(orders.get(r.order_id) ?? []), r]);
  }
  const cartOrder = new Map<string, { ms: number; id: string; rev4: number; cur: string }>();
  for (const [id, evs] of orders) {
    const ms = Math.min(...evs.map((e) => e.ts));
    const figure = orderFigure(evs);
    const carts = evs.map((e) => e.cart_id).filter((c) => c !== '');
    if (carts.length === 0) continue;
    const cart = [...carts].sort()[0] as string;
    const o = { ms, id, rev4: to4(figure.revenue), cur: figure.currency };
    const prev = cartOrder.get(cart);
    if (!prev || o.ms < prev.ms || (o.ms === prev.ms && o.id < prev.id)) cartOrder.set(cart, o);
  }
  // Rules 2, 4.
  const histories = new Map<string, EventRow[]>();
  for (const r of events) {
    if (!CART_TYPES.has(r.type) || r.cart_id === '') continue;
    const o = cartOrder.get(r.cart_id);
    if (o && r.ts > o.ms) continue;
    histories.set(r.cart_id, [...(histories.get(r.cart_id) ?? []), r]);
  }
  const out: OracleCart[] = [];
  for (const [cart, evs] of histories) {
    evs.sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0));
    const first = evs[0] as EventRow;
    const last = evs[evs.length - 1] as EventRow;
    // Rule 5.
    if (first.ts < s.fromMs || first.ts >= s.toMs) continue;
    const o = cartOrder.get(cart);
    // Rule 6.
    let stage = 1;
    for (const e of evs) stage = Math.max(stage, STAGE[e.type] ?? 1);
    // Rule 7, in time order.
    let currency = '';
    let user = '';
    let snapAt = -1;
    evs.forEach((e, i) => {
      if (e.currency !== '') currency = e.currency;
      if (e.user_id !== '') user = e.user_id;
      if (e.type !== 'add_to_cart' && e.type !== 'remove_from_cart') snapAt = i;
    });
    // Deltas after the latest snapshot are summed, then floored once.
    let v = snapAt >= 0 ? value4(evs[snapAt] as EventRow) : 0;
    for (const e of evs.slice(snapAt + 1)) v += e.type === 'add_to_cart' ? value4(e) : -value4(e);
    v = Math.max(0, v);
    // Rule 8: the first idle gap longer than the timeout before the purchase.
    let status: OracleCart['status'];
    let abandoned = 0;
    if (!o) {
      status = v <= 0 ? 'empty' : s.asOfMs - last.ts > s.timeoutMs ? 'abandoned' : 'open';
      if (status === 'abandoned') abandoned = last.ts + s.timeoutMs;
    } else {
      let idle = -1;
      const times = [...evs.map((e) => e.ts), o.ms];
      for (let i = 0; i + 1 < times.length && idle < 0; i++)
        if ((times[i + 1] as number) - (times[i] as number) > s.timeoutMs) idle = times[i] as number;
      if (v > 0 && idle >= 0) {
        abandoned = idle + s.timeoutMs;
        status = o.ms - abandoned <= s.windowMs ? 'recovered' : 'abandoned';
      } else status = 'purchased';
    }
    // Rule 9.
    const dimEvent = dimFirstNonEmpty ? evs.find((e) => dim(e) !== '') : first;
    out.push({
      cart_id: cart,
      created_ms: first.ts,
      last_ms: last.ts,
      value4: v,
      currency,
      visitor_id: first.visitor_id,
      user_id: user,
      purchased_ms: o?.ms ?? 0,
      abandoned_ms: abandoned,
      order_id: o?.id ?? '',
      order_revenue4: o?.rev4 ?? 0,
      order_currency: o?.cur ?? '',
      stage_rank: stage,
      status,
      dim: dimEvent ? dim(dimEvent) : '',
    });
  }
  return out.sort(
    (a, b) => a.created_ms - b.created_ms || (a.cart_id < b.cart_id ? -1 : a.cart_id > b.cart_id ? 1 : 0),
  );
}
