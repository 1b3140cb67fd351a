import type { FunnelDefinition } from '@funnelhouse/schemas';
import { z } from 'zod';
import type { Store } from '../../clickhouse/client.ts';
import { runGenerated } from '../../clickhouse/query.ts';
import { Params } from '../../sql/params.ts';
import { count } from '../../sql/range.ts';
import { ENGINE_SETTINGS, type UnitsSqlOptions, unitsSqlOn } from '../units-sql.ts';

/**
 * One row per counted unit of a funnel (unit = the definition's counting unit): the furthest step
 * its counted attempt reached, the steps counted, their times, whether it is still in progress and
 * its breakdown value (with `every_touch` attribution one row per unit and value). Used to audit the engine against the oracle and to export units.
 */
function sql(inner: string): string {
  return `${inner}\nORDER BY unit, bd\n${ENGINE_SETTINGS}`;
}

const flag = count.transform((v) => v === 1);
const row = z.object({
  unit: z.coerce.string(),
  furthest: count,
  levels: z.array(count),
  from_entry: z.array(count),
  from_prev: z.array(count),
  in_progress: flag,
  window_open: flag,
  entry_ms: count,
  bd: z.string(),
  /** Over the per-unit work limit: not evaluated (furthest 0, no levels). */
  skipped: flag,
});

export type FunnelUnitRow = z.infer<typeof row>;

export async function listFunnelUnits(
  store: Store,
  site: string,
  def: FunnelDefinition,
  o: UnitsSqlOptions,
): Promise<FunnelUnitRow[]> {
  const p = new Params();
  const text = sql(unitsSqlOn(def, o, p, store.cluster));
  return runGenerated(store, { name: 'listFunnelUnits', sql: text, params: { ...p.values, site }, row });
}
