import { type Store, select } from '../clickhouse/client.ts';

/**
 * One page of a site's raw events with ts in [{after_ts}, {before_ts}) that sort after the cursor
 * ({after_ts}, {after_id}), in (ts, event_id) order, each (ts, event_id) once. Unit: one row per
 * event. Callers keep the window within one UTC day so that `toDate(ts)` in the primary key
 * bounds what each page reads.
 */
const SQL = `
SELECT
  event_id, type, name,
  toUnixTimestamp64Milli(ts) AS ts_ms,
  toUnixTimestamp64Milli(received_at) AS received_ms,
  source, visitor_id, session_id, user_id, url, host, path, title, referrer, referrer_host,
  channel, utm_source, utm_medium, utm_campaign, utm_term, utm_content, click_id_kind,
  browser, browser_version, os, device, country,
  el_tag, el_id, el_classes, el_selector, el_text, el_href, form_id, form_name, form_fields,
  cart_id, order_id, toFloat64(revenue) AS revenue, currency, items, experiments, props
FROM {db:Identifier}.events_v1
WHERE site_id = {site:String}
  AND ts >= fromUnixTimestamp64Milli({after_ts:Int64}, 'UTC')
  AND ts < fromUnixTimestamp64Milli({before_ts:Int64}, 'UTC')
  AND (ts, event_id) > (fromUnixTimestamp64Milli({after_ts:Int64}, 'UTC'), {after_id:String})
ORDER BY ts, event_id
LIMIT 1 BY ts, event_id
LIMIT {limit:UInt32}`;

/** A stored event as read back; `ts_ms` and `received_ms` are epoch milliseconds. */
export type EventPageRow = Record<string, unknown> & { event_id: string; ts_ms: number; received_ms: number };

export async function listEventsPage(
  store: Store,
  p: { site: string; afterTs: number; afterId: string; beforeTs: number; limit: number },
): Promise<EventPageRow[]> {
  const rows = await select<EventPageRow>(store, SQL, {
    site: p.site,
    after_ts: p.afterTs,
    after_id: p.afterId,
    before_ts: p.beforeTs,
    limit: p.limit,
  });
  for (const r of rows) {
    r.ts_ms = Number(r.ts_ms);
    r.received_ms = Number(r.received_ms);
  }
  return rows;
}
