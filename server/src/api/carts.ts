import {
  type CartAbandonmentResponse,
  type CartListResponse,
  type CartView,
  cartAbandonmentQuerySchema,
  cartListQuerySchema,
} from '@funnelhouse/schemas';
import { stringify } from 'csv-stringify/sync';
import { Hono } from 'hono';
import type { CartDimension, CartScope } from '../carts/fold-sql.ts';
import { getCartDailySums } from '../carts/queries/getCartDailySums.ts';
import { getCartGroupSums } from '../carts/queries/getCartGroupSums.ts';
import { listCarts } from '../carts/queries/listCarts.ts';
import {
  cartRowReporting,
  changeOf,
  countCarts,
  dailyCounts,
  groupCounts,
  stageCounts,
  toCart,
} from '../carts/shape.ts';
import type { Deps } from '../deps.ts';
import { ApiError } from '../errors.ts';
import { requireSiteKey } from '../sites/auth.ts';
import { readCurrencyRates } from '../sites/currency-rates.ts';
import { zonedBounds } from '../sql/zoned-time.ts';
import { readQuery } from './body.ts';
import { explained, traceIf } from './explain.ts';
import { daysBetween, type ReportRange, readRange } from './range.ts';
import { reportStore, shareReports } from './report-shares.ts';

/** Cart reports cover at most a year, like funnels and experiments. */
const CART_RANGE_DAYS = 366;

/** The scope of a cart report: range, `as_of` (default now) and the two definitions' lengths. */
function scopeOf(
  range: ReportRange,
  q: { as_of?: string | undefined; inactivity_timeout: number; recovery_window: number },
): CartScope {
  const asOfMs = q.as_of === undefined ? Date.now() : zonedBounds(q.as_of, q.as_of, range.tz).from;
  return { range, asOfMs, timeoutMs: q.inactivity_timeout * 1000, windowMs: q.recovery_window * 1000 };
}

const head = (range: ReportRange, s: CartScope) => ({
  from: range.from,
  to: range.to,
  tz: range.tz,
  as_of: new Date(s.asOfMs).toISOString(),
  inactivity_timeout: s.timeoutMs / 1000,
  recovery_window: s.windowMs / 1000,
});

