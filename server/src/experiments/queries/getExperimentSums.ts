import { type ExperimentMetric, MAX_UNDEFINED_VARIANTS, type MetricCap } from '@funnelhouse/schemas';
import { z } from 'zod';
import type { Store } from '../../clickhouse/client.ts';
import { runGenerated, type Trace } from '../../clickhouse/query.ts';
import { EVENTS, EVENTS_LOCAL, onEveryShard } from '../../clickhouse/shards.ts';
import { Params } from '../../sql/params.ts';
import { count } from '../../sql/range.ts';
import type { MoneyReading } from '../money.ts';
import { type ExposureScope, exposedUnits, exposureValues, noNeeds } from '../units-sql.ts';
import { unitValues } from '../values-sql.ts';

/** One metric's sums for one (multiple, variant, segment): what the shaping reads. */
export interface MetricSumsRow {
  /** Index of the metric in the list asked for. */
  metric: number;
  /** 1: units exposed to more than one variant (variant `''`), counted in no metric. */
  multiple: number;
  variant: string;
  segment: string;
  n: number;
  sum_y: number;
  sum_y_sq: number;
  sum_z: number;
  sum_z_sq: number;
  sum_yz: number;
  /** The cap applied to this metric (0 = none), the same on each of its rows. */
  cap_at: number;
  /** Funnels: units that reached step 1, 2, …; empty for other metrics. */
  reached: number[];
  /**
   * Money metrics: amounts counted for y per currency (orders, or property values), whatever
   * the reading (`''` = recorded without one); empty for other metrics.
   */
  currencies: Record<string, number>;
  /** First and last entry among these units (ms). */
  first_ms: number;
  last_ms: number;
  /**
   * Money metrics read as recorded without a percentile cap: the same sums with each currency's
   * amounts only (`in_currency` of `values-sql.ts`), what a `one_currency` read would give; a
   * currency not listed has every sum 0. Absent for other metrics and readings.
   */
  in_currency?: Record<string, CurrencySums>;
}

/** One metric's sums over the same units with one currency's amounts only. */
export interface CurrencySums {
  sum_y: number;
  sum_y_sq: number;
  sum_z: number;
  sum_z_sq: number;
  sum_yz: number;
}

const sums = z.array(count);
/** The query's row: one per (multiple, variant, segment), each sum an array over the metrics. */
export const experimentSumsRow = z.object({
  multiple: count,
  variant: z.string(),
  segment: z.string(),
  n: count,
  first_ms: count,
  last_ms: count,
  sum_y: sums,
  sum_y_sq: sums,
  sum_z: sums,
  sum_z_sq: sums,
  sum_yz: sums,
  cap_at: sums,
  reached: z.array(z.array(count)),
  currencies: z.array(z.record(z.string(), count)),
  /** Undefined variants left out (past the `MAX_UNDEFINED_VARIANTS` largest), on every row. */
  other_variants: count,
  /** Their single-variant units. */
  other_units: count,
  /**
   * Per metric, (currencies, Σy, Σy², Σz, Σz², Σyz) with one currency's amounts each: empty for
   * the metrics without `inCurrency`; the column only when some metric has it.
   */
  in_currency: z.array(z.tuple([z.array(z.string()), sums, sums, sums, sums, sums])).optional(),
});

/** Undefined variants beyond the ones returned: how many, and their units. */
export interface UndefinedRest {
  variants: number;
  units: number;
}

/**
 * The query's text and values for one node or (`cluster`) a cluster; `perShard` when it runs on
 * every shard and the rows are to be added up (`addShardRows`).
 *
 * Sufficient statistics of every metric asked for, per metric, variant and segment, in one scan:
 * n counted units, Σy, Σy², Σz, Σz², Σyz (y, z as `values-sql.ts` gives them; conversions = Σy)
 * and, for funnels, units per step reached. Units exposed to more than one variant come as rows
 * with `multiple = 1` and variant `''` (their sums mean nothing): with the rows of undefined
 * variants, each metric's rows are the exposure counts too, so no second scan is needed. A cap is
 * a fixed value or a percentile of the metric's non-zero y over every counted unit (a window over
 * the whole result), applied to y and, for pre-period covariates, to z. Unit: the scope's.
 * Money metrics' amounts are read as `readings[i]` says (`money.ts`: converted per amount, or
 * one currency's only; as recorded when absent), and each row counts their amounts per currency.
 */
