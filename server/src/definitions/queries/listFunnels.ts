import { z } from 'zod';
import type { Store } from '../../clickhouse/client.ts';
import { defineQuery, runQuery } from '../../clickhouse/query.ts';
import { count } from '../../sql/range.ts';

/** The live saved funnels of a site, latest version of each; or one of them when {id} is given. Unit: funnel. */
const query = defineQuery({
  name: 'listFunnels',
  sql: `
SELECT funnel_id, name, definition, breakdown,
  toUnixTimestamp64Milli(created_at) AS created_at, toUnixTimestamp64Milli(updated_at) AS updated_at
FROM {db:Identifier}.funnels_v1 FINAL
WHERE site_id = {site:String} AND deleted = 0 AND ({id:String} = '' OR funnel_id = {id:String})
ORDER BY created_at, funnel_id`,
  params: z.object({ site: z.string(), id: z.string() }),
  row: z.object({
    funnel_id: z.string(),
    name: z.string(),
    /** JSON text of the definition. */
    definition: z.string(),
    /** JSON text of the saved breakdown, '' for none. */
    breakdown: z.string(),
    created_at: count,
    updated_at: count,
  }),
});

export type FunnelRow = z.infer<typeof query.row>;

export function listFunnels(store: Store, site: string, id = ''): Promise<FunnelRow[]> {
  return runQuery(store, query, { site, id });
}
