import type { Deps } from '../deps.ts';
import type { EventRow } from '../enrich/row.ts';
import { ApiError } from '../errors.ts';
import { findStoredEventIds } from '../queries/findStoredEventIds.ts';
import { storeRows } from './store-rows.ts';

/**
 * Serialises work on the same ids inside this process: `claim` waits until no other holder has
 * any of the keys, then holds them all until `release`. Two requests carrying the same event id
 * (a retry racing its original) thus check-then-store one after the other, never interleaved.
 */
export class IdGate {
  private readonly held = new Map<string, Promise<void>>();

  async claim(keys: readonly string[]): Promise<() => void> {
    for (;;) {
      const busy = keys.flatMap((k) => this.held.get(k) ?? []);
      if (busy.length === 0) break;
      await Promise.allSettled(busy);
    }
    // No await between the check above and these sets: no other claim can slip in.
    let release = () => {};
    const done = new Promise<void>((resolve) => {
      release = resolve;
    });
    for (const k of keys) this.held.set(k, done);
    return () => {
      for (const k of keys) if (this.held.get(k) === done) this.held.delete(k);
      release();
    };
  }
}

/**
 * Stores the rows whose event id the site does not have yet and returns the ids that it already
 * had (the first stored version wins). Resolves once the new rows are stored.
 */
export async function storeNewRows(
  deps: Pick<Deps, 'ingest' | 'store'>,
  gate: IdGate,
  siteId: string,
  rows: readonly EventRow[],
): Promise<Set<string>> {
  const release = await gate.claim(rows.map((r) => `${siteId}/${r.event_id}`));
  try {
    const days = [...new Set(rows.map((r) => new Date(r.ts).toISOString().slice(0, 10)))];
    const ids = rows.map((r) => r.event_id);
    const existing = await findStoredEventIds(deps.store, { site: siteId, days, ids }).catch(() => {
      throw new ApiError('store_unavailable', 'Events could not be checked; retry later', undefined, {
        'Retry-After': '2',
      });
    });
    await storeRows(
      deps,
      rows.filter((r) => !existing.has(r.event_id)),
    );
    return existing;
  } finally {
    release();
  }
}
