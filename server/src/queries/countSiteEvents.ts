import { z } from 'zod';
import type { Store } from '../clickhouse/client.ts';
import { defineQuery, runQuery } from '../clickhouse/query.ts';
import { count } from '../sql/range.ts';

/** Stored rows of a site (every row, retries included: this counts what erasure removes). */
const query = defineQuery({
  name: 'countSiteEvents',
  sql: `
SELECT count() AS n
FROM {db:Identifier}.events_v1
WHERE site_id = {site:String}`,
  params: z.object({ site: z.string() }),
  row: z.object({ n: count }),
});

export async function countSiteEvents(store: Store, site: string): Promise<number> {
  const [r] = await runQuery(store, query, { site });
  return r?.n ?? 0;
}
