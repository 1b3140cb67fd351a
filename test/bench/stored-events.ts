/**
 * History for the ingest benchmark: `n` browser events of one site written straight into
 * `events_v1` by an `INSERT … SELECT` from `numbers()` (seconds for 10 M, where posting them would
 * take minutes), spread evenly over the `days` days before `endMs`, with ids, visitors and pages
 * shaped like the snippet's (ids of 30–40 digits, visitor and session ids alike).
 */
import type { Store } from '@funnelhouse/server';

const GENERATE = `
INSERT INTO {db:Identifier}.events_v1
  (site_id, event_id, type, name, ts, received_at, source, visitor_id, session_id, url, host, path,
   title, referrer_host, channel, browser, browser_version, os, device, country)
SELECT
  {site:String},
  concat('h', toString(cityHash64(number, 1)), toString(cityHash64(number, 2))),
  multiIf(r < 60, 'pageview', r < 80, 'click', r < 90, 'add_to_cart', r < 95, 'begin_checkout', 'purchase'),
  '',
  t,
  t,
  'browser',
  toString(cityHash64(v, 3)),
  concat(toString(cityHash64(v, 4)), toString(number % 3)),
  concat('https://shop.example', p),
  'shop.example',
  p,
  'Shop',
  arrayElement(['', 'google.com', 'facebook.com'], (cityHash64(v, 5) % 3) + 1),
  arrayElement(['direct', 'organic_search', 'social'], (cityHash64(v, 5) % 3) + 1),
  arrayElement(['Chrome', 'Safari', 'Firefox'], (cityHash64(v, 6) % 3) + 1),
  '131',
  arrayElement(['Windows', 'macOS', 'iOS', 'Android'], (cityHash64(v, 7) % 4) + 1),
  arrayElement(['desktop', 'mobile'], (cityHash64(v, 8) % 2) + 1),
  arrayElement(['DE', 'FR', 'US', 'GB'], (cityHash64(v, 9) % 4) + 1)
FROM (
  SELECT number,
    intDiv(number, 10) AS v,
    cityHash64(number) % 100 AS r,
    fromUnixTimestamp64Milli(toInt64({end:Int64} - {span:Int64} + intDiv(number * {span:Int64}, {n:UInt64}))) AS t,
    arrayElement(['/', '/product/1', '/product/2', '/cart', '/checkout'], (cityHash64(number, 10) % 5) + 1) AS p
  FROM numbers({n:UInt64}))`;

/** Writes the history; resolves when it is stored. */
export async function generateStoredEvents(
  store: Store,
  opts: { site: string; n: number; endMs: number; days: number },
): Promise<void> {
  if (opts.n <= 0) return;
  await store.ch.command({
    query: GENERATE,
    query_params: { db: store.db, site: opts.site, n: opts.n, end: opts.endMs, span: opts.days * 86_400_000 },
  });
}
