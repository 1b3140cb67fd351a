import type { Store } from '../clickhouse/client.ts';
import { insertInto } from '../clickhouse/insert.ts';
import type { EventRow } from '../enrich/row.ts';

/**
 * Writes a flushed spool batch to `events_v1`. Unit: one row per event. `token` is the batch's
 * `insert_deduplication_token`: the same for every attempt at the same spool range, so a retried
 * insert is written once (the table's `non_replicated_deduplication_window`).
 */
export async function insertEvents(store: Store, rows: readonly EventRow[], token: string): Promise<void> {
  await insertInto(store, 'events_v1', rows, { insert_deduplication_token: token });
}
