import { z } from 'zod';
import type { Store } from '../clickhouse/client.ts';
import { defineQuery, runQuery, type Trace } from '../clickhouse/query.ts';
import { sumMoney, sumMoneyIf } from '../sql/money.ts';
import { ORDER_FIGURE_RANK } from '../sql/orders.ts';
import {
  count,
  HOUR_RANGE,
  SITE_RANGE,
  type SiteRange,
  siteRangeShape,
  siteRangeValues,
} from '../sql/range.ts';
import { type RollupSource, SEGMENT, segmentShape, segmentValues } from '../sql/segment.ts';

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
/** The orders of the range, one row each, from `where`; then summed per currency. */
const ordersSql = (where: string) => `
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
  WHERE ${where}
    AND type = 'purchase'
    AND order_id != ''
  GROUP BY order_id
)
GROUP BY order_currency
ORDER BY orders DESC, currency`;

const row = z.object({
  currency: z.string(),
  orders: count,
  revenue: count,
  browser_only: count,
  browser_only_revenue: count,
  server_confirmed: count,
  server_confirmed_revenue: count,
  server_only: count,
  server_only_revenue: count,
});

/**
 * Two forms of one query, as the overview's (`rollupForm`). `events`: over events, with the
 * segment. `hours` (a range on whole hours, no segment): the same aggregates over the hour range,
 * which ClickHouse answers from the `orders_hourly` rollup of migration 018 (an order reported
 * in two hours merges its two states, as its events would).
 */
const queries = {
  events: defineQuery({
    name: 'getOrdersSummary',
    sql: ordersSql(`${SITE_RANGE}
    AND ({seg_on:UInt8} = 0 OR order_id IN (
      SELECT order_id FROM {db:Identifier}.events_v1
      WHERE {seg_on:UInt8} = 1 AND ${SITE_RANGE} AND type = 'purchase' AND ${SEGMENT}
    ))`),
    params: z.object({ ...siteRangeShape, ...segmentShape }),
    row,
  }),
  hours: defineQuery({
    name: 'getOrdersSummary',
    sql: ordersSql(HOUR_RANGE),
    params: z.object(siteRangeShape),
    row,
  }),
};

export type CurrencyOrdersRow = z.infer<typeof row>;

export function getOrdersSummary(
  store: Store,
  r: SiteRange,
  source: RollupSource,
  trace?: Trace,
): Promise<CurrencyOrdersRow[]> {
  return source.form === 'hours'
    ? runQuery(store, queries.hours, siteRangeValues(r), trace)
    : runQuery(store, queries.events, { ...siteRangeValues(r), ...segmentValues(source.segment) }, trace);
}
