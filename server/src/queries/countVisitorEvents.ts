import { type Store, select } from '../clickhouse/client.ts';

/** Stored rows of one visitor of a site (every row, retries included: this counts what erasure removes). */
const SQL = `
SELECT count() AS n
FROM {db:Identifier}.events_v1
WHERE site_id = {site:String} AND visitor_id = {visitor:String}`;

export async function countVisitorEvents(store: Store, site: string, visitor: string): Promise<number> {
  const [r] = await select<{ n: string | number }>(store, SQL, { site, visitor });
  return Number(r?.n ?? 0);
}
