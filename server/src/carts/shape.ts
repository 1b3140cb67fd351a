/**
 * Pure shaping of cart rows into answers: status counts, rates with Wilson intervals, values per
 * currency, stages, days, groups; a cart list row into a cart with merged item lines.
 */
import {
  CART_STAGE_NAMES,
  type CartCounts,
  type CartReporting,
  type CartRowReporting,
  type CartView,
  type CurrencyRates,
} from '@funnelhouse/schemas';
import { convertAmounts, rateOf as currencyRate, round4, unionOf } from '../stats/currency.ts';
import { type Interval, wilsonInterval } from '../stats/wilson.ts';
import { type CartStatus, stageOf } from './fold-sql.ts';
import type { CartItemRow, CartListRow } from './queries/listCarts.ts';

/** What every summary row carries (daily, group). */
export interface CartSumsRow {
  status: CartStatus;
  currency: string;
  order_currency: string;
  carts: number;
  value: number;
  order_revenue: number;
  /** The cart has an order (recovered, purchased, or abandoned and bought after the window). */
  purchased: boolean;
}

const rateOf = (k: number, n: number) => {
  const ci: Interval | null = wilsonInterval(k, n);
  return ci ? { rate: k / n, low: ci.low, high: ci.high } : null;
};

/** Amounts per currency, largest first, rounded to the cent's hundredth (4 places, as stored). */
function amounts(m: Map<string, number>) {
  return [...m]
    .map(([currency, amount]) => ({ currency, amount: Math.round(amount * 1e4) / 1e4 }))
    .sort((a, b) => b.amount - a.amount || (a.currency < b.currency ? -1 : 1));
}

const add = (m: Map<string, number>, k: string, v: number) => m.set(k, (m.get(k) ?? 0) + v);

type Money = readonly { currency: string; amount: number }[];

/** The three money figures converted at the site's rates (`stats/currency.ts`); null without rates. */
export function cartReporting(
  c: { abandoned_value: Money; lost_value: Money; recovered_revenue: Money },
  rates: CurrencyRates | undefined,
): CartReporting {
  if (!rates) return null;
  const conv = (m: Money) => convertAmounts(m, rates, (a) => a.amount);
  const abandoned = conv(c.abandoned_value);
  const lost = conv(c.lost_value);
  const recovered = conv(c.recovered_revenue);
  return {
    currency: rates.reporting_currency,
    abandoned_value: round4(abandoned.total),
    lost_value: round4(lost.total),
    recovered_revenue: round4(recovered.total),
    missing_rates: unionOf(abandoned.missing, lost.missing, recovered.missing),
  };
}

/**
 * Counts and rates over summary rows (see `CART_DEFINITIONS`); `purchased` = carts with an order;
 * `reporting` the money converted at `rates` (null without).
 */
export function countCarts(rows: readonly CartSumsRow[], rates?: CurrencyRates): CartCounts {
  const by: Record<CartStatus, number> = { open: 0, abandoned: 0, recovered: 0, purchased: 0, empty: 0 };
  let purchased = 0;
  const abandonedValue = new Map<string, number>();
  const lostValue = new Map<string, number>();
  const recoveredRevenue = new Map<string, number>();
  for (const r of rows) {
    by[r.status] += r.carts;
    if (r.purchased) purchased += r.carts;
    if (r.status === 'abandoned' || r.status === 'recovered') add(abandonedValue, r.currency, r.value);
    if (r.status === 'abandoned') add(lostValue, r.currency, r.value);
    if (r.status === 'recovered') add(recoveredRevenue, r.order_currency, r.order_revenue);
  }
  const carts = by.open + by.abandoned + by.recovered + by.purchased + by.empty;
  const abandoned = by.abandoned + by.recovered;
  const money = {
    abandoned_value: amounts(abandonedValue),
    lost_value: amounts(lostValue),
    recovered_revenue: amounts(recoveredRevenue),
  };
  return {
    carts,
    open: by.open,
    empty: by.empty,
    purchased,
    abandoned,
    recovered: by.recovered,
    abandonment_rate: rateOf(abandoned, carts - by.open - by.empty),
    recovery_rate: rateOf(by.recovered, abandoned),
    ...money,
    reporting: cartReporting(money, rates),
  };
}

/** Daily counts, one row per day of the range (zero rows for days without carts). */
export function dailyCounts(
  rows: readonly (CartSumsRow & { day: string })[],
  days: readonly string[],
  rates?: CurrencyRates,
) {
  const byDay = new Map<string, (CartSumsRow & { day: string })[]>();
  for (const r of rows) byDay.set(r.day, [...(byDay.get(r.day) ?? []), r]);
  return days.map((day) => {
    const c = countCarts(byDay.get(day) ?? [], rates);
    return {
      day,
      carts: c.carts,
      open: c.open,
      empty: c.empty,
      purchased: c.purchased,
      abandoned: c.abandoned,
      recovered: c.recovered,
      reporting: c.reporting,
    };
  });
}

