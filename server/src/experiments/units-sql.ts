/**
 * The building blocks every experiment query shares: who was exposed, to which variant, from
 * when, and each counted unit's events. The rules (written out in `test/experiments/oracle.ts`):
 *
 * - a unit enters at its first `exposure` event whose `name` is the key, within the range and
 *   the experiment's dates (`exposed_from_ms`/`exposed_to_ms`, already the intersection);
 * - the unit is the visitor, or with `unit: 'user'` the visitor's first user id in the range when
 *   it has one (every visitor of that user is then one unit);
 * - its variant is `experiments[key]` of its exposures; a unit whose exposures name more than
 *   one variant is left out of every metric and counted as a multiple exposure;
 * - only events at or after entry, and before the range's end, count for a metric; with CUPED the
 *   events of the `pre_ms` before entry give the covariate (read from `read_from_ms`, that much
 *   before the range's start);
 * - with a segment, each unit carries one value: a breakdown dimension's value on its first
 *   exposure event, or the day of its entry in the range's zone.
 *
 * Values travel as parameters; the only text spliced in is allow-listed columns (bound as
 * identifiers by `Params`) and fixed fragments chosen by the scope.
 */
import type { BreakdownDimension } from '@funnelhouse/schemas';
import { dimensionSql } from '../sql/filters.ts';
import type { Params } from '../sql/params.ts';
import { SITE_RANGE, type SiteRange, siteRangeValues } from '../sql/range.ts';

/** How counted units are grouped besides their variant: not at all, by a dimension, or by day. */
export type Segment = { by: 'none' } | { by: 'dimension'; dimension: BreakdownDimension } | { by: 'day' };

/** An experiment's exposures read for one request. */
export interface ExposureScope {
  range: SiteRange;
  key: string;
  /** Exposures in `[exposedFromMs, exposedToMs)` enter: the range within the experiment's dates. */
  exposedFromMs: number;
  exposedToMs: number;
  unit?: 'visitor' | 'user' | undefined;
  segment?: Segment | undefined;
  /** CUPED's pre-period before each unit's entry, in ms; 0 or absent = none. */
  preMs?: number | undefined;
}

/** The named values every experiment query binds (besides its own `Params`). */
export const exposureValues = (s: ExposureScope) => ({
  ...siteRangeValues(s.range),
  key: s.key,
  exposed_from_ms: s.exposedFromMs,
  exposed_to_ms: s.exposedToMs,
  pre_ms: s.preMs ?? 0,
  read_from_ms: s.range.fromMs - (s.preMs ?? 0),
});

/**
 * Visitor → unit for `unit: 'user'`: `u:` + its first user id by time in the range, else `v:` +
 * its visitor id (the prefixes keep a user id from meeting a visitor id).
 */
const VISITOR_UNITS = `
SELECT visitor_id, if(user = '', concat('v:', visitor_id), concat('u:', user)) AS unit
FROM
(
  SELECT visitor_id, argMinIf(user_id, ts, user_id != '') AS user
  FROM {db:Identifier}.events_v1
  WHERE ${SITE_RANGE} AND visitor_id != ''
  GROUP BY visitor_id
)`;

const byUser = (s: ExposureScope) => s.unit === 'user';

/**
 * One row per exposed unit: `unit`, `entered_ms` (first exposure), `variant` (one of its
 * variants), `variants` (how many distinct ones; 1 for a unit that counts) and `segment`.
 */
export function exposedUnits(s: ExposureScope, p: Params): string {
  const seg = s.segment ?? { by: 'none' };
  const value = seg.by === 'dimension' ? dimensionSql(seg.dimension, p) : `''`;
  const exposures = `
    SELECT visitor_id, ts, experiments[{key:String}] AS v, ${value} AS seg
    FROM {db:Identifier}.events_v1
    WHERE ${SITE_RANGE}
      AND type = 'exposure'
      AND name = {key:String}
      AND visitor_id != ''
      AND ts >= fromUnixTimestamp64Milli({exposed_from_ms:Int64})
      AND ts < fromUnixTimestamp64Milli({exposed_to_ms:Int64})`;
  const source = byUser(s)
    ? `(SELECT m.unit AS unit, e.ts AS ts, e.v AS v, e.seg AS seg FROM (${exposures}) AS e INNER JOIN (${VISITOR_UNITS}) AS m ON m.visitor_id = e.visitor_id)`
    : `(SELECT visitor_id AS unit, ts, v, seg FROM (${exposures}))`;
  const segment =
    seg.by === 'day' ? `toString(toDate(fromUnixTimestamp64Milli(entered_ms), {tz:String}))` : 'first_seg';
  return `
SELECT unit, entered_ms, variant, variants, ${segment} AS segment
FROM
(
  SELECT unit, toUnixTimestamp64Milli(min(ts)) AS entered_ms, any(v) AS variant, uniqExact(v) AS variants,
    argMin(seg, ts) AS first_seg
  FROM ${source}
  GROUP BY unit
)`;
}

/**
 * The events of counted units (one variant only) matching `condition`, from the pre-period's
 * start to the range's end, as rows of `unit`, `ms` and the given extra `columns` (alias →
 * expression over the events table). Reading only counted units keeps the join no larger than
 * the experiment, whatever the site's traffic.
 */
export function countedUnitEvents(
  s: ExposureScope,
  p: Params,
  condition: string,
  columns: Record<string, string>,
): string {
  const counted = `SELECT unit FROM (${exposedUnits(s, p)}) WHERE variants = 1`;
  const aliases = Object.keys(columns);
  const extra = Object.entries(columns)
    .map(([alias, expr]) => `, ${expr} AS ${alias}`)
    .join('');
  const read = (visitors: string) => `
    SELECT visitor_id, toUnixTimestamp64Milli(ts) AS ms${extra}
    FROM {db:Identifier}.events_v1
    WHERE site_id = {site:String}
      AND ts >= fromUnixTimestamp64Milli({read_from_ms:Int64})
      AND ts < fromUnixTimestamp64Milli({to_ms:Int64})
      AND (${condition})
      AND visitor_id IN (${visitors})`;
  const out = ['ms', ...aliases];
  if (!byUser(s)) return `SELECT visitor_id AS unit, ${out.join(', ')} FROM (${read(counted)})`;
  const visitors = `SELECT visitor_id FROM (${VISITOR_UNITS}) WHERE unit IN (${counted})`;
  return `
SELECT m.unit AS unit, ${out.map((c) => `e.${c} AS ${c}`).join(', ')}
FROM (${read(visitors)}) AS e
INNER JOIN (${VISITOR_UNITS}) AS m ON m.visitor_id = e.visitor_id`;
}
