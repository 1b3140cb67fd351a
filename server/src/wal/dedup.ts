import type { Store } from '../clickhouse/client.ts';
import type { EventRow } from '../enrich/row.ts';
import { listStoredEventIds } from '../queries/listStoredEventIds.ts';
import { idKey, rowIdKey } from './id-space.ts';

/** Keeps the first row of each (site, id space, event id) in log order. */
export function firstInBatch(rows: readonly EventRow[]): EventRow[] {
  const seen = new Set<string>();
  return rows.filter((r) => {
    const k = rowIdKey(r);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/**
 * First stored version wins, within each id space (`id-space.ts`): of `rows` (in spool order),
 * keeps the first of each id and drops ids the site already has in that space. One process
 * flushes a spool at a time, so nothing is inserted between this check and the insert after it.
 */
export async function firstVersions(store: Store, rows: readonly EventRow[]): Promise<EventRow[]> {
  const unique = firstInBatch(rows);
  if (unique.length === 0) return unique;
  const sites = [...new Set(unique.map((r) => r.site_id))];
  const stored = await listStoredEventIds(
    store,
    sites,
    unique.map((r) => r.event_id),
  );
  const have = new Set(stored.map((s) => idKey(s.site_id, s.space, s.event_id)));
  return unique.filter((r) => !have.has(rowIdKey(r)));
}
