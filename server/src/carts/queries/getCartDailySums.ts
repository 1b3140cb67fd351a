import { z } from 'zod';
import type { Store } from '../../clickhouse/client.ts';
import { defineQuery, runQuery, type Trace } from '../../clickhouse/query.ts';
import { count } from '../../sql/range.ts';
import {
  CART_STATUSES,
  type CartScope,
  cartScopeShape,
  cartScopeValues,
  cartStatesSql,
} from '../fold-sql.ts';

/**
 * Sufficient statistics of the abandonment report: carts created per calendar day in {tz},
 * status, stage reached before any purchase, purchased or not, cart currency and order currency,
 * with Σ cart value and Σ order revenue. Unit: cart (rules in `fold-sql.ts`).
 */
const query = defineQuery({
  name: 'getCartDailySums',
  sql: `
SELECT
  toString(toDate(fromUnixTimestamp64Milli(created_ms), {tz:String})) AS day,
  status,
  stage_rank,
  purchased_ms != 0 AS purchased,
  currency,
  order_currency,
  count() AS carts,
  sum(value) AS value,
  sum(order_revenue) AS order_revenue
FROM (${cartStatesSql('none')})
GROUP BY day, status, stage_rank, purchased, currency, order_currency
ORDER BY day, status, stage_rank, purchased, currency, order_currency`,
  params: z.object(cartScopeShape),
  row: z.object({
    day: z.string(),
    status: z.enum(CART_STATUSES),
    stage_rank: count,
    purchased: z.coerce.number().transform((n) => n === 1),
    currency: z.string(),
    order_currency: z.string(),
    carts: count,
    value: count,
    order_revenue: count,
  }),
});

export type CartDailySumsRow = z.infer<typeof query.row>;

export function getCartDailySums(store: Store, s: CartScope, trace?: Trace): Promise<CartDailySumsRow[]> {
  return runQuery(store, query, cartScopeValues(s), trace);
}
