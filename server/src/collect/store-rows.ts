import { BufferClosedError } from '../buffer/write-buffer.ts';
import type { Deps } from '../deps.ts';
import type { EventRow } from '../enrich/row.ts';
import { ApiError } from '../errors.ts';

/**
 * Stores enriched rows durably and resolves only once they are stored; this is the one place
 * every ingestion route (`/collect`, the server events API) hands rows to the write path. A store
 * failure becomes `store_unavailable` (503 with Retry-After), so the sender retries.
 */
export async function storeRows(deps: Pick<Deps, 'buffer'>, rows: readonly EventRow[]): Promise<void> {
  try {
    await deps.buffer.add(rows);
  } catch (err) {
    const closing = err instanceof BufferClosedError;
    throw new ApiError(
      'store_unavailable',
      closing ? 'Server is shutting down' : 'Events could not be stored; retry later',
      undefined,
      { 'Retry-After': closing ? '5' : '2' },
    );
  }
}
