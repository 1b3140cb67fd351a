import { type Store, select } from '../clickhouse/client.ts';

/** Stored rows of a site (every row, retries included: this counts what erasure removes). */
const SQL = `
SELECT count() AS n
FROM {db:Identifier}.events_v1
WHERE site_id = {site:String}`;

export async function countSiteEvents(store: Store, site: string): Promise<number> {
  const [r] = await select<{ n: string | number }>(store, SQL, { site });
  return Number(r?.n ?? 0);
}
