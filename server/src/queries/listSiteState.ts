import { z } from 'zod';
import type { Store } from '../clickhouse/client.ts';
import { defineQuery, runQuery } from '../clickhouse/query.ts';
import { count } from '../sql/range.ts';

/**
 * The live rows of one kind of per-site state, latest version of each key, in key order; one key
 * when {key} is given (`has_key` = 1). With {site} empty, every site's rows of that kind (the
 * webhook worker's scan). Unit: (site, kind, key).
 *
 * At most {limit} rows: a caller that must see every row pages by key, passing the last key it
 * got as {after} (`has_after` = 1, keys strictly after it) until a page comes back short. The key
 * is the last column of the table's ORDER BY (site_id, kind, key), so with the site given each
 * page is one range of the primary index. Paging by key alone is for one site ({site} given).
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
  AND ({has_after:UInt8} = 0 OR key > {after:String})
ORDER BY site_id, key
LIMIT {limit:UInt32}`,
  params: z.object({
    site: z.string(),
    kind: z.string(),
    has_key: z.number().int(),
    key: z.string(),
    has_after: z.number().int(),
    after: z.string(),
    limit: z.number().int(),
  }),
  row: z.object({ site_id: z.string(), key: z.string(), value: z.string(), updated_at: count }),
});

export type SiteStateRow = z.infer<typeof query.row>;

export function listSiteState(
  store: Store,
  q: { site: string; kind: string; key?: string; after?: string; limit?: number },
): Promise<SiteStateRow[]> {
  return runQuery(store, query, {
    site: q.site,
    kind: q.kind,
    has_key: q.key === undefined ? 0 : 1,
    key: q.key ?? '',
    has_after: q.after === undefined ? 0 : 1,
    after: q.after ?? '',
    limit: q.limit ?? 100_000,
  });
}
