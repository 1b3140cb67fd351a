/**
 * Answers the products report: per item the abandoned carts' sums, the visitors' sums and the
 * orders' sums (three queries over the same range), then the pure shaping (`shape.ts`): merged,
 * converted at the site's rates, sorted and paged.
 */
import {
  type CurrencyRates,
  PRODUCT_CART_TIMEOUT_S,
  PRODUCT_CART_WINDOW_S,
  type ProductsQuery,
  type ProductsResponse,
} from '@funnelhouse/schemas';
import type { Store } from '../clickhouse/client.ts';
import type { Trace } from '../clickhouse/query.ts';
import type { ReportRange } from '../sql/range.ts';
import type { ProductDimension } from './products-sql.ts';
import { getProductAbandonedSums } from './queries/getProductAbandonedSums.ts';
import { getProductOrderSums } from './queries/getProductOrderSums.ts';
import { getProductVisitorSums } from './queries/getProductVisitorSums.ts';
import { productRows, sortProducts } from './shape.ts';

/** The question as the route read it, with the site's rates and the moment carts are seen from. */
export type ProductsQuestion = Pick<
  ProductsQuery,
  'breakdown' | 'breakdown_key' | 'sort' | 'order' | 'limit' | 'offset'
> & { rates: CurrencyRates | undefined; asOfMs: number };

export async function runProducts(
  store: Store,
  range: ReportRange,
  q: ProductsQuestion,
  trace?: Trace,
): Promise<ProductsResponse> {
  const dim: ProductDimension = q.breakdown ?? 'none';
  const key = q.breakdown === 'variant' ? (q.breakdown_key ?? '') : '';
  const scope = {
    range,
    asOfMs: q.asOfMs,
    timeoutMs: PRODUCT_CART_TIMEOUT_S * 1000,
    windowMs: PRODUCT_CART_WINDOW_S * 1000,
  };
  // At once, on the site's two report connections: the cart fold (the longest) on one, the
  // visitors' and the orders' sums after each other on the other.
  const [abandoned, [visitors, orders]] = await Promise.all([
    getProductAbandonedSums(store, scope, dim, key, trace),
    getProductVisitorSums(store, range, dim, key, trace).then(
      async (v) => [v, await getProductOrderSums(store, range, dim, key, trace)] as const,
    ),
  ]);
  const rows = productRows(visitors, orders, abandoned, { breakdown: dim !== 'none', rates: q.rates });
  return {
    site_id: range.site,
    from: range.from,
    to: range.to,
    tz: range.tz,
    as_of: new Date(q.asOfMs).toISOString(),
    breakdown: q.breakdown ? { by: q.breakdown, key: q.breakdown === 'variant' ? key : null } : null,
    sort: q.sort,
    order: q.order,
    total: rows.length,
    limit: q.limit,
    offset: q.offset,
    rows: sortProducts(rows, q.sort, q.order).slice(q.offset, q.offset + q.limit),
  };
}