/** `GET …/carts/abandonment` and `GET …/carts/abandoned` (secret API key). */
export function cartRoutes({ registry, store, shares }: Deps): Hono {
  const app = new Hono();
  // Reports run within their site's and key's share (`report-shares.ts`).
  const share = shareReports(shares);
  const auth = requireSiteKey(registry);

  app.get('/api/v1/sites/:siteId/carts/abandonment', auth, share, async (c) => {
    const site = c.req.param('siteId');
    const q = readQuery(c, cartAbandonmentQuerySchema);
    const needsKey = q.breakdown === 'variant' || q.breakdown === 'property';
    if (needsKey && q.breakdown_key === undefined) {
      const message = `breakdown=${q.breakdown} needs breakdown_key (the ${q.breakdown === 'variant' ? 'experiment' : 'property'} key)`;
      throw new ApiError('invalid_query', message, [{ path: 'breakdown_key', code: 'required', message }]);
    }
    const range = await readRange(store, site, q, {
      maxDays: CART_RANGE_DAYS,
      siteTz: registry.timeZoneOf(site),
    });
    const scope = scopeOf(range, q);
    const db = reportStore(c, store);
    const trace = traceIf(q.explain);
    const span = range.toMs - range.fromMs;
    const prevRange = { ...range, fromMs: range.fromMs - span, toMs: range.fromMs };
    const rows = await getCartDailySums(db, scope, trace);
    const prevRows = await getCartDailySums(db, { ...scope, range: prevRange }, trace);
    const dim = q.breakdown as CartDimension | undefined;
    const groups = dim ? await getCartGroupSums(db, scope, dim, q.breakdown_key ?? '', trace) : undefined;
    const rates = await readCurrencyRates(store, site);
    const totals = countCarts(rows, rates);
    const previous = countCarts(prevRows, rates);
    const body: CartAbandonmentResponse = {
      site_id: site,
      ...head(range, scope),
      totals,
      by_stage: stageCounts(rows, rates),
      daily: dailyCounts(rows, daysBetween(range.firstDay, range.lastDay), rates),
      breakdown:
        dim && groups
          ? {
              by: dim as Exclude<CartDimension, 'none'>,
              key: needsKey ? (q.breakdown_key ?? null) : null,
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
    return c.json({ ...body, ...explained(trace) });
  });

  app.get('/api/v1/sites/:siteId/carts/abandoned', auth, share, async (c) => {
    const site = c.req.param('siteId');
    const q = readQuery(c, cartListQuerySchema);
    const range = await readRange(store, site, q, {
      maxDays: CART_RANGE_DAYS,
      siteTz: registry.timeZoneOf(site),
    });
    const scope = scopeOf(range, q);
    const db = reportStore(c, store);
    const trace = traceIf(q.explain);
    // A download holds every cart unless the caller pages it: `limit` given, or over the cap.
    const whole = q.format === 'csv' && c.req.query('limit') === undefined;
    const rows = await listCarts(db, scope, whole ? { ...q, limit: CART_CSV_MAX_ROWS } : q, trace);
    const carts = rows.map((r) => toCart(r));
    if (q.format === 'csv') {
      const total = rows[0]?.total ?? 0;
      c.header('Content-Type', 'text/csv; charset=utf-8');
      c.header('Content-Disposition', `attachment; filename="carts-${q.status}.csv"`);
      c.header('X-Total-Count', String(total));
      const next = q.offset + carts.length;
      if (carts.length > 0 && next < total) c.header('Link', `<${nextPage(c.req.url, next)}>; rel="next"`);
      return c.body(cartsCsv(carts));
    }
    const rates = await readCurrencyRates(store, site);
    const body: CartListResponse = {
      site_id: site,
      ...head(range, scope),
      status: q.status,
      sort: q.sort,
      order: q.order,
      limit: q.limit,
      offset: q.offset,
      total: rows[0]?.total ?? (q.offset === 0 ? 0 : null),
      carts: carts.map((k) => ({ ...k, reporting: cartRowReporting(k, rates) })),
    };
    return c.json({ ...body, ...explained(trace) });
  });

  return app;
}

/**
 * Rows of a carts CSV when the request names no `limit`: the whole list, up to this many; past it
 * (and whenever `limit` is given) `X-Total-Count` and a `Link: <…>; rel="next"` say what is left.
 */
export const CART_CSV_MAX_ROWS = 100_000;

/** The same request from `offset` on. */
function nextPage(url: string, offset: number): string {
  const u = new URL(url);
  u.searchParams.set('offset', String(offset));
  return `${u.pathname}${u.search}`;
}

export const CART_CSV_COLUMNS = [
  'cart_id',
  'visitor_id',
  'user_id',
  'status',
  'value',
  'currency',
  'stage',
  'stage_reached',
  'items',
  'created_at',
  'last_activity_at',
  'abandoned_at',
  'order_id',
  'order_revenue',
  'order_currency',
] as const;

/**
 * Carts as CSV (RFC 4180 by csv-stringify): items as JSON text in their cell; text a spreadsheet
 * would run as a formula is prefixed with `'` (names come from pages, anyone can write them).
 */
export function cartsCsv(carts: readonly CartView[]): string {
  const records = carts.map((k) => [
    k.cart_id,
    k.visitor_id,
    k.user_id,
    k.status,
    k.value,
    k.currency,
    k.stage,
    k.stage_reached,
    JSON.stringify(k.items),
    k.created_at,
    k.last_activity_at,
    k.abandoned_at ?? '',
    k.order?.order_id ?? '',
    k.order?.revenue ?? '',
    k.order?.currency ?? '',
  ]);
  return stringify([[...CART_CSV_COLUMNS], ...records], { escape_formulas: true });
}