export function experimentSumsSql(
  s: ExposureScope,
  metrics: readonly ExperimentMetric[],
  cluster: string | undefined,
  readings: readonly (MoneyReading | undefined)[] = [],
): { sql: string; params: Record<string, unknown>; perShard: boolean; inCurrency: boolean[] } {
  const p = new Params();
  const needs = noNeeds();
  const values = metrics.map((m, i) => unitValues(s, p, m, i, needs, readings[i]));
  const inCurrency = values.map((v) => v.inCurrency !== undefined);
  const counted = (i: number) =>
    values[i]?.currencies === '[]' ? 'map()' : `sumMap(k${i}, arrayMap((x) -> toUInt64(1), k${i}))`;
  // On a cluster the whole query runs on every shard when each unit is on one shard (visitor
  // units: events are sharded by visitor) and no cap needs every unit at once (a percentile).
  const percentile = metrics.some((m) => 'cap' in m && typeof m.cap === 'object');
  const perShard = cluster !== undefined && s.unit !== 'user' && !percentile;
  const units = exposedUnits(s, p, needs, perShard ? EVENTS_LOCAL : EVENTS);
  const capOf = (m: ExperimentMetric, i: number) => {
    const cap: MetricCap | undefined = 'cap' in m ? m.cap : undefined;
    if (cap === undefined) return '0';
    if (typeof cap === 'number') return `toFloat64(${p.bind('Float64', cap)})`;
    return `ifNotFinite(toFloat64(quantileExactIf(${p.bind('Float64', cap.percentile)})(y${i}, y${i} > 0 AND multiple = 0) OVER ()), 0)`;
  };
  const each = (f: (i: number) => string) => metrics.map((_, i) => f(i)).join(',\n      ');
  const arr = (f: (i: number) => string) => `[${metrics.map((_, i) => f(i)).join(', ')}]`;
  const capped = (v: string, i: number) => `if(cap${i} > 0, least(${v}, cap${i}), ${v})`;
  // Per-currency sums (`MetricSumsRow.in_currency`): each (y, z) of a currency capped as y and z are.
  const split = (f: (i: number) => string) => metrics.map((_, i) => (inCurrency[i] ? f(i) : '')).join('');
  const byCurrency = inCurrency.some(Boolean)
    ? `,
  CAST(${arr((i) => (inCurrency[i] ? `sumMap(ck${i}, cy${i}, arrayMap((a) -> a * a, cy${i}), cz${i}, arrayMap((a) -> a * a, cz${i}), arrayMap((a, b) -> a * b, cy${i}, cz${i}))` : '([], [], [], [], [], [])'))}, 'Array(Tuple(Array(String), ${Array(5).fill('Array(Float64)').join(', ')}))') AS in_currency`
    : '';
  const sql = `
SELECT multiple, variant, segment, count() AS n, min(entered_ms) AS first_ms, max(entered_ms) AS last_ms,
  ${arr((i) => `sum(yc${i})`)} AS sum_y,
  ${arr((i) => `sum(yc${i} * yc${i})`)} AS sum_y_sq,
  ${arr((i) => `sum(zc${i})`)} AS sum_z,
  ${arr((i) => `sum(zc${i} * zc${i})`)} AS sum_z_sq,
  ${arr((i) => `sum(yc${i} * zc${i})`)} AS sum_yz,
  ${arr((i) => `max(cap${i})`)} AS cap_at,
  CAST(${arr((i) => (metrics[i]?.kind === 'funnel' ? `sumForEach(r${i})` : '[]'))}, 'Array(Array(UInt64))') AS reached,
  CAST(${arr(counted)}, 'Array(Map(String, UInt64))') AS currencies${byCurrency}
FROM
(
  SELECT multiple, variant, segment, entered_ms,
      ${each((i) => `${capped(`y${i}`, i)} AS yc${i}, ${values[i]?.capZ ? capped(`z${i}`, i) : `z${i}`} AS zc${i}, cap${i}, r${i}, k${i}`)}${split((i) => `,\n      ck${i}, arrayMap((t) -> ${capped('t.1', i)}, cv${i}) AS cy${i}, arrayMap((t) -> ${values[i]?.capZ ? capped('t.2', i) : 't.2'}, cv${i}) AS cz${i}`)}
  FROM
  (
    SELECT multiple, variant, segment, entered_ms,
      ${each((i) => `y${i}, z${i}, r${i}, k${i}, ${capOf(metrics[i] as ExperimentMetric, i)} AS cap${i}`)}${split((i) => `, ck${i}, cv${i}`)}
    FROM
    (
      SELECT toUInt8(variants > 1) AS multiple, if(multiple = 1, '', variant) AS variant, segment, entered_ms,
      ${each((i) => `toFloat64(${values[i]?.y}) AS y${i}, toFloat64(${values[i]?.z}) AS z${i}, ${values[i]?.reached} AS r${i}, ${values[i]?.currencies} AS k${i}`)}${split((i) => `,\n      ${values[i]?.inCurrency?.keys} AS ck${i}, ${values[i]?.inCurrency?.values} AS cv${i}`)}
      FROM (${units})
    )
  )
)
GROUP BY multiple, variant, segment`;
  return {
    sql: capUndefined(
      perShard ? `SELECT * FROM ${onEveryShard(sql, cluster)}` : sql,
      s,
      p,
      byCurrency !== '',
    ),
    params: { ...exposureValues(s), ...p.values },
    perShard,
    inCurrency,
  };
}

