import { type Store, select } from '../clickhouse/client.ts';
import { type RangeParams, SITE_RANGE } from '../sql/range.ts';

/** Event types and names (custom names, click names, experiment keys) seen in a range, with distinct events each. */
const SQL = `
SELECT type, name, uniqExact(event_id, source = 'browser') AS events
FROM {db:Identifier}.events_v1
WHERE ${SITE_RANGE}
GROUP BY type, name
ORDER BY events DESC, type, name
LIMIT 500`;

export interface EventNameRow {
  type: string;
  name: string;
  events: number;
}

export async function listEventNames(store: Store, p: RangeParams): Promise<EventNameRow[]> {
  const rows = await select<EventNameRow>(store, SQL, { ...p });
  return rows.map((r) => ({ type: r.type, name: r.name, events: Number(r.events) }));
}
