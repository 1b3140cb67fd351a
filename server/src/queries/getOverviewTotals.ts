import { type Store, select } from '../clickhouse/client.ts';
import { type RangeParams, SITE_RANGE } from '../sql/range.ts';

/** Distinct visitors, sessions, pageviews and events of a site in a range. Each event id counts once. */
const SQL = `
SELECT
  uniqExact(visitor_id) AS visitors,
  uniqExact(session_id) AS sessions,
  uniqExactIf(event_id, source = 'browser', type = 'pageview') AS pageviews,
  uniqExact(event_id, source = 'browser') AS events
FROM {db:Identifier}.events_v1
WHERE ${SITE_RANGE}`;

export interface Totals {
  visitors: number;
  sessions: number;
  pageviews: number;
  events: number;
}

export async function getOverviewTotals(store: Store, p: RangeParams): Promise<Totals> {
  const [r] = await select<Record<keyof Totals, string | number>>(store, SQL, { ...p });
  return {
    visitors: Number(r?.visitors ?? 0),
    sessions: Number(r?.sessions ?? 0),
    pageviews: Number(r?.pageviews ?? 0),
    events: Number(r?.events ?? 0),
  };
}
