import type { Store } from '../clickhouse/client.ts';
import type { EventRow } from '../enrich/row.ts';
import { type IdSpace, idKey, idSpaceOf, rowIdKey } from '../id-space.ts';
import { listStoredEventIds, type StoredIdWindow } from '../queries/listStoredEventIds.ts';

/**
 * How far apart the stored `ts` of an event and the `ts` of its replay may lie for the replay to
 * be caught, per id space.
 *
 * - `browser`: a retry resends the same client `ts`, so its corrected time
 *   `received − (sent_at − ts)` moves only by the difference in transit time between the two
 *   attempts (a first attempt may hang up to the request timeout, 30 s) and by a correction of
 *   the device clock in between. `BROWSER_REPLAY_MARGIN_MS` (5 minutes) covers both with room.
 * - `trusted`: the sender's `ts` is absolute and kept as sent, except that a `ts` up to the
 *   allowed future skew is clamped to the time of receipt, which differs per attempt: the
 *   margin is that skew (`FUNNELHOUSE_SERVER_EVENT_MAX_FUTURE_SECONDS`).
 *
 * The margins bound the lookup: it reads the site's rows within them of the batch's events,
 * never its whole history (ARCHITECTURE.md, "Once per event id", lists what is caught).
 */
export interface ReplayMargins {
  browserMs: number;
  trustedMs: number;
}

export const BROWSER_REPLAY_MARGIN_MS = 5 * 60_000;

const DAY_MS = 86_400_000;

const marginOf = (m: ReplayMargins, space: IdSpace) => (space === 'browser' ? m.browserMs : m.trustedMs);

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
 * Where a stored copy of any of `rows` can be: the UTC days touched by each row's
 * `[ts − margin, ts + margin]` (a batch of live traffic touches one or two) and the overall
 * bounds. An import batch spanning months reads those months' days, a cost of that batch only.
 */
export function lookupWindow(rows: readonly EventRow[], m: ReplayMargins): StoredIdWindow {
  const days = new Set<number>();
  let fromMs = Number.POSITIVE_INFINITY;
  let toMs = Number.NEGATIVE_INFINITY;
  for (const r of rows) {
    const margin = marginOf(m, idSpaceOf(r.source));
    const lo = r.ts - margin;
    const hi = r.ts + margin;
    if (lo < fromMs) fromMs = lo;
    if (hi > toMs) toMs = hi;
    for (let d = Math.floor(lo / DAY_MS); d <= Math.floor(hi / DAY_MS); d++) days.add(d);
  }
  const dates = [...days].sort((a, b) => a - b).map((d) => new Date(d * DAY_MS).toISOString().slice(0, 10));
  return { days: dates, fromMs, toMs };
}

/**
 * The keys (`rowIdKey`) of `rows` whose id the site already has in the row's id space, with a
 * stored `ts` within that space's margin of the row's: a replay, whose first version won.
 */
export async function storedReplays(
  store: Store,
  rows: readonly EventRow[],
  m: ReplayMargins,
): Promise<Set<string>> {
  if (rows.length === 0) return new Set();
  const sites = [...new Set(rows.map((r) => r.site_id))];
  const ids = [...new Set(rows.map((r) => r.event_id))];
  const stored = await listStoredEventIds(store, sites, ids, lookupWindow(rows, m));
  const times = new Map<string, number[]>();
  for (const s of stored) {
    const k = idKey(s.site_id, s.space, s.event_id);
    const list = times.get(k);
    if (list) list.push(s.ts_ms);
    else times.set(k, [s.ts_ms]);
  }
  const replays = new Set<string>();
  for (const r of rows) {
    const k = rowIdKey(r);
    const margin = marginOf(m, idSpaceOf(r.source));
    if (times.get(k)?.some((t) => Math.abs(t - r.ts) <= margin)) replays.add(k);
  }
  return replays;
}

/**
 * First stored version wins, within each id space (`id-space.ts`): of `rows` (in spool order),
 * keeps the first of each id and drops the replays of ids the site already has
 * (`storedReplays`). One process flushes a spool at a time, so nothing is inserted between this
 * check and the insert after it.
 */
export async function firstVersions(
  store: Store,
  rows: readonly EventRow[],
  m: ReplayMargins,
): Promise<EventRow[]> {
  const unique = firstInBatch(rows);
  const replays = await storedReplays(store, unique, m);
  return unique.filter((r) => !replays.has(rowIdKey(r)));
}
