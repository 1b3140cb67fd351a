import { type Store, select } from '../clickhouse/client.ts';

/** Every live site, latest version of each row. Unit: one row per site. */
const SQL = `
SELECT site_id, name, site_key, allowed_hosts, respect_dnt, scrub_emails, toUnixTimestamp64Milli(created_at) AS created_at
FROM {db:Identifier}.sites_v1 FINAL
WHERE deleted = 0
ORDER BY created_at, site_id`;

export interface SiteRow {
  site_id: string;
  name: string;
  site_key: string;
  allowed_hosts: string[];
  /** 1: drop events whose request carries `DNT: 1` or `Sec-GPC: 1`. */
  respect_dnt: number;
  /** 1: replace e-mail addresses in titles, click text and property values. */
  scrub_emails: number;
  created_at: number;
}

export async function listSites(store: Store): Promise<SiteRow[]> {
  const rows = await select<SiteRow>(store, SQL);
  return rows.map((r) => ({
    ...r,
    respect_dnt: Number(r.respect_dnt),
    scrub_emails: Number(r.scrub_emails),
    created_at: Number(r.created_at),
  }));
}
