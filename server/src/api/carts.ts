import { type CartView, cartAbandonmentQuerySchema, cartListQuerySchema } from '@funnelhouse/schemas';
import { stringify } from 'csv-stringify/sync';
import { Hono } from 'hono';
import { breakdownNeedsKey, runCartAbandonment, runCartList } from '../carts/run.ts';
import { explained, traceIf } from '../clickhouse/query.ts';
import type { Deps } from '../deps.ts';
import { ApiError } from '../errors.ts';
import { requireSiteKey } from '../sites/auth.ts';
import { readCurrencyRates } from '../sites/currency-rates.ts';
import { readQuery } from './body.ts';
import { readRange } from './range.ts';
import { reportStore, shareReports } from './report-shares.ts';

/** Cart reports cover at most a year, like funnels and experiments. */
const CART_RANGE_DAYS = 366;

/** `GET …/carts/abandonment` and `GET …/carts/abandoned` (secret API key). */
export function cartRoutes({ registry, store, shares }: Deps): Hono {
  const app = new Hono();
  // Reports run within their site's and key's share (`report-shares.ts`).
  const share = shareReports(shares);
  const auth = requireSiteKey(registry);

  app.get('/api/v1/sites/:siteId/carts/abandonment', auth, share, async (c) => {
    const site = c.req.param('siteId');
    const q = readQuery(c, cartAbandonmentQuerySchema);
    if (breakdownNeedsKey(q.breakdown) && q.breakdown_key === undefined) {
      const message = `breakdown=${q.breakdown} needs breakdown_key (the ${q.breakdown === 'variant' ? 'experiment' : 'property'} key)`;
      throw new ApiError('invalid_query', message, [{ path: 'breakdown_key', code: 'required', message }]);
    }
    const range = await readRange(store, site, q, {
      maxDays: CART_RANGE_DAYS,
      siteTz: registry.timeZoneOf(site),
    });
    const trace = traceIf(q.explain);
    const rates = await readCurrencyRates(store, site);
    const body = await runCartAbandonment(reportStore(c, store), range, { ...q, rates }, trace);
    return c.json({ ...body, ...explained(trace) });
  });

  app.get('/api/v1/sites/:siteId/carts/abandoned', auth, share, async (c) => {
    const site = c.req.param('siteId');
    const q = readQuery(c, cartListQuerySchema);
    const range = await readRange(store, site, q, {
      maxDays: CART_RANGE_DAYS,
      siteTz: registry.timeZoneOf(site),
    });
    const trace = traceIf(q.explain);
    const csv = q.format === 'csv';
    // A download holds every cart unless the caller pages it: `limit` given, or over the cap.
    const whole = csv && c.req.query('limit') === undefined;
    const rates = csv ? undefined : await readCurrencyRates(store, site);
    const page = whole ? { ...q, limit: CART_CSV_MAX_ROWS } : q;
    const body = await runCartList(reportStore(c, store), range, { ...page, rates }, trace);
    if (csv) {
      const total = body.total ?? 0;
      c.header('Content-Type', 'text/csv; charset=utf-8');
      c.header('Content-Disposition', `attachment; filename="carts-${q.status}.csv"`);
      c.header('X-Total-Count', String(total));
      const next = q.offset + body.carts.length;
      if (body.carts.length > 0 && next < total)
        c.header('Link', `<${nextPage(c.req.url, next)}>; rel="next"`);
      return c.body(cartsCsv(body.carts));
    }
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
export function nextPage(url: string, offset: number): string {
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
