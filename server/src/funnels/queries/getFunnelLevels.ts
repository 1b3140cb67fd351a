import type { FunnelCohorts, FunnelDefinition } from '@funnelhouse/schemas';
import { z } from 'zod';
import type { Store } from '../../clickhouse/client.ts';
import { runGenerated } from '../../clickhouse/query.ts';
import { Params } from '../../sql/params.ts';
import { count } from '../../sql/range.ts';
import { HISTOGRAM_BOUNDS_MS, type LevelRow } from '../shape.ts';
import { ENGINE_SETTINGS, type UnitsSqlOptions, unitsSqlOn } from '../units-sql.ts';

/**
 * Per funnel step (level) and per breakdown group (top N values, "other", "none") plus overall:
 * counted units that reached the step, those still in progress (window open, not converted) and
 * those whose window is open at all (`young`: not yet mature, converted or not), median/p90 of ms
 * from entry and from the previous step, and for the last step a time-to-convert histogram. Unit:
 * the definition's counting unit, each counted once (in each of its groups with `every_touch`
 * attribution, so the groups may sum to more than everyone). Timings and the histogram cover the units
 * counted in rates: every unit, or with {mature} = 1 only units whose window has closed.
 * Level 0 counts the units skipped for the engine's work limit (their single level, in `closed`).
 */
function sql(
  units: string,
  n: number,
  limit: string,
  mature: string,
  bounds: string,
  grouping: 'none' | 'one value' | 'all values',
): string {
  if (grouping === 'all values') return allValuesSql(units, n, limit, mature, bounds);
  if (grouping === 'one value') return groupedSql(units, n, limit, mature, bounds);
  return `${overallSql(units, n, mature, bounds)}
ORDER BY level
${ENGINE_SETTINGS}`;
}

/** Per level, everything in one pass (no breakdown: no ranking, no grouping sets). */
function overallSql(units: string, n: number, mature: string, bounds: string, kind = 2): string {
  return `
SELECT
  1 AS overall, ${kind} AS kind, '' AS value, level,
  ${levelAggregatesSql('', '_q')}
FROM (${levelRowsSql(units, mature, n, bounds)})
GROUP BY level`;
}

function levelRowsSql(units: string, mature: string, n: number, bounds: string, cols = 'bd'): string {
  // hb: how many histogram lower bounds the time reaches, 0 when the row is not histogrammed.
  return `
          SELECT ${cols}, level, te, tp, in_progress, window_open, (${mature} = 0 OR window_open = 0) AS incl,
            if(level = ${n} AND incl, arrayCount(x -> x <= te, ${bounds}), 0) AS hb
          FROM (${units})
          ARRAY JOIN levels AS level, from_entry AS te, from_prev AS tp`;
}

/**
 * `every_touch` attribution: the units query has one row per unit and value, and a unit counts once
 * in each group. Groups are ranked as in `groupedSql`, then each unit's rows are merged per group
 * ("other" may hold several of its values); everyone is counted from one row per unit. Costs two
 * runs of the units query, paid only in this mode.
 */
function allValuesSql(units: string, n: number, limit: string, mature: string, bounds: string): string {
  const once = `SELECT * FROM (${units}) LIMIT 1 BY unit`;
  return `
SELECT * FROM (${overallSql(once, n, mature, bounds, 0)}
UNION ALL
SELECT
  0 AS overall, kind, value, level,
  ${levelAggregatesSql('', '_q')}
FROM (
  SELECT kind, value, level, any(te) AS te, any(tp) AS tp, any(in_progress) AS in_progress,
    any(window_open) AS window_open, any(incl) AS incl, any(hb) AS hb
  FROM (
    SELECT *,
      if(bd = '', 2, if(rk <= ${limit}, 0, 1)) AS kind,
      if(kind = 0, bd, '') AS value
    FROM (
      SELECT *, dense_rank() OVER (ORDER BY bd = '', entered DESC, bd) AS rk
      FROM (
        SELECT *, countIf(level = 1) OVER (PARTITION BY bd) AS entered
        FROM (${levelRowsSql(units, mature, n, bounds, 'unit, bd')})
      )
    )
  )
  GROUP BY unit, kind, value, level
)
GROUP BY kind, value, level)
ORDER BY overall DESC, kind, value, level
${ENGINE_SETTINGS}`;
}

/**
 * Per level (and group): units that reached it, those in progress, timing quantiles (as final
 * values, or as states to merge when `combinator` is 'State') and the time-to-convert histogram
 * over the last step's rows (`hb`, the 1-based bucket, computed once per row in levelRowsSql) as a
 * map bucket → units: one pass, cheaper than a countIf per bucket. Counts of closed units and of
 * timed units follow from `reached` and `open`.
 */
