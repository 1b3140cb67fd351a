import { type Store, select } from '../clickhouse/client.ts';
import { type RangeParams, SITE_RANGE } from '../sql/range.ts';

/** Distinct events per event type of a site in a range. Unit: event id. */
const SQL = `
SELECT type, uniqExact(event_id, source = 'browser') AS events
FROM {db:Identifier}.events_v1
WHERE ${SITE_RANGE}
GROUP BY type
ORDER BY events DESC, type`;

export async function countEventsByType(store: Store, p: RangeParams): Promise<Record<string, number>> {
  const rows = await select<{ type: string; events: string | number }>(store, SQL, { ...p });
  return Object.fromEntries(rows.map((r) => [r.type, Number(r.events)]));
}
