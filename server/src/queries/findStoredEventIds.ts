import { type Store, select } from '../clickhouse/client.ts';

/**
 * Which of {ids} a site already has stored on the UTC days {days}. Unit: event id. The day list
 * lets the primary key (site_id, toDate(ts), …) prune to the days the batch touches, so the check
 * stays cheap however large the table grows; a re-sent event has the same `ts`, hence the same day.
 */
const SQL = `
SELECT DISTINCT event_id
FROM {db:Identifier}.events_v1
WHERE site_id = {site:String}
  AND toDate(ts) IN {days:Array(Date)}
  AND event_id IN {ids:Array(String)}`;

export async function findStoredEventIds(
  store: Store,
  p: { site: string; days: string[]; ids: string[] },
): Promise<Set<string>> {
  if (p.ids.length === 0) return new Set();
  const rows = await select<{ event_id: string }>(store, SQL, { ...p });
  return new Set(rows.map((r) => r.event_id));
}
