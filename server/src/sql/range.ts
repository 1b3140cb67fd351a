/**
 * The range filter every site-scoped report shares: the site, and `ts` in `[from, to)`, where
 * `from` and `to` are strings that ClickHouse reads in the zone `{tz}` (a bare date is midnight
 * there; an instant with an offset is exact). Not a query of its own: a fragment the queries use.
 */
export const SITE_RANGE = `site_id = {site:String}
  AND ts >= parseDateTime64BestEffort({from:String}, 3, {tz:String})
  AND ts < parseDateTime64BestEffort({to:String}, 3, {tz:String})`;

export interface RangeParams {
  site: string;
  from: string;
  to: string;
  tz: string;
}
