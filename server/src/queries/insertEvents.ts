import type { Store } from '../clickhouse/client.ts';
import { insertCompact } from '../clickhouse/insert.ts';
import { EVENT_COLUMNS, type EventRow } from '../enrich/row.ts';

/**
 * Writes a flushed spool batch to `events_v1`. Unit: one row per event. `token` is the batch's
 * `insert_deduplication_token`: the same for every attempt at the same spool range, so a retried
 * insert is written once (the table's `non_replicated_deduplication_window`).
 */
export async function insertEvents(store: Store, rows: readonly EventRow[], token: string): Promise<void> {
  const values = rows.map((r) => EVENT_COLUMNS.map((c) => r[c]));
  await insertCompact(store, 'events_v1', EVENT_COLUMNS, values, { insert_deduplication_token: token });
}
