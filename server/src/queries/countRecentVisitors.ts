import { z } from 'zod';
import type { Store } from '../clickhouse/client.ts';
import { defineQuery, runQuery } from '../clickhouse/query.ts';
import { count } from '../sql/range.ts';

/** Distinct visitors with an event whose time `ts` (not its arrival) is in the last {minutes} minutes. */
const query = defineQuery({
  name: 'countRecentVisitors',
  sql: `
SELECT uniqExact(visitor_id) AS visitors
FROM {db:Identifier}.events_v1
WHERE site_id = {site:String}
  AND toDate(ts) >= toDate(now() - INTERVAL 1 DAY)
  AND ts >= now64(3) - toIntervalMinute({minutes:UInt32})`,
  params: z.object({ site: z.string(), minutes: z.number().int().min(1) }),
  row: z.object({ visitors: count }),
});

export async function countRecentVisitors(store: Store, site: string, minutes: number): Promise<number> {
  const [r] = await runQuery(store, query, { site, minutes });
  return r?.visitors ?? 0;
}
