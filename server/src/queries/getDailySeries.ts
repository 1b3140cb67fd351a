import { type Store, select } from '../clickhouse/client.ts';
import { type RangeParams, SITE_RANGE } from '../sql/range.ts';

/** Per calendar day in zone {tz}: distinct visitors, sessions, pageviews and events. Days without events are absent. */
const SQL = `
SELECT
  toString(toDate(ts, {tz:String})) AS day,
  uniqExact(visitor_id) AS visitors,
  uniqExact(session_id) AS sessions,
  uniqExactIf(event_id, source = 'browser', type = 'pageview') AS pageviews,
  uniqExact(event_id, source = 'browser') AS events
FROM {db:Identifier}.events_v1
WHERE ${SITE_RANGE}
GROUP BY day
ORDER BY day`;

export interface DayRow {
  day: string;
  visitors: number;
  sessions: number;
  pageviews: number;
  events: number;
}

export async function getDailySeries(store: Store, p: RangeParams): Promise<DayRow[]> {
  const rows = await select<Record<keyof DayRow, string | number>>(store, SQL, { ...p });
  return rows.map((r) => ({
    day: String(r.day),
    visitors: Number(r.visitors),
    sessions: Number(r.sessions),
    pageviews: Number(r.pageviews),
    events: Number(r.events),
  }));
}
