import type { StepAlternative } from '@funnelhouse/schemas';
import { z } from 'zod';
import type { Store } from '../../clickhouse/client.ts';
import { runGenerated, type Trace } from '../../clickhouse/query.ts';
import { alternativesSql } from '../../sql/filters.ts';
import { Params } from '../../sql/params.ts';
import { count } from '../../sql/range.ts';
import { countedUnitEvents, type ExposureScope, exposedUnits, exposureValues } from '../units-sql.ts';

const row = z.object({
  variant: z.string(),
  segment: z.string(),
  n: count,
  /** Units that reached step 1, 2, … (index 0 is step 1). */
  reached: z.array(count),
});
export type FunnelSumsRow = z.infer<typeof row>;

/**
 * A funnel as an experiment metric, entry = the unit's first exposure: step 1 is reached by a
 * matching event at or after entry, step k by one strictly after step k−1's, all within
 * `windowSeconds` of entry. The earliest match of each step is taken in turn, which finds a
 * chain whenever one exists. Per variant and segment: counted units and those reaching each
 * step. Unit: the scope's.
 */
export function getFunnelSums(
  store: Store,
  s: ExposureScope,
  metric: { steps: { match: StepAlternative[] }[]; windowSeconds: number },
  trace?: Trace,
): Promise<FunnelSumsRow[]> {
  const p = new Params();
  const conditions = metric.steps.map((step) => alternativesSql(step.match, p));
  const columns = Object.fromEntries(conditions.map((c, i) => [`m${i}`, `(${c})`]));
  const events = countedUnitEvents(s, p, conditions.map((c) => `(${c})`).join(' OR '), columns);
  const arrays = conditions.map((_, i) => `arraySort(groupArrayIf(ms, m${i})) AS s${i}`).join(', ');
  const end = `x.entered_ms + ${p.bind('Int64', metric.windowSeconds * 1000)}`;
  const times = conditions
    .map((_, i) =>
      i === 0
        ? `arrayFirst((t) -> t >= x.entered_ms AND t <= ${end}, e.s0) AS t0`
        : `if(t${i - 1} = 0, 0, arrayFirst((t) -> t > t${i - 1} AND t <= ${end}, e.s${i})) AS t${i}`,
    )
    .join(',\n    ');
  const level = conditions.map((_, i) => `(t${i} > 0)`).join(' + ');
  const sql = `
SELECT variant, segment, count() AS n,
  sumForEach(arrayMap((k) -> toUInt64(level >= k), range(1, ${p.bind('UInt8', conditions.length)} + 1))) AS reached
FROM
(
  SELECT x.variant AS variant, x.segment AS segment,
    ${times},
    ${level} AS level
  FROM (${exposedUnits(s, p)}) AS x
  LEFT JOIN (SELECT unit, ${arrays} FROM (${events}) GROUP BY unit) AS e ON e.unit = x.unit
  WHERE x.variants = 1
)
GROUP BY variant, segment
ORDER BY variant, segment`;
  return runGenerated(
    store,
    { name: 'getFunnelSums', sql, params: { ...exposureValues(s), ...p.values }, row },
    trace,
  );
}
