/**
 * Answers the cart reports. Abandonment: the status sums per day over the range and over the
 * period of the same length before it (the previous period), per value of the breakdown when
 * asked, then the pure shaping (`shape.ts`). The list: one page of carts, each with its value
 * converted at the site's rates.
 */
import type {
  CartAbandonmentQuery,
  CartAbandonmentResponse,
  CartListQuery,
  CartListResponse,
  CurrencyRates,
} from '@funnelhouse/schemas';
import type { Store } from '../clickhouse/client.ts';
import type { Trace } from '../clickhouse/query.ts';
import { daysBetween } from '../sql/days.ts';
import type { ReportRange } from '../sql/range.ts';
import { zonedBounds } from '../sql/zoned-time.ts';
import type { CartDimension, CartScope } from './fold-sql.ts';
import { getCartDailySums } from './queries/getCartDailySums.ts';
import { getCartGroupSums } from './queries/getCartGroupSums.ts';
import { listCarts } from './queries/listCarts.ts';
import {
  cartRowReporting,
  changeOf,
  countCarts,
  dailyCounts,
  groupCounts,
  stageCounts,
  toCart,
} from './shape.ts';

/** The scope of a cart report: range, `as_of` (default now) and the two definitions' lengths. */
function scopeOf(
  range: ReportRange,
  q: { as_of?: string | undefined; inactivity_timeout: number; recovery_window: number },
): CartScope {
  const asOfMs = q.as_of === undefined ? Date.now() : zonedBounds(q.as_of, q.as_of, range.tz).from;
  return { range, asOfMs, timeoutMs: q.inactivity_timeout * 1000, windowMs: q.recovery_window * 1000 };
}

const head = (range: ReportRange, s: CartScope) => ({
  site_id: range.site,
  from: range.from,
  to: range.to,
  tz: range.tz,
  as_of: new Date(s.asOfMs).toISOString(),
  inactivity_timeout: s.timeoutMs / 1000,
  recovery_window: s.windowMs / 1000,
});

/** Whether a breakdown names a key (an experiment's or a property's). */
export const breakdownNeedsKey = (breakdown: CartAbandonmentQuery['breakdown']) =>
  breakdown === 'variant' || breakdown === 'property';

export async function runCartAbandonment(
  store: Store,
  range: ReportRange,
  q: CartAbandonmentQuery & { rates: CurrencyRates | undefined },
  trace?: Trace,
): Promise<CartAbandonmentResponse> {
  const { rates } = q;
  const scope = scopeOf(range, q);
  const span = range.toMs - range.fromMs;
  const prevRange = { ...range, fromMs: range.fromMs - span, toMs: range.fromMs };
  const rows = await getCartDailySums(store, scope, trace);
  const prevRows = await getCartDailySums(store, { ...scope, range: prevRange }, trace);
  const dim = q.breakdown as CartDimension | undefined;
  const groups = dim ? await getCartGroupSums(store, scope, dim, q.breakdown_key ?? '', trace) : undefined;
  const totals = countCarts(rows, rates);
  const previous = countCarts(prevRows, rates);
  return {
    ...head(range, scope),
    totals,
    by_stage: stageCounts(rows, rates),
    daily: dailyCounts(rows, daysBetween(range.firstDay, range.lastDay), rates),
    breakdown:
      dim && groups
        ? {
            by: dim as Exclude<CartDimension, 'none'>,
            key: breakdownNeedsKey(q.breakdown) ? (q.breakdown_key ?? null) : null,
            ...groupCounts(groups, q.limit, rates),
          }
        : null,
    previous: {
      from: new Date(prevRange.fromMs).toISOString(),
      to: new Date(prevRange.toMs).toISOString(),
      totals: previous,
    },
    change: changeOf(totals, previous),
  };
}

/** One page of carts; `total` is null past the last cart (no row to carry it). */
export async function runCartList(
  store: Store,
  range: ReportRange,
  q: CartListQuery & { rates: CurrencyRates | undefined },
  trace?: Trace,
): Promise<CartListResponse> {
  const scope = scopeOf(range, q);
  const rows = await listCarts(store, scope, q, trace);
  return {
    ...head(range, scope),
    status: q.status,
    sort: q.sort,
    order: q.order,
    limit: q.limit,
    offset: q.offset,
    total: rows[0]?.total ?? (q.offset === 0 ? 0 : null),
    carts: rows.map((r) => {
      const k = toCart(r);
      return { ...k, reporting: cartRowReporting(k, q.rates) };
    }),
  };
}
