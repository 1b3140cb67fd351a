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
