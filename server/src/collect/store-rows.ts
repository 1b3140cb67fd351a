import type { Deps } from '../deps.ts';
import type { EventRow } from '../enrich/row.ts';
import { spoolRefusal } from '../wal/refusal.ts';

/**
 * Stores enriched rows durably: resolves once they are fsynced in the write-ahead spool, from
 * which the flusher inserts them (each event id once, first version wins). This is the one place
 * every ingestion route (`/collect`, the server events API) hands rows to the write path. A refusal
 * becomes `store_unavailable` (503 with Retry-After), so the sender retries.
 */
export async function storeRows(deps: Pick<Deps, 'ingest'>, rows: readonly EventRow[]): Promise<void> {
  await deps.ingest.accept(rows).catch(spoolRefusal);
}
