import { z } from 'zod';
import type { Store } from '../clickhouse/client.ts';
import { defineQuery, runQuery } from '../clickhouse/query.ts';
import { count } from '../sql/range.ts';

/** Every live site, latest version of each row. Unit: one row per site. */
const query = defineQuery({
  name: 'listSites',
  sql: `
SELECT site_id, name, site_key, allowed_hosts, respect_dnt, scrub_emails, time_zone, toUnixTimestamp64Milli(created_at) AS created_at
FROM {db:Identifier}.sites_v1 FINAL
WHERE deleted = 0
ORDER BY created_at, site_id`,
  params: z.object({}),
  row: z.object({
    site_id: z.string(),
    name: z.string(),
    site_key: z.string(),
    allowed_hosts: z.array(z.string()),
    /** 1: drop events whose request carries `DNT: 1` or `Sec-GPC: 1`. */
    respect_dnt: count,
    /** 1: replace e-mail addresses in titles, click text and property values. */
    scrub_emails: count,
    /** IANA zone of the site's reports when a request names none (engine spelling). */
    time_zone: z.string(),
    created_at: count,
  }),
});

export type SiteRow = z.infer<typeof query.row>;

export function listSites(store: Store): Promise<SiteRow[]> {
  return runQuery(store, query, {});
}
