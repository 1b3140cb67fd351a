import type { Deps } from '../deps.ts';
import type { EventRow } from '../enrich/row.ts';
import { ApiError } from '../errors.ts';
import { idKey, rowIdKey } from '../id-space.ts';
import { storedReplays } from '../wal/dedup.ts';
import { replayMargins } from '../wal/ingest.ts';
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
 * Stores the rows whose event id the site does not have yet in the trusted id space
 * (`id-space.ts`: server events and imports; a browser row with the same id does not count)
 * and returns the ids that it already had: stored at the same `ts` (within the margin of
 * `wal/dedup.ts`), or still in the spool whatever their `ts`; the first version wins.
 * Resolves once the new rows are stored, so `stored` means the row sent is the row kept.
 */
export async function storeNewRows(
  deps: Pick<Deps, 'ingest' | 'store' | 'config'>,
  gate: IdGate,
  siteId: string,
  rows: readonly EventRow[],
): Promise<Set<string>> {
  const release = await gate.claim(rows.map((r) => idKey(siteId, 'trusted', r.event_id)));
  try {
    const existing = await trustedIdsKnown(deps, siteId, rows);
    await storeRows(
      deps,
      rows.filter((r) => !existing.has(r.event_id)),
    );
    return existing;
  } finally {
    release();
  }
}

/** How long a server event waits for rows an earlier run left in the spool before a 503. */
const REPLAY_WAIT_MS = 10_000;

/** Ids of `rows` the site has in the trusted space: in ClickHouse (a replay), or accepted and not flushed. */
async function trustedIdsKnown(
  deps: Pick<Deps, 'ingest' | 'store' | 'config'>,
  siteId: string,
  rows: readonly EventRow[],
): Promise<Set<string>> {
  const unavailable = () =>
    new ApiError('store_unavailable', 'Events could not be checked; retry later', undefined, {
      'Retry-After': '2',
    });
  if (rows.length === 0) return new Set();
  // Rows replayed from the previous run are not in `unflushed`: wait until they are in the store.
  if (!(await settlesWithin(deps.ingest.replayed(), REPLAY_WAIT_MS))) throw unavailable();
  const stored = await storedReplays(deps.store, rows, replayMargins(deps.config)).catch(() => {
    throw unavailable();
  });
  const known = new Set<string>();
  for (const r of rows) {
    if (stored.has(rowIdKey(r)) || deps.ingest.unflushed.has(idKey(siteId, 'trusted', r.event_id))) {
      known.add(r.event_id);
    }
  }
  return known;
}

async function settlesWithin(p: Promise<void>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([p.then(() => true as const), late]);
  } finally {
    clearTimeout(timer);
  }
}
