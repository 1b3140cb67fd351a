import { select } from '@funnelhouse/server';
import type { TestServer } from './server.ts';

/** Every stored row of a site, read straight from ClickHouse, in a stable order. */
export async function storedRows(s: TestServer, siteId: string): Promise<Record<string, unknown>[]> {
  await s.deps.ingest.drained();
  return select(
    s.deps.store,
    `SELECT * EXCEPT (received_at), toUnixTimestamp64Milli(ts) AS ts_ms
     FROM {db:Identifier}.events_v1 WHERE site_id = {site:String} ORDER BY event_id`,
    { site: siteId },
  );
}

export async function countRows(s: TestServer, siteId: string): Promise<number> {
  await s.deps.ingest.drained();
  const [r] = await select<{ n: number | string }>(
    s.deps.store,
    'SELECT count() AS n FROM {db:Identifier}.events_v1 WHERE site_id = {site:String}',
    { site: siteId },
  );
  return Number(r?.n ?? 0);
}
