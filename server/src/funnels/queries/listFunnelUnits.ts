import type { FunnelDefinition } from '@funnelhouse/schemas';
import { type Store, select } from '../../clickhouse/client.ts';
import { Params } from '../../sql/params.ts';
import { ENGINE_SETTINGS, type UnitsSqlOptions, unitsSql } from '../units-sql.ts';

/**
 * One row per counted unit of a funnel (unit = the definition's counting unit): the furthest step
 * its counted attempt reached, the steps counted, their times, whether it is still in progress and
 * its breakdown value. Used to audit the engine against the oracle and to export units.
 */
function sql(inner: string): string {
  return `${inner}\nORDER BY unit\n${ENGINE_SETTINGS}`;
}

export interface FunnelUnitRow {
  unit: string;
  furthest: number;
  levels: number[];
  from_entry: number[];
  from_prev: number[];
  in_progress: boolean;
  entry_ms: number;
  bd: string;
  /** Over the per-unit work limit: not evaluated (furthest 0, no levels). */
  skipped: boolean;
}

export async function listFunnelUnits(
  store: Store,
  site: string,
  def: FunnelDefinition,
  o: UnitsSqlOptions,
): Promise<FunnelUnitRow[]> {
  const p = new Params();
  const rows = await select<Record<keyof FunnelUnitRow, unknown>>(store, sql(unitsSql(def, o, p)), {
    ...p.values,
    site,
  });
  return rows.map((r) => ({
    unit: String(r.unit),
    furthest: Number(r.furthest),
    levels: (r.levels as unknown[]).map(Number),
    from_entry: (r.from_entry as unknown[]).map(Number),
    from_prev: (r.from_prev as unknown[]).map(Number),
    in_progress: Number(r.in_progress) === 1,
    entry_ms: Number(r.entry_ms),
    bd: String(r.bd),
    skipped: Number(r.skipped) === 1,
  }));
}
