import { type ProductRow, productsQuerySchema } from '@funnelhouse/schemas';
import { stringify } from 'csv-stringify/sync';
import { Hono } from 'hono';
import { explained, traceIf } from '../clickhouse/query.ts';
import type { Deps } from '../deps.ts';
import { ApiError } from '../errors.ts';
import { runProducts } from '../products/run.ts';
import { requireSiteKey } from '../sites/auth.ts';
import { readCurrencyRates } from '../sites/currency-rates.ts';
import { readQuery } from './body.ts';
import { nextPage } from './carts.ts';
import { readRange } from './range.ts';
import { reportStore, shareReports } from './report-shares.ts';

/** The products report covers at most a year, like the cart reports. */
const PRODUCTS_RANGE_DAYS = 366;

/**
 * Rows of a products CSV when the request names no `limit`: every row, up to this many; past it
 * (and whenever `limit` is given) `X-Total-Count` and a `Link: <…>; rel="next"` say what is left.
 */
export const PRODUCTS_CSV_MAX_ROWS = 100_000;

/** `GET …/products` (secret API key): per item views, carts, orders, revenue and abandoned value. */
export function productRoutes({ registry, store, shares }: Deps): Hono {
  const app = new Hono();
  app.get('/api/v1/sites/:siteId/products', requireSiteKey(registry), shareReports(shares), async (c) => {
    const site = c.req.param('siteId');
    const q = readQuery(c, productsQuerySchema);
    if (q.breakdown === 'variant' && q.breakdown_key === undefined) {
      const message = 'breakdown=variant needs breakdown_key (the experiment key)';
      throw new ApiError('invalid_query', message, [{ path: 'breakdown_key', code: 'required', message }]);
    }
    const range = await readRange(store, site, q, {
      maxDays: PRODUCTS_RANGE_DAYS,
      siteTz: registry.timeZoneOf(site),
    });
    const trace = traceIf(q.explain);
    const csv = q.format === 'csv';
    // A download holds every row unless the caller pages it: `limit` given, or over the cap.
    const limit = csv && c.req.query('limit') === undefined ? PRODUCTS_CSV_MAX_ROWS : q.limit;
    const rates = await readCurrencyRates(store, site);
    const body = await runProducts(
      reportStore(c, store),
      range,
      { ...q, limit, rates, asOfMs: Date.now() },
      trace,
    );
    if (!csv) return c.json({ ...body, ...explained(trace) });
    c.header('Content-Type', 'text/csv; charset=utf-8');
    c.header('Content-Disposition', 'attachment; filename="products.csv"');
    c.header('X-Total-Count', String(body.total));
    const next = q.offset + body.rows.length;
    if (body.rows.length > 0 && next < body.total)
      c.header('Link', `<${nextPage(c.req.url, next)}>; rel="next"`);
    return c.body(productsCsv(body.rows));
  });
  return app;
}

export const PRODUCTS_CSV_COLUMNS = [
  'item_id',
  'name',
  'category',
  'variant',
  'value',
  'views',
  'carts',
  'buyers',
  'view_to_cart',
  'cart_to_purchase',
  'purchases',
  'quantity',
  'abandoned_carts',
  'by_currency',
  'reporting_currency',
  'reporting_revenue',
  'reporting_average_price',
  'reporting_abandoned_value',
] as const;

/**
 * Rows as CSV (RFC 4180 by csv-stringify): the money per currency as JSON text in one cell, the
 * reporting currency's figures in their own columns (empty without rates); text a spreadsheet
 * would run as a formula is prefixed with `'` (item names come from pages, anyone can write them).
 */
export function productsCsv(rows: readonly ProductRow[]): string {
  const records = rows.map((r) => [
    r.item_id,
    r.name,
    r.category,
    r.variant,
    r.value ?? '',
    r.views,
    r.carts,
    r.buyers,
    r.view_to_cart?.rate ?? '',
    r.cart_to_purchase?.rate ?? '',
    r.purchases,
    r.quantity,
    r.abandoned_carts,
    JSON.stringify(r.by_currency),
    r.reporting?.currency ?? '',
    r.reporting?.revenue ?? '',
    r.reporting?.average_price ?? '',
    r.reporting?.abandoned_value ?? '',
  ]);
  return stringify([[...PRODUCTS_CSV_COLUMNS], ...records], { escape_formulas: true });
}
