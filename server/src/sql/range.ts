import { z } from 'zod';

/**
 * The range every site-scoped report shares: one site and `ts` in `[fromMs, toMs)`, exact epoch
 * bounds already resolved from the request's dates or instants in its zone (`api/range.ts`), so
 * ClickHouse never re-reads a date in a zone. `tz` is the engine's own spelling of the zone, for
 * queries that bucket by calendar day. Not a query of its own: a fragment and its values.
 */
export interface SiteRange {
  site: string;
  fromMs: number;
  toMs: number;
  tz: string;
}

/**
 * A report range resolved once per request: the range as asked (`from`, `to`, for the answer),
 * the engine's spelling of the zone, exact epoch bounds `[fromMs, toMs)` and the calendar days
 * it covers in that zone. It is a `SiteRange`, so every query of the request takes it as is.
 */
export interface ReportRange extends SiteRange {
  from: string;
  to: string;
  firstDay: string;
  lastDay: string;
}

/** The WHERE fragment for a `SiteRange`; the key `(site_id, toDate(ts), …)` prunes on it. */
export const SITE_RANGE = `site_id = {site:String}
  AND ts >= fromUnixTimestamp64Milli({from_ms:Int64})
  AND ts < fromUnixTimestamp64Milli({to_ms:Int64})`;

/** The values `SITE_RANGE` binds, as a zod shape to extend with a query's own. */
export const siteRangeShape = {
  site: z.string(),
  from_ms: z.number().int(),
  to_ms: z.number().int(),
  tz: z.string(),
};

export const siteRangeValues = (r: SiteRange) => ({
  site: r.site,
  from_ms: r.fromMs,
  to_ms: r.toMs,
  tz: r.tz,
});

/** A count the engine may send as a string (UInt64) or a number. */
export const count = z.coerce.number();

/**
 * The same range stated on whole hours, the form the hourly rollups of `events_v1` (migration
 * 014) answer: `toStartOfHour(ts)` in `[from, to)` holds exactly the events with `ts` in it when
 * both bounds are on the hour. Only for a range `onWholeHours` accepts.
 */
export const HOUR_RANGE = `site_id = {site:String}
  AND toStartOfHour(ts) >= fromUnixTimestamp64Milli({from_ms:Int64})
  AND toStartOfHour(ts) < fromUnixTimestamp64Milli({to_ms:Int64})`;

const HOUR_MS = 3_600_000;
const offsets = new Map<string, Intl.DateTimeFormat>();

/** Minutes past the hour of a zone's UTC offset at an instant ("GMT+05:30" gives 30). */
function offsetMinutes(ms: number, tz: string): number {
  let f = offsets.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: tz, timeZoneName: 'longOffset' });
    offsets.set(tz, f);
  }
  const name = f.formatToParts(ms).find((p) => p.type === 'timeZoneName')?.value ?? '';
  return Number(/:(\d\d)$/.exec(name)?.[1] ?? 0);
}

/**
 * Whether hourly rollups can answer a range: both bounds on the hour, and every hour of it inside
 * one calendar day of its zone (the zone's offset is whole hours at every day of the range, so
 * `toDate(toStartOfHour(ts), tz)` is the event's own day). Not for India (+05:30), Nepal
 * (+05:45) or a few others: their reports read events.
 */
export function onWholeHours(r: SiteRange): boolean {
  if (r.fromMs % HOUR_MS !== 0 || r.toMs % HOUR_MS !== 0) return false;
  for (let t = r.fromMs; t < r.toMs; t += 12 * HOUR_MS) if (offsetMinutes(t, r.tz) !== 0) return false;
  return offsetMinutes(r.toMs - 1, r.tz) === 0;
}

/**
 * Which form of an overview query answers a range: `hours` reads the hourly rollups (a range
 * `onWholeHours` accepts, without a segment, since the rollups keep no sessions), else `events`.
 */
export function rollupForm(r: SiteRange, segment: object): 'hours' | 'events' {
  return Object.keys(segment).length === 0 && onWholeHours(r) ? 'hours' : 'events';
}
