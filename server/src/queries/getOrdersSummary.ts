import { type Store, select } from '../clickhouse/client.ts';
import { type RangeParams, SITE_RANGE } from '../sql/range.ts';

/**
 * Orders of a site in a range, per currency. Unit: one order = one order_id, however many purchase
 * events (browser, server, import, retries) name it. An order's revenue and currency come from
 * one of its purchase events: a server or import one first (the payment system's figure), else
 * the browser's; among equals the first stored. browser_only = only the snippet reported it;
 * server_confirmed = the snippet and a server/import both did; server_only = the snippet never did.
 */
const SQL = `
SELECT
  order_currency AS currency,
  count() AS orders,
  toFloat64(sum(order_revenue)) AS revenue,
  countIf(from_browser AND NOT from_server) AS browser_only,
  toFloat64(sumIf(order_revenue, from_browser AND NOT from_server)) AS browser_only_revenue,
  countIf(from_browser AND from_server) AS server_confirmed,
  toFloat64(sumIf(order_revenue, from_browser AND from_server)) AS server_confirmed_revenue,
  countIf(NOT from_browser) AS server_only,
  toFloat64(sumIf(order_revenue, NOT from_browser)) AS server_only_revenue
FROM
(
  SELECT
    order_id,
    argMin(revenue, (source = 'browser', received_at, event_id)) AS order_revenue,
    argMin(currency, (source = 'browser', received_at, event_id)) AS order_currency,
    max(source = 'browser') AS from_browser,
    max(source != 'browser') AS from_server
  FROM {db:Identifier}.events_v1
  WHERE ${SITE_RANGE}
    AND type = 'purchase'
    AND order_id != ''
  GROUP BY order_id
)
GROUP BY order_currency
ORDER BY orders DESC, currency`;

export interface CurrencyOrdersRow {
  currency: string;
  orders: number;
  revenue: number;
  browser_only: number;
  browser_only_revenue: number;
  server_confirmed: number;
  server_confirmed_revenue: number;
  server_only: number;
  server_only_revenue: number;
}

export async function getOrdersSummary(store: Store, p: RangeParams): Promise<CurrencyOrdersRow[]> {
  const rows = await select<Record<keyof CurrencyOrdersRow, string | number>>(store, SQL, { ...p });
  return rows.map((r) => {
    const out = { currency: String(r.currency) } as CurrencyOrdersRow;
    for (const [k, v] of Object.entries(r))
      if (k !== 'currency') (out as unknown as Record<string, number>)[k] = Number(v);
    return out;
  });
}
