import { z } from 'zod';
import { type CartScope, cartScopeShape, cartScopeValues, cartStatesSql } from '../../carts/fold-sql.ts';
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

/** A line as (item id, signed quantity, signed price × quantity). */
const line = (sign: string) =>
  `i -> (tupleElement(i, 1), ${sign} * toInt64(tupleElement(i, 4)), ${sign} * (toDecimal128(tupleElement(i, 3), 4) * tupleElement(i, 4)))`;

/**
 * Per item id, breakdown value and cart currency: the abandoned carts (status abandoned or
 * recovered in the cart fold, `carts/fold-sql.ts`) holding it, and Σ its value there. A cart's
 * lines of an item: those of its latest snapshot, plus each add_to_cart's after it, minus each
 * remove_from_cart's after it; the item is held when their quantity is above 0, its value is
 * their Σ price × quantity, at least 0. Unit: cart. One constant SQL text per breakdown.
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
    cart_id,
    grp,
    currency,
    tupleElement(l, 1) AS item_id,
    sum(tupleElement(l, 2)) AS quantity,
    greatest(sum(tupleElement(l, 3)), toDecimal128(0, 4)) AS amount
  FROM
  (
    SELECT
      cart_id,
      dim AS grp,
      currency,
      arrayConcat(
        arrayMap(${line('1')}, snap_items),
        arrayFlatten(arrayMap(
          x -> arrayMap(${line('if(x.2, 1, -1)')}, x.3),
          arrayFilter(x -> x.1 > snap_key, item_deltas)))) AS lines
    FROM (${cartStatesSql(dim, true)})
    WHERE status IN ('abandoned', 'recovered')
  )
  ARRAY JOIN lines AS l
  GROUP BY cart_id, grp, currency, item_id
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
