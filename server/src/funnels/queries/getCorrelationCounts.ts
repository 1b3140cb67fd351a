import {
  CORRELATION_COLUMNS,
  type CorrelationProperty,
  type FunnelCohorts,
  type FunnelDefinition,
  funnelWindowSeconds,
} from '@funnelhouse/schemas';
import { z } from 'zod';
import type { Store } from '../../clickhouse/client.ts';
import { runGenerated, type Trace } from '../../clickhouse/query.ts';
import { EVENTS } from '../../clickhouse/shards.ts';
import { alternativesSql, unitSql } from '../../sql/filters.ts';
import { Params } from '../../sql/params.ts';
import { count } from '../../sql/range.ts';
import { ENGINE_SETTINGS, type UnitsSqlOptions, unitsSqlOn } from '../units-sql.ts';

/**
 * Funnel correlation's sufficient statistics (the rules: `CORRELATION_DEFINITION` in
 * schemas/src/correlation.ts). Unit: the funnel's counting unit, among those whose counted
 * attempt reached step `from`. One row per candidate (kind, property, bucket, value) with the
 * units who did it and the units who did it and converted; one row of kind `units` with all the
 * units and the converted ones; `found` is the number of candidate rows before the cut to
 * `limit` (the candidates done by the most units, ties by kind, property, bucket, value).
 *
 * The per-unit entry and step times come from the funnel engine (`unitsSqlOn`, the same subquery
 * as `listFunnelUnits`), joined to the unit's events in the engine's scanned span; the engine's
 * rows are the smaller side, so they are the join's right (hashed) table. Each unit's candidates
 * are made distinct per unit before counting, so every count is of units. A property's values
 * past its top `topValues` become one "other" row. A unit has one value of a unit-level property,
 * so its "other" row is a sum; a unit may have several values of an event property (`props.NAME`),
 * so only for those the query keeps each value's set of units (`uniqExact` states) and merges the
 * sets of the values past the top, so that such a unit counts once there.
 */
export interface CorrelationCountsOptions extends UnitsSqlOptions {
  /** 0-based steps. */
  stepFrom: number;
  stepTo: number;
  cohorts: FunnelCohorts;
  properties: readonly CorrelationProperty[];
  /** Event types and custom event names not counted as candidates (they define a later step). */
  excludedTypes: readonly string[];
  excludedNames: readonly string[];
  topValues: number;
  limit: number;
}

/** A property as SQL: unit-level (its value at an instant of the funnel) or per counted event. */
type PropertySql =
  | { label: string; perEvent: string }
  | { label: string; expr: string; at: 't_from' | 'entry_ms' };

function propertySql(prop: CorrelationProperty, p: Params): PropertySql {
  const label = p.bind('String', prop);
  if (prop.startsWith('props.')) {
    return { label, perEvent: `props[${p.bind('String', prop.slice('props.'.length))}]` };
  }
  if (prop.startsWith('experiments.')) {
    return {
      label,
      expr: `experiments[${p.bind('String', prop.slice('experiments.'.length))}]`,
      at: 't_from',
    };
  }
  if (prop === 'landing_path') return { label, expr: 'path', at: 'entry_ms' };
  if (!(CORRELATION_COLUMNS as readonly string[]).includes(prop))
    throw new Error(`property not allowed: ${prop}`);
  return { label, expr: `toString(${p.column(prop)})`, at: 't_from' };
}

/** The reached units with the instants that bound their counted events (`t_from < t < t_end`). */
function unitsPart(def: FunnelDefinition, o: CorrelationCountsOptions, p: Params, cluster?: string): string {
  const sf = p.bind('UInt8', o.stepFrom + 1);
  const st = p.bind('UInt8', o.stepTo + 1);
  const w = p.bind('Int64', funnelWindowSeconds(def) * 1000);
  const mature = o.cohorts === 'mature' ? ' AND window_open = 0' : '';
  return `
    SELECT unit, entry_ms,
      entry_ms + from_entry[indexOf(levels, ${sf})] AS t_from,
      toUInt8(has(levels, ${st})) AS conv,
      if(conv = 1, entry_ms + from_entry[indexOf(levels, ${st})], entry_ms + ${w} + 1) AS t_end
    FROM (${unitsSqlOn(def, o, p, cluster)})
    WHERE skipped = 0 AND has(levels, ${sf})${mature}`;
}

/**
 * One row per unit: whether it converted (`conv`) and its candidates (`all_cands`: kind, property,
 * value tuples, each once, with a `units` tuple every unit has). Per event only plain columns are
 * read; the candidates are sets gathered per unit (`groupUniqArrayIf`) and made tuples once per
 * unit, not per event. Only the events that count (`t_from < t < t_end`) and the step events at
 * the two instants a unit-level value is read at are aggregated.
 */
