import type { Store } from '../clickhouse/client.ts';
import type { EventRow } from '../enrich/row.ts';
import { listStoredEventIds } from '../queries/listStoredEventIds.ts';

const keyOf = (r: { site_id: string; event_id: string }) => `${r.site_id}\u0000${r.event_id}`;

/** Keeps the first row of each (site, event id) in log order. */
export function firstInBatch(rows: readonly EventRow[]): EventRow[] {
  const seen = new Set<string>();
  return rows.filter((r) => {
    const k = keyOf(r);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/**
 * First stored version wins: of `rows` (in spool order), keeps the first of each id and drops
 * ids the site already has in the store. One process flushes a spool at a time, so nothing is
 * inserted between this check and the insert that follows it.
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
  const have = new Set(stored.map(keyOf));
  return unique.filter((r) => !have.has(keyOf(r)));
}
