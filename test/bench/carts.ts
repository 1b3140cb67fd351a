/**
 * Cart abandonment benchmark: N generated events (about N/10 visitors, one cart each for those
 * who add to it) in a fresh embedded ClickHouse, then the median latency of the abandonment
 * report's query (`getCartDailySums`: the whole cart fold, with order dedup, values and idle
 * gaps) against a hand-written minimal query for the same status counts (one GROUP BY per cart:
 * first, last and purchase time) over the same data in the same run. Prints figures; asserts
 * nothing.
 */
import { type Store, select } from '@funnelhouse/server';
import { getCartDailySums } from '../../server/src/carts/queries/getCartDailySums.ts';
import { medians } from './medians.ts';
import { openBenchStore } from './store.ts';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const BASE = Date.UTC(2026, 0, 1);
const SPAN_DAYS = 28;

/** Visitors get a random start; their ~10 events fall within six hours of it; cart events carry the visitor's cart. */
const GENERATE = `
INSERT INTO {db:Identifier}.events_v1
  (site_id, event_id, type, ts, received_at, source, visitor_id, session_id, url, host, path, channel, country, device,
   cart_id, order_id, revenue, currency)
SELECT
  'bench-carts',
  toString(number),
  multiIf(r < 55, 'pageview', r < 70, 'click', r < 80, 'add_to_cart', r < 84, 'view_cart', r < 88, 'begin_checkout',
          r < 90, 'add_shipping_info', r < 92, 'add_payment_info', r < 95, 'purchase', 'custom') AS t,
  fromUnixTimestamp64Milli(toInt64({base:Int64} + (cityHash64(v, 7) % {span:UInt64}) + (cityHash64(number, 3) % 21600000))),
  now64(3),
  'browser',
  toString(v),
  concat(toString(v), '-', toString(cityHash64(number, 5) % 2)),
  '', 'shop.example', '/',
  arrayElement(['direct', 'organic_search', 'paid_search', 'social', 'email', 'referral'], (cityHash64(v, 11) % 6) + 1),
  arrayElement(['DE', 'FR', 'US', 'GB', ''], (cityHash64(v, 13) % 5) + 1),
  arrayElement(['desktop', 'mobile', 'tablet'], (cityHash64(v, 17) % 3) + 1),
  if(r >= 70 AND r < 95, concat('c', toString(v)), ''),
  if(r >= 92 AND r < 95, concat('o', toString(v)), ''),
  if(r >= 70 AND r < 95, toDecimal64(10 + cityHash64(number, 19) % 90, 4), toDecimal64(0, 4)),
  'EUR'
FROM (SELECT number, cityHash64(number) % {visitors:UInt64} AS v, cityHash64(number, 1) % 100 AS r FROM numbers({n:UInt64}))`;

/** The baseline: per cart its first and last cart event and first purchase, then the status counts. */
const MINIMAL = `
SELECT status, count() AS carts FROM (
  SELECT multiIf(p = 0 AND {as_of:Int64} - l > {timeout:Int64}, 'abandoned', p = 0, 'open',
                 p - l > {timeout:Int64}, 'abandoned_or_recovered', 'purchased') AS status
  FROM (
    SELECT cart_id,
      toUnixTimestamp64Milli(minIf(ts, type != 'purchase')) AS c,
      toUnixTimestamp64Milli(maxIf(ts, type != 'purchase')) AS l,
      if(countIf(type = 'purchase') > 0, toUnixTimestamp64Milli(minIf(ts, type = 'purchase')), 0) AS p
    FROM {db:Identifier}.events_v1
    WHERE site_id = 'bench-carts' AND ts >= fromUnixTimestamp64Milli({lo:Int64}) AND ts < fromUnixTimestamp64Milli({as_of:Int64})
      AND cart_id != ''
    GROUP BY cart_id
    HAVING countIf(type != 'purchase') > 0 AND c >= {from:Int64} AND c < {to:Int64}
  )
)
GROUP BY status ORDER BY status`;

export async function benchCarts(opts: { events: number; dataDir: string; runs: number }): Promise<void> {
  const store: Store = await openBenchStore(opts.dataDir);
  try {
    const t0 = performance.now();
    const visitors = Math.max(1, Math.round(opts.events / 10));
    await store.ch.command({
      query: GENERATE,
      query_params: { db: store.db, base: BASE, span: SPAN_DAYS * DAY, visitors, n: opts.events },
    });
    await store.ch.command({ query: `OPTIMIZE TABLE ${store.db}.events_v1 FINAL` });
    console.log(
      `generated ${opts.events} events for ~${visitors} visitors in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
    const from = BASE;
    const to = BASE + SPAN_DAYS * DAY;
    const asOf = to + DAY;
    const scope = {
      range: { site: 'bench-carts', fromMs: from, toMs: to, tz: 'UTC' },
      asOfMs: asOf,
      timeoutMs: HOUR,
      windowMs: 7 * DAY,
    };
    const minimal = () =>
      select<{ status: string; carts: number }>(store, MINIMAL, {
        lo: from - 30 * DAY,
        from,
        to,
        as_of: asOf,
        timeout: HOUR,
      });
    const ours = () => getCartDailySums(store.analytics, scope);
    const [base = 0, mine = 0] = await medians(opts.runs, [minimal, ours]);
    const counts = Object.fromEntries((await minimal()).map((r) => [r.status, Number(r.carts)]));
    const rows = await ours();
    const by: Record<string, number> = {};
    for (const r of rows) by[r.status] = (by[r.status] ?? 0) + r.carts;
    console.log(`minimal counts: ${JSON.stringify(counts)}; ours: ${JSON.stringify(by)}`);
    console.log(`minimal cart-status query          median ${base.toFixed(0)} ms`);
    console.log(
      `abandonment fold (getCartDailySums) median ${mine.toFixed(0)} ms  ratio ${(mine / base).toFixed(2)}x (targets <= 1000 ms, <= 2x)`,
    );
  } finally {
    await store.close();
  }
}
