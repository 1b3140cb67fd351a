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
 * Every cart created in the range, one row each, with its folded state at `as_of` (rules in
 * `fold-sql.ts`). Unit: cart. For tests against the oracle and for `explain`; reports aggregate
 * the same fold in ClickHouse instead of shipping carts.
 */
const query = defineQuery({
  name: 'listCartStates',
  sql: `${cartStatesSql('none')}
ORDER BY created_ms, cart_id`,
  params: z.object(cartScopeShape),
  row: z.object({
    cart_id: z.string(),
    created_ms: count,
    last_ms: count,
    value: count,
    currency: z.string(),
    visitor_id: z.string(),
    user_id: z.string(),
    purchased_ms: count,
    abandoned_ms: count,
    order_id: z.string(),
    order_revenue: count,
    order_currency: z.string(),
    stage_rank: count,
    status: z.enum(CART_STATUSES),
  }),
});

export type CartStateRow = z.infer<typeof query.row>;

export function listCartStates(store: Store, s: CartScope, trace?: Trace): Promise<CartStateRow[]> {
  return runQuery(store, query, cartScopeValues(s), trace);
}
