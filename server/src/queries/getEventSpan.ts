import { type Store, select } from '../clickhouse/client.ts';

/**
 * The part of [{from_ms}, {to_ms}) that holds a site's events: from its first event to just after
 * its last, as epoch ms; an empty span (from = to) when there are none. Unit: one site, one range.
 * A paging reader (the export) walks this span instead of the asked one, so a wide, sparse or
 * empty range costs pages for the data only. `toDate(ts)` bounds let the primary key prune.
 */
const SQL = `
SELECT
  count() AS n,
  toUnixTimestamp64Milli(min(ts)) AS first_ms,
  toUnixTimestamp64Milli(max(ts)) AS last_ms
FROM {db:Identifier}.events_v1
WHERE site_id = {site:String}
  AND toDate(ts) >= toDate(fromUnixTimestamp64Milli({from_ms:Int64}, 'UTC'))
  AND toDate(ts) <= toDate(fromUnixTimestamp64Milli({to_ms:Int64}, 'UTC'))
  AND ts >= fromUnixTimestamp64Milli({from_ms:Int64}, 'UTC')
  AND ts < fromUnixTimestamp64Milli({to_ms:Int64}, 'UTC')`;

export async function getEventSpan(
  store: Store,
  p: { site: string; fromMs: number; toMs: number },
): Promise<{ fromMs: number; toMs: number }> {
  const [r] = await select<{ n: string | number; first_ms: string | number; last_ms: string | number }>(
    store,
    SQL,
    { site: p.site, from_ms: p.fromMs, to_ms: p.toMs },
  );
  if (!r || Number(r.n) === 0) return { fromMs: p.fromMs, toMs: p.fromMs };
  return { fromMs: Number(r.first_ms), toMs: Number(r.last_ms) + 1 };
}