/**
 * Keeps the rows of the `MAX_UNDEFINED_VARIANTS` undefined variants with the most units (ties by
 * variant) and drops the others', counting them (`other_variants`, `other_units`, on every row):
 * any visitor may send any variant string, and 30,000 made-up ones were a 4.4 MiB answer. Ranked
 * over all segments and, on a cluster, over every shard's rows (units are summed across both), so
 * the cut is the same on one node and many. Without the definition's variants nothing is undefined.
 */
function capUndefined(grouped: string, s: ExposureScope, p: Params, byCurrency: boolean): string {
  const undefinedIf = s.variants
    ? `multiple = 0 AND NOT has(${p.bind('Array(String)', s.variants)}, variant)`
    : '0';
  const shown = p.bind('UInt32', MAX_UNDEFINED_VARIANTS);
  return `SELECT multiple, variant, segment, n, first_ms, last_ms, sum_y, sum_y_sq, sum_z, sum_z_sq, sum_yz, cap_at, reached,
  currencies, other_variants, other_units${byCurrency ? ', in_currency' : ''}
FROM
(
  SELECT *,
    uniqExactIf(variant, is_undefined AND undefined_rank > ${shown}) OVER () AS other_variants,
    sumIf(n, is_undefined AND undefined_rank > ${shown}) OVER () AS other_units
  FROM
  (
    SELECT *, dense_rank() OVER (PARTITION BY is_undefined ORDER BY variant_units DESC, variant) AS undefined_rank
    FROM
    (
      SELECT *, toUInt8(${undefinedIf}) AS is_undefined, sum(n) OVER (PARTITION BY multiple, variant) AS variant_units
      FROM (${grouped})
    )
  )
)
WHERE NOT is_undefined OR undefined_rank <= ${shown}
ORDER BY multiple, variant, segment`;
}

type WideRow = z.infer<typeof experimentSumsRow>;

const addArrays = (a: number[], b: number[]) => a.map((x, i) => x + (b[i] ?? 0));
const addCounts = (a: Record<string, number>, b: Record<string, number>) => {
  const out = { ...a };
  for (const [k, n] of Object.entries(b)) out[k] = (out[k] ?? 0) + n;
  return out;
};

type ByCurrency = NonNullable<WideRow['in_currency']>[number];

/** Two shards' per-currency sums of one metric added up, currency by currency. */
function addByCurrency(a: ByCurrency, b: ByCurrency | undefined): ByCurrency {
  if (!b) return a;
  const [keys, ...sums] = a;
  const out = new Map(keys.map((k, j) => [k, sums.map((col) => col[j] ?? 0)]));
  b[0].forEach((k, j) => {
    const add = b.slice(1).map((col) => (col as number[])[j] ?? 0);
    const seen = out.get(k);
    out.set(k, seen ? seen.map((x, c) => x + (add[c] ?? 0)) : add);
  });
  const codes = [...out.keys()].sort();
  const col = (c: number) => codes.map((k) => out.get(k)?.[c] ?? 0);
  return [codes, col(0), col(1), col(2), col(3), col(4)];
}

