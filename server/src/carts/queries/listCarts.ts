import { z } from 'zod';
import type { Store } from '../../clickhouse/client.ts';
import { defineQuery, type Query, runQuery, type Trace } from '../../clickhouse/query.ts';
import { count } from '../../sql/range.ts';
import { type CartScope, cartScopeShape, cartScopeValues, cartStatesSql } from '../fold-sql.ts';

/** Sort keys of the cart list (allow-list: each is a column of the fold). */
export const CART_SORTS = { value: 'value', last_activity: 'last_ms', created: 'created_ms' } as const;
export type CartSort = keyof typeof CART_SORTS;
export type SortOrder = 'asc' | 'desc';

const item = z.object({
  id: z.string(),
  name: z.string(),
  price: z.coerce.number(),
  quantity: z.coerce.number(),
  category: z.string(),
  variant: z.string(),
});
export type CartItemRow = z.infer<typeof item>;

const row = z.object({
  cart_id: z.string(),
  visitor_id: z.string(),
  user_id: z.string(),
  value: count,
  currency: z.string(),
  stage_rank: count,
  status: z.string(),
  created_ms: count,
  last_ms: count,
  purchased_ms: count,
  abandoned_ms: count,
  order_id: z.string(),
  order_revenue: count,
  order_currency: z.string(),
  snap_items: z.array(item),
  added: z.array(z.array(item)),
  removed: z.array(z.array(item)),
  total: count,
});
export type CartListRow = z.infer<typeof row>;

const shape = { ...cartScopeShape, status: z.string(), limit: z.number().int(), offset: z.number().int() };

/**
 * One page of the carts of one status created in the range (rules in `fold-sql.ts`), sorted by
 * an allow-listed key (ties by cart id), with the latest snapshot's items and the items added and
 * removed after it (merged into lines by `carts/shape.ts`), and `total` = carts of that status.
 * Unit: cart.
 */
const queries = Object.fromEntries(
  (Object.keys(CART_SORTS) as CartSort[]).flatMap((sort) =>
    (['asc', 'desc'] as const).map((dir) => [
      `${sort}_${dir}`,
      defineQuery({
        name: 'listCarts',
        sql: `
SELECT
  cart_id, visitor_id, user_id, value, currency, stage_rank, status, created_ms, last_ms,
  purchased_ms, abandoned_ms, order_id, order_revenue, order_currency, snap_items,
  arrayMap(x -> x.3, arrayFilter(x -> x.1 > snap_key AND x.2, item_deltas)) AS added,
  arrayMap(x -> x.3, arrayFilter(x -> x.1 > snap_key AND NOT x.2, item_deltas)) AS removed,
  count() OVER () AS total
FROM (${cartStatesSql('none', true)})
WHERE status = {status:String}
ORDER BY ${CART_SORTS[sort]} ${dir.toUpperCase()}, cart_id
LIMIT {limit:UInt32} OFFSET {offset:UInt32}`,
        params: z.object(shape),
        row,
      }),
    ]),
  ),
) as Record<string, Query<z.infer<z.ZodObject<typeof shape>>, CartListRow>>;

export function listCarts(
  store: Store,
  s: CartScope,
  page: { status: string; sort: CartSort; order: SortOrder; limit: number; offset: number },
  trace?: Trace,
): Promise<CartListRow[]> {
  const q = queries[`${page.sort}_${page.order}`] as (typeof queries)[string];
  return runQuery(
    store,
    q,
    { ...cartScopeValues(s), status: page.status, limit: page.limit, offset: page.offset },
    trace,
  );
}