function levelAggregatesSql(combinator: '' | 'State', suffix: string): string {
  const q = `quantilesExactInclusiveIf${combinator}(0.5, 0.9)`;
  return `count() AS reached,
  sum(in_progress) AS open,
  sum(window_open) AS young,
  ${q}(te, incl) AS te${suffix},
  ${q}(tp, incl AND level > 1) AS tp${suffix},
  sumMapIf([hb], [toUInt64(1)], hb > 0) AS hist`;
}

function groupedSql(units: string, n: number, limit: string, mature: string, bounds: string): string {
  return `
SELECT
  grouping(kind, value) != 0 AS overall, kind, value, level,
  sum(reached) AS reached, sum(open) AS open, sum(young) AS young,
  quantilesExactInclusiveIfMerge(0.5, 0.9)(te_s) AS te_q,
  quantilesExactInclusiveIfMerge(0.5, 0.9)(tp_s) AS tp_q,
  sumMap(hist) AS hist
FROM (
  SELECT *,
    if(bd = '', 2, if(rk <= ${limit}, 0, 1)) AS kind,
    if(kind = 0, bd, '') AS value
  FROM (
    SELECT *, dense_rank() OVER (ORDER BY bd = '', entered DESC, bd) AS rk
    FROM (
      SELECT *, sum(if(level = 1, reached, 0)) OVER (PARTITION BY bd) AS entered
      FROM (
        SELECT
          bd, level,
          ${levelAggregatesSql('State', '_s')}
        FROM (${levelRowsSql(units, mature, n, bounds)})
        GROUP BY bd, level
      )
    )
  )
)
GROUP BY GROUPING SETS ((kind, value, level), (level))
ORDER BY overall DESC, kind, value, level
${ENGINE_SETTINGS}`;
}

/** One row of the levels query as the engine sends it (UInt64 as strings, `hist` as a tuple). */
const levelSqlRow = z.object({
  overall: z.union([z.boolean(), count.transform((v) => v === 1)]),
  kind: count.transform((k) => (['value', 'other', 'none'] as const)[k] ?? 'none'),
  value: z.coerce.string(),
  level: count,
  reached: count,
  open: count,
  young: count,
  te_q: z.array(count),
  tp_q: z.array(count),
  hist: z.unknown(),
});

/** The levels query's text and values, for one node or (`cluster`) a cluster. */
export function funnelLevelsSql(
  site: string,
  def: FunnelDefinition,
  o: UnitsSqlOptions & { cohorts: FunnelCohorts },
  cluster: string | undefined,
): { text: string; params: Record<string, unknown> } {
  const p = new Params();
  const units = unitsSqlOn(def, o, p, cluster);
  const limit = o.breakdown ? p.bind('UInt32', o.breakdown.limit ?? 10) : '';
  const mature = p.bind('UInt8', o.cohorts === 'mature' ? 1 : 0);
  const bounds = p.bind('Array(Int64)', HISTOGRAM_BOUNDS_MS);
  const grouping = !o.breakdown
    ? 'none'
    : o.breakdown.attribution === 'every_touch'
      ? 'all values'
      : 'one value';
  const text = sql(units, def.steps.length, limit, mature, bounds, grouping);
  return { text, params: { ...p.values, site } };
}

export async function getFunnelLevels(
  store: Store,
  site: string,
  def: FunnelDefinition,
  o: UnitsSqlOptions & { cohorts: FunnelCohorts },
): Promise<{ rows: LevelRow[]; sql: string; params: Record<string, unknown> }> {
  const { text, params } = funnelLevelsSql(site, def, o, store.cluster);
  const raw = await runGenerated(store, { name: 'getFunnelLevels', sql: text, params, row: levelSqlRow });
  const rows = raw.map(
    (r): LevelRow => ({
      overall: r.overall,
      kind: r.kind,
      value: r.value,
      level: r.level,
      reached: r.reached,
      open: r.open,
      young: r.young,
      timed: o.cohorts === 'mature' ? r.reached - r.young : r.reached,
      fromEntry: r.te_q,
      fromPrevious: r.tp_q,
      histogram: bucketCounts(r.hist),
    }),
  );
  return { rows, sql: text, params };
}

/** `sumMap`'s ([bucket], [units]) → units per bucket, in bucket order. */
function bucketCounts(hist: unknown): number[] {
  const [keys, counts] = (Array.isArray(hist) ? hist : Object.values(hist as object)) as unknown[][];
  const out = HISTOGRAM_BOUNDS_MS.map(() => 0);
  keys?.forEach((k, i) => {
    out[Number(k) - 1] = Number(counts?.[i]);
  });
  return out;
}
