import { type Store, select } from '../clickhouse/client.ts';

/** The live saved funnels of a site, latest version of each; or one of them when {id} is given. Unit: funnel. */
const SQL = `
SELECT funnel_id, name, definition,
  toUnixTimestamp64Milli(created_at) AS created_at, toUnixTimestamp64Milli(updated_at) AS updated_at
FROM {db:Identifier}.funnels_v1 FINAL
WHERE site_id = {site:String} AND deleted = 0 AND ({id:String} = '' OR funnel_id = {id:String})
ORDER BY created_at, funnel_id`;

export interface FunnelRow {
  funnel_id: string;
  name: string;
  /** JSON text of the definition. */
  definition: string;
  created_at: number;
  updated_at: number;
}

export async function listFunnels(store: Store, site: string, id = ''): Promise<FunnelRow[]> {
  const rows = await select<FunnelRow>(store, SQL, { site, id });
  return rows.map((r) => ({ ...r, created_at: Number(r.created_at), updated_at: Number(r.updated_at) }));
}
