import { type Store, select } from '../clickhouse/client.ts';

/** Distinct visitors with an event whose time `ts` (not its arrival) is in the last {minutes} minutes. */
const SQL = `
SELECT uniqExact(visitor_id) AS visitors
FROM {db:Identifier}.events_v1
WHERE site_id = {site:String}
  AND toDate(ts) >= toDate(now() - INTERVAL 1 DAY)
  AND ts >= now64(3) - toIntervalMinute({minutes:UInt32})`;

export async function countRecentVisitors(store: Store, site: string, minutes: number): Promise<number> {
  const [r] = await select<{ visitors: string | number }>(store, SQL, { site, minutes });
  return Number(r?.visitors ?? 0);
}
