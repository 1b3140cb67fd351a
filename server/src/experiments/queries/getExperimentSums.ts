import type { ExperimentMetric, MetricCap } from '@funnelhouse/schemas';
import { z } from 'zod';
import type { Store } from '../../clickhouse/client.ts';
import { runGenerated, type Trace } from '../../clickhouse/query.ts';
import { Params } from '../../sql/params.ts';
import { count } from '../../sql/range.ts';
import { type ExposureScope, exposedUnits, exposureValues, noNeeds } from '../units-sql.ts';
import { unitValues } from '../values-sql.ts';

const row = z.object({
  /** Index of the metric in the list asked for. */
  metric: count,
  /** 1: units exposed to more than one variant (variant `''`), counted in no metric. */
  multiple: count,
  variant: z.string(),
  segment: z.string(),
  n: count,
  sum_y: count,
  sum_y_sq: count,
  sum_z: count,
  sum_z_sq: count,
  sum_yz: count,
  /** The cap applied to this metric (0 = none), the same on each of its rows. */
  cap_at: count,
  /** Funnels: units that reached step 1, 2, …; empty for other metrics. */
  reached: z.array(count),
  /** First and last entry among these units (ms). */
  first_ms: count,
  last_ms: count,
});
export type MetricSumsRow = z.infer<typeof row>;

/**
 * Sufficient statistics of every metric asked for, per metric, variant and segment, in one scan:
 * n counted units, Σy, Σy², Σz, Σz², Σyz (y, z as `values-sql.ts` gives them; conversions = Σy)
 * and, for funnels, units per step reached. Units exposed to more than one variant come as rows
 * with `multiple = 1` and variant `''` (their sums mean nothing): with the rows of undefined
 * variants, each metric's rows are the exposure counts too, so no second scan is needed. A cap is
 * a fixed value or a percentile of the metric's non-zero y over every counted unit (a window over
 * the whole result), applied to y and, for pre-period covariates, to z. Unit: the scope's.
 */
export function getExperimentSums(
  store: Store,
  s: ExposureScope,
  metrics: readonly ExperimentMetric[],
  trace?: Trace,
): Promise<MetricSumsRow[]> {
  const p = new Params();
  const needs = noNeeds();
  const values = metrics.map((m, i) => unitValues(s, p, m, i, needs));
  const units = exposedUnits(s, p, needs);
  const caps = metrics.map((m, i) => {
    const cap: MetricCap | undefined = 'cap' in m ? m.cap : undefined;
    if (cap === undefined) return '0';
    if (typeof cap === 'number') return `toFloat64(${p.bind('Float64', cap)})`;
    return `ifNotFinite(toFloat64(quantileExactIf(${p.bind('Float64', cap.percentile)})(y, y > 0 AND metric = ${i} AND multiple = 0) OVER ()), 0)`;
  });
  const capAt = `multiIf(${caps.map((c, i) => `metric = ${i}, ${c}`).join(', ')}, 0)`;
  const capZ = `[${values.map((v) => (v.capZ ? 1 : 0)).join(', ')}]`;
  const capped = (v: string) => `if(cap_at > 0, least(${v}, cap_at), ${v})`;
  const list = (f: (v: (typeof values)[number]) => string) => `[${values.map(f).join(', ')}]`;
  const sql = `
SELECT metric, multiple, variant, segment, count() AS n,
  sum(yc) AS sum_y, sum(yc * yc) AS sum_y_sq, sum(zc) AS sum_z, sum(zc * zc) AS sum_z_sq, sum(yc * zc) AS sum_yz,
  max(cap_at) AS cap_at, sumForEach(reached) AS reached, min(entered_ms) AS first_ms, max(entered_ms) AS last_ms
FROM
(
  SELECT metric, multiple, variant, segment, reached, cap_at, entered_ms,
    ${capped('y')} AS yc, if(${capZ}[metric + 1] = 1, ${capped('z')}, z) AS zc
  FROM
  (
    SELECT metric, multiple, variant, segment, y, z, reached, entered_ms, ${capAt} AS cap_at
    FROM
    (
      SELECT toUInt8(variants > 1) AS multiple, if(multiple = 1, '', variant) AS variant, segment, entered_ms,
        ${list((v) => v.y)} AS ys,
        ${list((v) => v.z)} AS zs,
        CAST(${list((v) => v.reached)}, 'Array(Array(UInt64))') AS rs
      FROM (${units})
    )
    ARRAY JOIN range(${metrics.length}) AS metric, ys AS y, zs AS z, rs AS reached
  )
)
GROUP BY metric, multiple, variant, segment
ORDER BY metric, multiple, variant, segment`;
  return runGenerated(
    store,
    { name: 'getExperimentSums', sql, params: { ...exposureValues(s), ...p.values }, row },
    trace,
  );
}