function perUnitSql(def: FunnelDefinition, o: CorrelationCountsOptions, p: Params, cluster?: string): string {
  const units = unitsPart(def, o, p, cluster);
  const end = Math.min(o.now, o.to + funnelWindowSeconds(def) * 1000);
  const from = p.bind('Int64', o.from);
  const scanEnd = p.bind('Int64', Math.max(o.from, end));
  const props = o.properties.map((x) => propertySql(x, p));
  const xt = p.bind('Array(String)', o.excludedTypes);
  const xn = p.bind('Array(String)', o.excludedNames);
  const anyStep = def.steps.map((s) => `(${alternativesSql(s.match, p)})`).join(' OR ');
  // Per event: its type and name, the chosen event properties it has a value of (`ev`, one map
  // for all of them: a lookup per property and event cost more than the rest of the scan), and
  // each unit-level value (pv0, pv1, …), read per unit as the smallest among its step events at
  // the instant.
  const keys = o.properties.flatMap((x) => (x.startsWith('props.') ? [x.slice('props.'.length)] : []));
  const cols = [
    ...(keys.length > 0
      ? [`mapFilter((k, v) -> v != '' AND has(${p.bind('Array(String)', keys)}, k), props) AS ev`]
      : []),
    ...props.flatMap((x, i) => ('perEvent' in x ? [] : [`${x.expr} AS pv${i}`])),
  ];
  const sets = [
    `arrayMap(x -> tuple('event_type', '', toString(x)), groupUniqArrayIf(type, counts AND NOT has(${xt}, type)))`,
    `arrayMap(x -> tuple('event_name', '', x), groupUniqArrayIf(name, counts AND type = 'custom' AND name != '' AND NOT has(${xn}, name)))`,
    ...(keys.length > 0
      ? [
          `arrayMap(x -> tuple('property', concat('props.', x.1), x.2), groupUniqArrayArrayIf(arrayZip(mapKeys(ev), mapValues(ev)), counts))`,
        ]
      : []),
  ];
  const unitValues = props.map((x, i) =>
    'perEvent' in x
      ? `if(arrayExists(c -> c.1 = 'property' AND c.2 = ${x.label}, did), [], [tuple('property', ${x.label}, '')])`
      : `[tuple('property', ${x.label}, minIf(toString(pv${i}), t = ${x.at} AND at_step))]`,
  );
  return `
        SELECT unit, any(conv) AS conv,
          arrayConcat(${sets.join(',\n            ')}) AS did,
          arrayConcat([tuple('units', '', '')], did${unitValues.map((x) => `,\n            ${x}`).join('')}) AS all_cands
        FROM (
          SELECT unit, conv, t_from, entry_ms, t, at_step, type, name${keys.length > 0 ? ', ev' : ''}${props.map((x, i) => ('perEvent' in x ? '' : `, pv${i}`)).join('')},
            t > t_from AND t < t_end AS counts
          FROM (
            SELECT ${unitSql(def.unit ?? 'visitor', p)} AS unit,
              toUnixTimestamp64Milli(ts) AS t,
              ${anyStep} AS at_step,
              type, name${cols.map((c) => `,\n              ${c}`).join('')}
            FROM ${EVENTS}
            WHERE site_id = {site:String}
              AND ts >= fromUnixTimestamp64Milli(${from})
              AND ts < fromUnixTimestamp64Milli(${scanEnd})
              AND unit != ''
          ) AS e
          INNER JOIN (${units}
          ) AS u USING (unit)
          WHERE counts OR (at_step AND (t = t_from OR t = entry_ms))
        )
        GROUP BY unit`;
}

/**
 * The query's text (golden copy in test/funnels/__sql__/correlation.sql): per candidate the units
 * (`n`) and converted units (`nc`), each property's values ranked within it (past `topValues`:
 * "other"), the cut to `limit` with the count of candidates before it.
 */
export function correlationCountsSql(
  def: FunnelDefinition,
  o: CorrelationCountsOptions,
  p: Params,
  cluster?: string,
): string {
  const perUnit = perUnitSql(def, o, p, cluster);
  const perEvent = p.bind(
    'Array(String)',
    o.properties.filter((x) => x.startsWith('props.')),
  );
  const top = p.bind('UInt32', o.topValues);
  const limit = p.bind('UInt32', o.limit + 1);
  return `
SELECT kind, property, bucket, v AS value, did, did_converted, toUInt64(count() OVER ()) - 1 AS found
FROM (
  SELECT kind, property, bucket, if(bucket = 'other', '', value) AS v,
    if(bucket = 'other' AND has(${perEvent}, property), uniqExactIfMerge(su), sum(n)) AS did,
    if(bucket = 'other' AND has(${perEvent}, property), uniqExactIfMerge(sc), sum(nc)) AS did_converted
  FROM (
    SELECT kind, property, value, n, nc, su, sc,
      multiIf(kind != 'property', '', value = '', 'empty',
        row_number() OVER (PARTITION BY kind, property, value = '' ORDER BY n DESC, value) > ${top}, 'other', 'value') AS bucket
    FROM (
      SELECT c.1 AS kind, c.2 AS property, c.3 AS value,
        count() AS n, countIf(conv = 1) AS nc,
        uniqExactIfState(unit, kind = 'property' AND has(${perEvent}, property)) AS su,
        uniqExactIfState(unit, kind = 'property' AND has(${perEvent}, property) AND conv = 1) AS sc
      FROM (${perUnit}
      )
      ARRAY JOIN all_cands AS c
      GROUP BY kind, property, value
    )
  )
  GROUP BY kind, property, bucket, v
)
ORDER BY kind = 'units' DESC, did DESC, kind, property, bucket, value
LIMIT ${limit}
${ENGINE_SETTINGS}`;
}

const row = z.object({
  kind: z.enum(['units', 'event_type', 'event_name', 'property']),
  property: z.string(),
  bucket: z.enum(['', 'value', 'empty', 'other']),
  value: z.string(),
  did: count,
  did_converted: count,
  found: count,
});

export type CorrelationCountRow = z.infer<typeof row>;

export async function getCorrelationCounts(
  store: Store,
  site: string,
  def: FunnelDefinition,
  o: CorrelationCountsOptions,
  trace?: Trace,
): Promise<CorrelationCountRow[]> {
  const p = new Params();
  const text = correlationCountsSql(def, o, p, store.cluster);
  return runGenerated(
    store,
    { name: 'getCorrelationCounts', sql: text, params: { ...p.values, site }, row },
    trace,
  );
}
