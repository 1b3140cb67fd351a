import { z } from 'zod';
import type { Store } from '../clickhouse/client.ts';
import { defineQuery, runQuery } from '../clickhouse/query.ts';
import { count } from '../sql/range.ts';

/** Stored rows of one visitor of a site (every row, retries included: this counts what erasure removes). */
const query = defineQuery({
  name: 'countVisitorEvents',
  sql: `
SELECT count() AS n
FROM {db:Identifier}.events_v1
WHERE site_id = {site:String} AND visitor_id = {visitor:String}`,
  params: z.object({ site: z.string(), visitor: z.string() }),
  row: z.object({ n: count }),
});

export async function countVisitorEvents(store: Store, site: string, visitor: string): Promise<number> {
  const [r] = await runQuery(store, query, { site, visitor });
  return r?.n ?? 0;
}
