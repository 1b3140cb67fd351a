import { z } from 'zod';
import type { Store } from '../clickhouse/client.ts';
import { defineQuery, runQuery } from '../clickhouse/query.ts';
import { count } from '../sql/range.ts';

/**
 * The live rows of one kind of per-site state, latest version of each key; one key when {key}
 * is given (`has_key` = 1). With {site} empty, every site's rows of that kind (the webhook
 * worker's scan). Unit: (site, kind, key).
 */
const query = defineQuery({
  name: 'listSiteState',
  sql: `
SELECT site_id, key, value, toUnixTimestamp64Milli(updated_at) AS updated_at
FROM {db:Identifier}.site_state_v1 FINAL
WHERE ({site:String} = '' OR site_id = {site:String})
  AND kind = {kind:String}
  AND deleted = 0
  AND ({has_key:UInt8} = 0 OR key = {key:String})
ORDER BY site_id, key
LIMIT {limit:UInt32}`,
  params: z.object({
    site: z.string(),
    kind: z.string(),
    has_key: z.number().int(),
    key: z.string(),
    limit: z.number().int(),
  }),
  row: z.object({ site_id: z.string(), key: z.string(), value: z.string(), updated_at: count }),
});

export type SiteStateRow = z.infer<typeof query.row>;

export function listSiteState(
  store: Store,
  q: { site: string; kind: string; key?: string; limit?: number },
): Promise<SiteStateRow[]> {
  return runQuery(store, query, {
    site: q.site,
    kind: q.kind,
    has_key: q.key === undefined ? 0 : 1,
    key: q.key ?? '',
    limit: q.limit ?? 100_000,
  });
}
