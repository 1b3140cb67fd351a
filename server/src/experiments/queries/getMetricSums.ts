import type { MetricCap } from '@funnelhouse/schemas';
import { z } from 'zod';
import type { Store } from '../../clickhouse/client.ts';
import { runGenerated, type Trace } from '../../clickhouse/query.ts';
import { Params } from '../../sql/params.ts';
import { count } from '../../sql/range.ts';
import { type ExposureScope, exposureValues } from '../units-sql.ts';
import { unitValuesSql, type ValueMetric } from '../values-sql.ts';

const row = z.object({
  variant: z.string(),
  segment: z.string(),
  n: count,
  sum_y: count,
  sum_y_sq: count,
  sum_z: count,
  sum_z_sq: count,
  sum_yz: count,
  /** The cap applied (0 = none), the same on every row. */
  cap_at: count,
});
export type MetricSumsRow = z.infer<typeof row>;

/**
 * Sufficient statistics of one metric per variant and segment: n counted units, Σy, Σy², Σz,
 * Σz², Σyz (y, z as `values-sql.ts` gives them; conversions = Σy). The cap is a fixed value or
 * a percentile of the non-zero y over every counted unit (a window over the whole result, so
 * one pass), applied to y and, for pre-period covariates, to z. Unit: the scope's.
 */
export function getMetricSums(
  store: Store,
  s: ExposureScope,
  metric: ValueMetric,
  trace?: Trace,
): Promise<MetricSumsRow[]> {
  const p = new Params();
  const units = unitValuesSql(s, p, metric);
  const cap: MetricCap | undefined = 'cap' in metric ? metric.cap : undefined;
  const capAt =
    cap === undefined
      ? '0'
      : typeof cap === 'number'
        ? `toFloat64(${p.bind('Float64', cap)})`
        : `ifNotFinite(toFloat64(quantileExactIf(${p.bind('Float64', cap.percentile)})(y, y > 0) OVER ()), 0)`;
  const capped = (v: string) => `if(cap_at > 0, least(${v}, cap_at), ${v})`;
  const sql = `
SELECT variant, segment, count() AS n,
  sum(yc) AS sum_y, sum(yc * yc) AS sum_y_sq, sum(zc) AS sum_z, sum(zc * zc) AS sum_z_sq, sum(yc * zc) AS sum_yz,
  max(cap_at) AS cap_at
FROM
(
  SELECT variant, segment, cap_at, ${capped('y')} AS yc, ${units.capZ ? capped('z') : 'z'} AS zc
  FROM (SELECT variant, segment, y, z, ${capAt} AS cap_at FROM (${units.sql}))
)
GROUP BY variant, segment
ORDER BY variant, segment`;
  return runGenerated(
    store,
    { name: 'getMetricSums', sql, params: { ...exposureValues(s), ...p.values }, row },
    trace,
  );
}