/** Counts per furthest stage reached before any purchase, every stage listed. */
export function stageCounts(rows: readonly (CartSumsRow & { stage_rank: number })[], rates?: CurrencyRates) {
  return CART_STAGE_NAMES.map((stage, i) => ({
    stage,
    ...countCarts(
      rows.filter((r) => Math.min(Math.max(r.stage_rank, 1), 4) === i + 1),
      rates,
    ),
  }));
}

/** Groups of a breakdown, most carts first (ties by value), the first `limit` of them. */
export function groupCounts(
  rows: readonly (CartSumsRow & { dim: string })[],
  limit: number,
  rates?: CurrencyRates,
) {
  const byValue = new Map<string, (CartSumsRow & { dim: string })[]>();
  for (const r of rows) byValue.set(r.dim, [...(byValue.get(r.dim) ?? []), r]);
  const groups = [...byValue]
    .map(([value, rs]) => ({ value, ...countCarts(rs, rates) }))
    .sort((a, b) => b.carts - a.carts || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
  return { groups: groups.slice(0, limit), other_groups: Math.max(0, groups.length - limit) };
}

/** Relative change (null from zero) and rate differences against the previous period. */
export function changeOf(now: CartCounts, before: CartCounts) {
  const diff = (a: { rate: number } | null, b: { rate: number } | null) => (a && b ? a.rate - b.rate : null);
  return {
    carts: before.carts > 0 ? (now.carts - before.carts) / before.carts : null,
    abandonment_rate: diff(now.abandonment_rate, before.abandonment_rate),
    recovery_rate: diff(now.recovery_rate, before.recovery_rate),
  };
}

/**
 * A cart's lines: the latest snapshot's items, then the quantities added and removed after it
 * summed per item id (name, price, category and variant from the latest mention); lines at zero
 * or below are dropped. Order: as first mentioned.
 */
export function mergeItems(
  snapshot: readonly CartItemRow[],
  added: CartItemRow[][],
  removed: CartItemRow[][],
) {
  const lines = new Map<string, CartItemRow>();
  const put = (i: CartItemRow, sign: number) => {
    const prev = lines.get(i.id);
    lines.set(i.id, { ...i, quantity: (prev?.quantity ?? 0) + sign * i.quantity });
  };
  for (const i of snapshot) put(i, 1);
  for (const items of added) for (const i of items) put(i, 1);
  for (const items of removed) for (const i of items) put(i, -1);
  return [...lines.values()].filter((i) => i.quantity > 0);
}

const iso = (ms: number) => new Date(ms).toISOString();

/** One list row as the API's cart. */
export function toCart(r: CartListRow): CartView {
  const status = r.status as CartView['status'];
  const purchased = r.purchased_ms !== 0;
  const reached = stageOf(r.stage_rank, false) as CartView['stage_reached'];
  return {
    cart_id: r.cart_id,
    visitor_id: r.visitor_id,
    user_id: r.user_id,
    status,
    value: r.value,
    currency: r.currency,
    stage: stageOf(r.stage_rank, purchased),
    stage_reached: reached,
    items: mergeItems(r.snap_items, r.added, r.removed),
    created_at: iso(r.created_ms),
    last_activity_at: iso(r.last_ms),
    abandoned_at: r.abandoned_ms !== 0 ? iso(r.abandoned_ms) : null,
    order: purchased
      ? {
          order_id: r.order_id,
          purchased_at: iso(r.purchased_ms),
          revenue: r.order_revenue,
          currency: r.order_currency,
        }
      : null,
  };
}

/**
 * One cart's value and order revenue converted at the site's rates; an amount whose currency has
 * no rate is null and its currency named. Null without rates.
 */
export function cartRowReporting(
  k: Pick<CartView, 'value' | 'currency' | 'order'>,
  rates: CurrencyRates | undefined,
): CartRowReporting {
  if (!rates) return null;
  const missing: string[] = [];
  const conv = (amount: number, currency: string) => {
    const r = currencyRate(rates, currency);
    if (r === undefined) missing.push(currency);
    return r === undefined ? null : round4(amount * r);
  };
  const value = conv(k.value, k.currency);
  const order_revenue = k.order ? conv(k.order.revenue, k.order.currency) : null;
  return { currency: rates.reporting_currency, value, order_revenue, missing_rates: unionOf(missing) };
}
