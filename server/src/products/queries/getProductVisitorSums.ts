import { z } from 'zod';
import type { Store } from '../../clickhouse/client.ts';
import { defineQuery, type Query, runQuery, type Trace } from '../../clickhouse/query.ts';
import { count, SITE_RANGE, type SiteRange, siteRangeValues } from '../../sql/range.ts';
import {
  ITEM_EVENTS,
  PRODUCT_DIMENSION_NAMES,
  PRODUCT_DIMENSIONS,
  type ProductDimension,
  productShape,
} from '../products-sql.ts';

/** The latest non-empty value of a field: (ts ms, the value), the greatest value within a millisecond; (0, '') when none. */
const latest = z.tuple([count, z.string()]);
export type LatestField = z.infer<typeof latest>;

const row = z.object({
  item_id: z.string(),
  grp: z.string(),
  views: count,
  carts: count,
  buyers: count,
  viewed_carted: count,
  carted_bought: count,
  name: latest,
  category: latest,
  variant: latest,
});
export type ProductVisitorRow = z.infer<typeof row>;
const params = z.object(productShape);

/**
 * Per item id and breakdown value (each event's own): the visitors who viewed it (view_item),
 * added it (add_to_cart), bought it (purchase with an order_id), both viewed and added, both
 * added and bought; and per text field its latest non-empty value. Unit: visitor (a non-empty
 * visitor id), counted once per item and value: the inner GROUP BY makes each (item, value,
 * visitor) one row, so no per-event hash set is kept. Reads the item-bearing events only
 * (`ITEM_EVENTS`), and no event id: "latest" is by time, ties by the value itself (a tuple of
 * (ms, event id, line) made every line carry the event's id, 3× the baseline's time). One
 * constant SQL text per breakdown.
 */
const queries = Object.fromEntries(
  PRODUCT_DIMENSION_NAMES.map((dim) => {
    const field = (i: number) => `maxIf((ms, tupleElement(line, ${i})), tupleElement(line, ${i}) != '')`;
    return [
      dim,
      defineQuery({
        name: 'getProductVisitorSums',
        sql: `
SELECT
  item_id,
  grp,
  countIf(viewed AND visitor_id != '') AS views,
  countIf(carted AND visitor_id != '') AS carts,
  countIf(bought AND visitor_id != '') AS buyers,
  countIf(viewed AND carted AND visitor_id != '') AS viewed_carted,
  countIf(carted AND bought AND visitor_id != '') AS carted_bought,
  max(name_at) AS name,
  max(category_at) AS category,
  max(variant_at) AS variant
FROM
(
  SELECT
    tupleElement(line, 1) AS item_id,
    grp,
    visitor_id,
    max(type = 'view_item') AS viewed,
    max(type = 'add_to_cart') AS carted,
    max(type = 'purchase' AND order_id != '') AS bought,
    ${field(2)} AS name_at,
    ${field(5)} AS category_at,
    ${field(6)} AS variant_at
  FROM
  (
    SELECT type, order_id, visitor_id, toUnixTimestamp64Milli(ts) AS ms, items,
      toString(${PRODUCT_DIMENSIONS[dim].col}) AS grp
    FROM {db:Identifier}.events_v1
    WHERE ${SITE_RANGE}
      AND ${ITEM_EVENTS}
  )
  ARRAY JOIN items AS line
  GROUP BY item_id, grp, visitor_id
)
GROUP BY item_id, grp
ORDER BY item_id, grp`,
        params,
        row,
      }),
    ];
  }),
) as Record<ProductDimension, Query<z.infer<typeof params>, ProductVisitorRow>>;

export function getProductVisitorSums(
  store: Store,
  r: SiteRange,
  dim: ProductDimension,
  dimKey: string,
  trace?: Trace,
): Promise<ProductVisitorRow[]> {
  return runQuery(store, queries[dim], { ...siteRangeValues(r), dim_key: dimKey }, trace);
}
