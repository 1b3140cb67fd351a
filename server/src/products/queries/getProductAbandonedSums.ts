import { z } from 'zod';
import {
  CART_READ,
  CART_TYPES_IN,
  type CartScope,
  cartScopeShape,
  cartScopeValues,
  cartStatesSql,
  ORDER_KEY,
} from '../../carts/fold-sql.ts';
import type { Store } from '../../clickhouse/client.ts';
import { defineQuery, type Query, runQuery, type Trace } from '../../clickhouse/query.ts';
import { count } from '../../sql/range.ts';
import { PRODUCT_DIMENSION_NAMES, type ProductDimension } from '../products-sql.ts';

const row = z.object({
  item_id: z.string(),
  grp: z.string(),
  currency: z.string(),
  abandoned_carts: count,
  abandoned_value: count,
});
export type ProductAbandonedRow = z.infer<typeof row>;
const params = z.object(cartScopeShape);

/**
 * Per item id, breakdown value and cart currency: the abandoned carts (status abandoned or
 * recovered in the cart fold, `carts/fold-sql.ts`) holding it, and Σ its value there. A cart's
 * lines of an item: those of its latest snapshot, plus each add_to_cart's after it, minus each
 * remove_from_cart's after it, all at or before its purchase; the item is held when their
 * quantity is above 0, its value is their Σ price × quantity, at least 0. Unit: cart.
 *
 * Two steps, so that only the abandoned carts' items are read: the fold without items (as the
 * cart reports run it) names the abandoned carts with their latest snapshot's key (`''` without
 * one, below every key) and purchase time, then their cart events from that key on are read
 * again with their lines. Folding every cart's items took 2–4× as long (`pnpm bench reports`).
 * One constant SQL text per breakdown.
 */
const queries = Object.fromEntries(
  PRODUCT_DIMENSION_NAMES.map((dim) => [
    dim,
    defineQuery({
      name: 'getProductAbandonedSums',
      sql: `
SELECT
  item_id,
  grp,
  currency,
  count() AS abandoned_carts,
  toFloat64(sum(amount)) AS abandoned_value
FROM
(
  SELECT
    e.cart_id AS cart_id,
    any(a.dim) AS grp,
    any(a.currency) AS currency,
    tupleElement(line, 1) AS item_id,
    sum(e.sign * toInt64(tupleElement(line, 4))) AS quantity,
    greatest(sum(e.sign * (toDecimal128(tupleElement(line, 3), 4) * tupleElement(line, 4))), toDecimal128(0, 4)) AS amount
  FROM
  (
    SELECT cart_id, ${ORDER_KEY} AS k, toUnixTimestamp64Milli(ts) AS ms,
      if(type = 'remove_from_cart', -1, 1) AS sign, items
    FROM {db:Identifier}.events_v1
    WHERE ${CART_READ}
      AND cart_id != ''
      AND ${CART_TYPES_IN}
      AND notEmpty(items)
  ) AS e
  INNER JOIN
  (
    SELECT cart_id, dim, currency, snap_key, purchased_ms
    FROM (${cartStatesSql(dim)})
    WHERE status IN ('abandoned', 'recovered')
  ) AS a ON e.cart_id = a.cart_id
  ARRAY JOIN e.items AS line
  WHERE e.k >= a.snap_key
    AND (a.purchased_ms = 0 OR e.ms <= a.purchased_ms)
  GROUP BY cart_id, item_id
  HAVING quantity > 0
)
GROUP BY item_id, grp, currency
ORDER BY item_id, grp, currency`,
      params,
      row,
    }),
  ]),
) as Record<ProductDimension, Query<z.infer<typeof params>, ProductAbandonedRow>>;

export function getProductAbandonedSums(
  store: Store,
  scope: CartScope,
  dim: ProductDimension,
  dimKey: string,
  trace?: Trace,
): Promise<ProductAbandonedRow[]> {
  return runQuery(store, queries[dim], cartScopeValues(scope, dimKey), trace);
}