/** A metric's per-currency sums as the row carries them. */
function currencySums(t: ByCurrency): Record<string, CurrencySums> {
  const [keys, y, ySq, zs, zSq, yz] = t;
  return Object.fromEntries(
    keys.map((k, j) => [
      k,
      {
        sum_y: y[j] ?? 0,
        sum_y_sq: ySq[j] ?? 0,
        sum_z: zs[j] ?? 0,
        sum_z_sq: zSq[j] ?? 0,
        sum_yz: yz[j] ?? 0,
      },
    ]),
  );
}

/**
 * One metric's rows read in `currency` only, from the per-currency sums the as-recorded read
 * carried (`in_currency`): the rows a `one_currency` read would give, without reading again.
 * Null when the rows carry none (another reading, or a percentile cap).
 */
export function rowsInCurrency(rows: readonly MetricSumsRow[], currency: string): MetricSumsRow[] | null {
  if (rows.some((r) => r.in_currency === undefined)) return null;
  return rows.map(({ in_currency, ...r }) => {
    const c = in_currency?.[currency];
    return {
      ...r,
      sum_y: c?.sum_y ?? 0,
      sum_y_sq: c?.sum_y_sq ?? 0,
      sum_z: c?.sum_z ?? 0,
      sum_z_sq: c?.sum_z_sq ?? 0,
      sum_yz: c?.sum_yz ?? 0,
    };
  });
}

/**
 * The shards' rows of one group added up: every column is a sum over units except the entry span
 * (min, max) and the caps (fixed values, the same on every shard).
 */
export function addShardRows(rows: readonly WideRow[]): WideRow[] {
  const out = new Map<string, WideRow>();
  for (const r of rows) {
    const k = JSON.stringify([r.multiple, r.variant, r.segment]);
    const seen = out.get(k);
    if (!seen) {
      out.set(k, { ...r });
      continue;
    }
    seen.n += r.n;
    seen.first_ms = Math.min(seen.first_ms, r.first_ms);
    seen.last_ms = Math.max(seen.last_ms, r.last_ms);
    for (const c of ['sum_y', 'sum_y_sq', 'sum_z', 'sum_z_sq', 'sum_yz'] as const)
      seen[c] = addArrays(seen[c], r[c]);
    seen.reached = seen.reached.map((x, i) => addArrays(x, r.reached[i] ?? []));
    seen.currencies = seen.currencies.map((x, i) => addCounts(x, r.currencies[i] ?? {}));
    if (seen.in_currency)
      seen.in_currency = seen.in_currency.map((x, i) => addByCurrency(x, r.in_currency?.[i]));
  }
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return [...out.values()].sort(
    (a, b) => a.multiple - b.multiple || cmp(a.variant, b.variant) || cmp(a.segment, b.segment),
  );
}

/**
 * Every metric's rows (one query), and the undefined variants past the largest ones, which have
 * no rows (`capUndefined`). `readings`: how each money metric's amounts are read (`money.ts`).
 */
export async function getExperimentSums(
  store: Store,
  s: ExposureScope,
  metrics: readonly ExperimentMetric[],
  trace?: Trace,
  readings: readonly (MoneyReading | undefined)[] = [],
): Promise<{ rows: MetricSumsRow[]; undefinedRest: UndefinedRest }> {
  const q = experimentSumsSql(s, metrics, store.cluster, readings);
  const got = await runGenerated(
    store,
    { name: 'getExperimentSums', sql: q.sql, params: q.params, row: experimentSumsRow },
    trace,
  );
  const wide = q.perShard ? addShardRows(got) : got;
  const undefinedRest = { variants: wide[0]?.other_variants ?? 0, units: wide[0]?.other_units ?? 0 };
  // One row per metric, in metric order, as the shaping reads them.
  const rows = metrics.flatMap((_, i) =>
    wide.map((r) => ({
      metric: i,
      multiple: r.multiple,
      variant: r.variant,
      segment: r.segment,
      n: r.n,
      sum_y: r.sum_y[i] ?? 0,
      sum_y_sq: r.sum_y_sq[i] ?? 0,
      sum_z: r.sum_z[i] ?? 0,
      sum_z_sq: r.sum_z_sq[i] ?? 0,
      sum_yz: r.sum_yz[i] ?? 0,
      cap_at: r.cap_at[i] ?? 0,
      reached: r.reached[i] ?? [],
      currencies: r.currencies[i] ?? {},
      first_ms: r.first_ms,
      last_ms: r.last_ms,
      ...(q.inCurrency[i] && r.in_currency?.[i] ? { in_currency: currencySums(r.in_currency[i]) } : {}),
    })),
  );
  return { rows, undefinedRest };
}
