import type { EventRow } from '../enrich/row.ts';
import { ApiError } from '../errors.ts';
import type { Ingest } from './ingest.ts';
import { UnflushedIds } from './unflushed-ids.ts';

/**
 * The write path of a process that ingests nothing (`FUNNELHOUSE_ROLE=api`): no spool, no
 * flusher, no data directory. Its routes for ingestion are not mounted; the erasure routes that
 * wait for "everything accepted so far" find nothing pending here (the ingestion nodes' spools
 * are theirs: see ARCHITECTURE.md, "Roles").
 */
export function noIngest(): Omit<Ingest, 'spool'> {
  return {
    accept(_rows: readonly EventRow[]) {
      return Promise.reject(new ApiError('not_found', 'This node does not ingest events'));
    },
    drained: () => Promise.resolve(),
    unflushed: new UnflushedIds(),
    replayed: () => Promise.resolve(),
    lagMs: () => 0,
    close: () => Promise.resolve(),
  };
}
