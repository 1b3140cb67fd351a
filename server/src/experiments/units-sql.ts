/**
 * Every experiment query is one scan and one GROUP BY unit: the events of the range that are
 * exposures of the experiment or that some metric reads, folded per unit into its entry, its
 * variant and the arrays each metric needs; the per-unit numbers are computed from those arrays
 * (`values-sql.ts`). The rules (written out in `test/experiments/oracle.ts`):
 *
 * - a unit enters at its first `exposure` event whose `name` is the key, within the range and
 *   the experiment's dates (`exposed_from_ms`/`exposed_to_ms`, already the intersection);
 * - the unit is the visitor, or with `unit: 'user'` the visitor's first user id in the range when
 *   it has one (every visitor of that user is then one unit);
 * - its variant is `experiments[key]` of its exposures; a unit whose exposures name more than
 *   one variant is left out of every metric and counted as a multiple exposure;
 * - only events at or after entry, and before the range's end, count for a metric; with CUPED the
 *   events of the `pre_ms` before entry give the covariate (the scan starts `read_from_ms`, that
 *   much before the range);
 * - with a segment, each unit carries one value: a breakdown dimension's value on its first
 *   exposure event, or the day of its entry in the range's zone.
 *
 * One scan (like a plain GROUP BY variant) instead of exposures joined to the metric events:
 * a join built a hash table of every exposed unit per metric and cost 6–8× the scan.
 * The events table is given (`clickhouse/shards.ts`): `EVENTS` on one node, the shard's local
 * table when the whole query runs on every shard of a cluster (visitor units only: the user
 * mapping below reads the whole table, and a user's visitors can be on several shards).
 * Values travel as parameters; the only text spliced in is allow-listed columns (bound as
 * identifiers by `Params`) and fixed fragments chosen by the scope.
 */
import type { BreakdownDimension } from '@funnelhouse/schemas';
import { EVENTS } from '../clickhouse/shards.ts';
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
  /**
   * The definition's variant keys: exposures to any other variant are undefined, and only the
   * `MAX_UNDEFINED_VARIANTS` largest of those come back as rows. Absent: every variant is kept.
   */
  variants?: readonly string[] | undefined;
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

/** What a query reads per event besides the exposure: named conditions and value columns. */
export interface ScanNeeds {
  /** alias → condition: the event is read when any holds (and is an input of the metric). */
  conditions: Record<string, string>;
  /** alias → expression over the events table, read for every scanned event. */
  columns: Record<string, string>;
  /** alias → aggregate over the scanned rows, per unit (e.g. `groupArrayIf(ms, c0)`). */
  aggregates: Record<string, string>;
  /** alias → expression over the aggregates, computed once per unit for every metric to read. */
  derived: Record<string, string>;
}

export const noNeeds = (): ScanNeeds => ({
  conditions: {},
  columns: {},
  aggregates: {},
  derived: {},
});

/**
 * One row per exposed unit: `unit`, `entered_ms` (first exposure), `variant` (one of its
 * variants), `variants` (1 for a unit that counts, 2 for one seen in more), `segment`, and the
 * `needs`' aggregates.
 */
export function exposedUnits(
  s: ExposureScope,
  p: Params,
  needs: ScanNeeds = noNeeds(),
  events: string = EVENTS,
): string {
  const seg = s.segment ?? { by: 'none' };
  const value = seg.by === 'dimension' ? dimensionSql(seg.dimension, p) : `''`;
  const isExposure = `type = 'exposure'
        AND name = {key:String}
        AND ts >= fromUnixTimestamp64Milli({exposed_from_ms:Int64})
        AND ts < fromUnixTimestamp64Milli({exposed_to_ms:Int64})`;
  const named = (r: Record<string, string>) =>
    Object.entries(r)
      .map(([alias, expr]) => `,\n      ${expr} AS ${alias}`)
      .join('');
  const wanted = ['is_exp', ...Object.keys(needs.conditions)].join(' OR ');
  const read = `site_id = {site:String}
      AND ts >= fromUnixTimestamp64Milli({read_from_ms:Int64})
      AND ts < fromUnixTimestamp64Milli({to_ms:Int64})
      AND visitor_id != ''`;
  const scan = `
    SELECT visitor_id, toUnixTimestamp64Milli(ts) AS ms,
      (${isExposure}) AS is_exp,
      if(is_exp, experiments[{key:String}], '') AS v,
      ${seg.by === 'dimension' ? `if(is_exp, ${value}, '')` : "''"} AS seg${named(needs.conditions)}${named(needs.columns)}
    FROM ${events}
    WHERE ${read}
      AND (${wanted})`;
  const source =
    s.unit === 'user'
      ? `(SELECT m.unit AS unit, e.* FROM (${scan}) AS e INNER JOIN (${VISITOR_UNITS}) AS m ON m.visitor_id = e.visitor_id)`
      : `(SELECT visitor_id AS unit, * FROM (${scan}))`;
  const segment =
    seg.by === 'day' ? `toString(toDate(fromUnixTimestamp64Milli(entered_ms), {tz:String}))` : 'first_seg';
  const aggregates = Object.entries(needs.aggregates)
    .map(([alias, expr]) => `,\n    ${expr} AS ${alias}`)
    .join('');
  const carried = [
    ...Object.keys(needs.aggregates).map((a) => `, ${a}`),
    ...Object.entries(needs.derived).map(([alias, expr]) => `,\n  ${expr} AS ${alias}`),
  ].join('');
  return `
SELECT unit, entered_ms, variant, variants, ${segment} AS segment${carried}
FROM
(
  SELECT unit, minIf(ms, is_exp) AS entered_ms, minIf(v, is_exp) AS variant, if(variant = maxIf(v, is_exp), 1, 2) AS variants,
    ${seg.by === 'dimension' ? 'argMinIf(seg, ms, is_exp)' : "''"} AS first_seg${aggregates}
  FROM ${source}
  GROUP BY unit
  HAVING countIf(is_exp) > 0
)`;
}
