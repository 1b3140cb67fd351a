import { z } from 'zod';
import type { Store } from '../../clickhouse/client.ts';
import { defineQuery, type Query, runQuery, type Trace } from '../../clickhouse/query.ts';
import { count } from '../../sql/range.ts';
import {
  CART_DIMENSIONS,
  CART_STATUSES,
  type CartDimension,
  type CartScope,
  cartScopeShape,
  cartScopeValues,
  cartStatesSql,
} from '../fold-sql.ts';

/**
 * Sufficient statistics of the abandonment breakdown: per value of one dimension at the cart's
 * creation (`fold-sql.ts`; a variant is the first assignment seen on the cart), status,
 * purchased or not and currencies, the carts, Σ value and Σ order revenue. Unit: cart. One constant SQL text per
 * dimension of the allow-list; the property or experiment key is a bound value.
 */
const row = z.object({
  dim: z.string(),
  status: z.enum(CART_STATUSES),
  purchased: z.coerce.number().transform((n) => n === 1),
  currency: z.string(),
  order_currency: z.string(),
  carts: count,
  value: count,
  order_revenue: count,
});

export type CartGroupSumsRow = z.infer<typeof row>;

const queries = Object.fromEntries(
  (Object.keys(CART_DIMENSIONS) as CartDimension[]).map((dim) => [
    dim,
    defineQuery({
      name: 'getCartGroupSums',
      sql: `
SELECT dim, status, purchased_ms != 0 AS purchased, currency, order_currency, count() AS carts, sum(value) AS value, sum(order_revenue) AS order_revenue
FROM (${cartStatesSql(dim)})
GROUP BY dim, status, purchased, currency, order_currency
ORDER BY dim, status, purchased, currency, order_currency`,
      params: z.object(cartScopeShape),
      row,
    }),
  ]),
) as Record<CartDimension, Query<z.infer<z.ZodObject<typeof cartScopeShape>>, CartGroupSumsRow>>;

export function getCartGroupSums(
  store: Store,
  s: CartScope,
  dim: CartDimension,
  key: string,
  trace?: Trace,
): Promise<CartGroupSumsRow[]> {
  return runQuery(store, queries[dim], cartScopeValues(s, key), trace);
}
