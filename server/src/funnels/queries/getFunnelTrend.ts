import type { FunnelDefinition } from '@funnelhouse/schemas';
import { z } from 'zod';
import type { Store } from '../../clickhouse/client.ts';
import { runGenerated } from '../../clickhouse/query.ts';
import { Params } from '../../sql/params.ts';
import { count } from '../../sql/range.ts';
import { ENGINE_SETTINGS, type UnitsSqlOptions, unitsSql } from '../units-sql.ts';

/**
 * Per entry day or week (Monday) in zone {tz}: counted units that entered (closed / still in
 * progress), those that reached the last step, and the same two among mature units (window closed). Unit: the definition's counting unit, bucketed by
 * the entry of its counted attempt. Periods without entries are absent here; the
 * answer (`run.ts`) fills them in.
 */
function sql(units: string, n: number, bucket: 'day' | 'week', tz: string): string {
  const at = 'fromUnixTimestamp64Milli(entry_ms)';
  const period = bucket === 'day' ? `toDate(${at}, ${tz})` : `toStartOfWeek(${at}, 1, ${tz})`;
  return `
SELECT
  toString(${period}) AS period,
  countIf(in_progress = 0) AS closed,
  countIf(in_progress = 1) AS open,
  countIf(furthest = ${n}) AS converted,
  countIf(window_open = 0) AS mature,
  countIf(furthest = ${n} AND window_open = 0) AS mature_converted
FROM (${units})
WHERE skipped = 0
GROUP BY period
ORDER BY period
${ENGINE_SETTINGS}`;
}

const row = z.object({
  period: z.string(),
  closed: count,
  open: count,
  converted: count,
  mature: count,
  mature_converted: count,
});

export type TrendRow = z.infer<typeof row>;

export async function getFunnelTrend(
  store: Store,
  site: string,
  def: FunnelDefinition,
  o: UnitsSqlOptions & { bucket: 'day' | 'week'; tz: string },
): Promise<{ rows: TrendRow[]; sql: string; params: Record<string, unknown> }> {
  const p = new Params();
  const units = unitsSql(def, { from: o.from, to: o.to, now: o.now }, p);
  const text = sql(units, def.steps.length, o.bucket, p.bind('String', o.tz));
  const params = { ...p.values, site };
  const rows = await runGenerated(store, { name: 'getFunnelTrend', sql: text, params, row });
  return { rows, sql: text, params };
}
