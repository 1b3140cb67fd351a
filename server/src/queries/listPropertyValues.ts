import { type Store, select } from '../clickhouse/client.ts';
import { type RangeParams, SITE_RANGE } from '../sql/range.ts';

/** Free property keys seen in a range with their most common values; distinct events per value. At most {limit} values per key. */
const SQL = `
SELECT k AS key, props[k] AS value, uniqExact(event_id, source = 'browser') AS events
FROM {db:Identifier}.events_v1
ARRAY JOIN mapKeys(props) AS k
WHERE ${SITE_RANGE}
GROUP BY key, value
ORDER BY key, events DESC, value
LIMIT {limit:UInt32} BY key
LIMIT 5000`;

export interface PropertyValueRow {
  key: string;
  value: string;
  events: number;
}

export async function listPropertyValues(
  store: Store,
  p: RangeParams & { limit: number },
): Promise<PropertyValueRow[]> {
  const rows = await select<PropertyValueRow>(store, SQL, { ...p });
  return rows.map((r) => ({ key: r.key, value: r.value, events: Number(r.events) }));
}
