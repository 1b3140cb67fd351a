import { z } from 'zod';
import type { Store } from '../../clickhouse/client.ts';
import { defineQuery, type Query, runQuery, type Trace } from '../../clickhouse/query.ts';
import { count, SITE_RANGE, type SiteRange, siteRangeValues } from '../../sql/range.ts';
import {
  firstValueSql,
  ORDER_ITEMS_RANK,
  PRODUCT_DIMENSION_NAMES,
  type ProductDimension,
  productShape,
} from '../products-sql.ts';

const row = z.object({
  item_id: z.string(),
  grp: z.string(),
  currency: z.string(),
  purchases: count,
  quantity: count,
  revenue: count,
});
export type ProductOrderRow = z.infer<typeof row>;
const params = z.object(productShape);

/**
 * Per item id, breakdown value and currency: the orders listing it, Σ quantity and Σ price ×
 * quantity of its lines (exact, in Decimal128). An order (one per order_id, its purchase events
 * in the range) takes the items and currency of its purchase event with items ranked first by
 * `ORDER_ITEMS_RANK`, and the breakdown value of its first purchase event. Unit: order, counted
 * once per item: its lines are summed per item first. One constant SQL text per breakdown.
 */
const queries = Object.fromEntries(
  PRODUCT_DIMENSION_NAMES.map((dim) => [
    dim,
    defineQuery({
      name: 'getProductOrderSums',
      sql: `
SELECT
  item_id,
  grp,
  order_currency AS currency,
  count() AS purchases,
  sum(line_quantity) AS quantity,
  toFloat64(sum(line_revenue)) AS revenue
FROM
(
  SELECT
    order_id,
    grp,
    order_currency,
    tupleElement(line, 1) AS item_id,
    sum(toUInt64(tupleElement(line, 4))) AS line_quantity,
    sum(toDecimal128(tupleElement(line, 3), 4) * tupleElement(line, 4)) AS line_revenue
  FROM
  (
    SELECT
      order_id,
      argMinIf(items, ${ORDER_ITEMS_RANK}, notEmpty(items)) AS lines,
      toString(argMinIf(currency, ${ORDER_ITEMS_RANK}, notEmpty(items))) AS order_currency,
      ${firstValueSql(dim)} AS grp
    FROM {db:Identifier}.events_v1
    WHERE ${SITE_RANGE}
      AND type = 'purchase'
      AND order_id != ''
    GROUP BY order_id
    HAVING notEmpty(lines)
  )
  ARRAY JOIN lines AS line
  GROUP BY order_id, grp, order_currency, item_id
)
GROUP BY item_id, grp, order_currency
ORDER BY item_id, grp, order_currency`,
      params,
      row,
    }),
  ]),
) as Record<ProductDimension, Query<z.infer<typeof params>, ProductOrderRow>>;

export function getProductOrderSums(
  store: Store,
  r: SiteRange,
  dim: ProductDimension,
  dimKey: string,
  trace?: Trace,
): Promise<ProductOrderRow[]> {
  return runQuery(store, queries[dim], { ...siteRangeValues(r), dim_key: dimKey }, trace);
}
