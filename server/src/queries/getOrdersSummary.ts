import { z } from 'zod';
import type { Store } from '../clickhouse/client.ts';
import { defineQuery, runQuery, type Trace } from '../clickhouse/query.ts';
import { sumMoney, sumMoneyIf } from '../sql/money.ts';
import { ORDER_FIGURE_RANK } from '../sql/orders.ts';
import { count, SITE_RANGE, type SiteRange, siteRangeShape, siteRangeValues } from '../sql/range.ts';
import { SEGMENT, type Segment, segmentShape, segmentValues } from '../sql/segment.ts';

/**
 * Orders of a site in a range, per currency. Unit: one order = one order_id, however many purchase
 * events (browser, server, import, retries) name it. An order's revenue and currency come from
 * one of its purchase events: a server or import one first (the payment system's figure), else
 * the browser's; among equals the first received, then the smaller amount (`sql/orders.ts`). browser_only = only the snippet reported it;
 * server_confirmed = the snippet and a server/import both did; server_only = the snippet never did.
 * In a segment: the orders with a purchase event in one of its sessions (server-only orders carry
 * no session, so a segment has none of them); every purchase event of such an order still counts.
 * Sums exact (`sql/money.ts`).
 */
const query = defineQuery({
  name: 'getOrdersSummary',
  sql: `
SELECT
  order_currency AS currency,
  count() AS orders,
  ${sumMoney('order_revenue')} AS revenue,
  countIf(from_browser AND NOT from_server) AS browser_only,
  ${sumMoneyIf('order_revenue', 'from_browser AND NOT from_server')} AS browser_only_revenue,
  countIf(from_browser AND from_server) AS server_confirmed,
  ${sumMoneyIf('order_revenue', 'from_browser AND from_server')} AS server_confirmed_revenue,
  countIf(NOT from_browser) AS server_only,
  ${sumMoneyIf('order_revenue', 'NOT from_browser')} AS server_only_revenue
FROM
(
  SELECT
    order_id,
    argMin(revenue, ${ORDER_FIGURE_RANK}) AS order_revenue,
    argMin(currency, ${ORDER_FIGURE_RANK}) AS order_currency,
    max(source = 'browser') AS from_browser,
    max(source != 'browser') AS from_server
  FROM {db:Identifier}.events_v1
  WHERE ${SITE_RANGE}
    AND type = 'purchase'
    AND order_id != ''
    AND ({seg_on:UInt8} = 0 OR order_id IN (
      SELECT order_id FROM {db:Identifier}.events_v1
      WHERE {seg_on:UInt8} = 1 AND ${SITE_RANGE} AND type = 'purchase' AND ${SEGMENT}
    ))
  GROUP BY order_id
)
GROUP BY order_currency
ORDER BY orders DESC, currency`,
  params: z.object({ ...siteRangeShape, ...segmentShape }),
  row: z.object({
    currency: z.string(),
    orders: count,
    revenue: count,
    browser_only: count,
    browser_only_revenue: count,
    server_confirmed: count,
    server_confirmed_revenue: count,
    server_only: count,
    server_only_revenue: count,
  }),
});

export type CurrencyOrdersRow = z.infer<typeof query.row>;

export function getOrdersSummary(
  store: Store,
  r: SiteRange,
  segment: Segment,
  trace?: Trace,
): Promise<CurrencyOrdersRow[]> {
  return runQuery(store, query, { ...siteRangeValues(r), ...segmentValues(segment) }, trace);
}
