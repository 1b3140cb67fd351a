/**
 * Cart abandonment benchmark: N generated events (about N/10 visitors, one cart each for those
 * who add to it) in a fresh embedded ClickHouse, then the median latency of the abandonment
 * report's query (`getCartDailySums`: the whole cart fold, with order dedup, values and idle
 * gaps, grouped by day, status, stage and currencies) against two hand-written queries over the
 * same data in the same run:
 * - the **same counts**: the five status counts by the definitions (first order per cart, history
 *   cut at the purchase, value from the latest snapshot and the later deltas, repeated rows
 *   counted once, the first idle gap), written directly for this one answer with the cheapest
 *   constructs we know; it must give exactly our counts (printed);
 * - a **cruder count** (one GROUP BY per cart: first, last and purchase time), which cannot tell
 *   an empty cart from an abandoned one nor an abandoned-then-bought one from a recovered one: a
 *   lower bound on what any correct query costs, not the same counts.
 * Prints figures; asserts nothing.
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

/** The cruder count: per cart its first and last cart event and first purchase (no values, gaps or dedup). */
const CRUDE = `
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

/**
 * The same five status counts as the report, hand-written for this answer only: orders timed by
 * their first purchase, a cart's first order, the history up to it, the value (latest snapshot
 * plus later distinct deltas, never below 0), the first idle gap longer than the timeout.
 * Events ordered by one string key (time bytes, then the id), as the fold does.
 */
const SAME_COUNTS = `
SELECT status, count() AS carts FROM (
  SELECT multiIf(
      p = 0 AND value <= 0, 'empty',
      p = 0 AND {as_of:Int64} - l > {timeout:Int64}, 'abandoned',
      p = 0, 'open',
      value > 0 AND idle != 0 AND p - idle - {timeout:Int64} <= {window:Int64}, 'recovered',
      value > 0 AND idle != 0, 'abandoned',
      'purchased') AS status
  FROM (
    SELECT c, l, p, value,
      arrayFirstIndex(i -> times[i + 1] - times[i] > {timeout:Int64}, arrayEnumerate(arrayPopBack(times))) AS g,
      multiIf(p = 0, 0, g > 0, times[g], p - l > {timeout:Int64}, l, 0) AS idle
    FROM (
      SELECT e.cart_id,
        toUnixTimestamp64Milli(min(e.ts)) AS c,
        toUnixTimestamp64Milli(max(e.ts)) AS l,
        any(o.p) AS p,
        arraySort(arrayDistinct(groupArrayIf(toUnixTimestamp64Milli(e.ts), o.p != 0))) AS times,
        maxIf(e.k, e.snap) AS sk,
        argMaxIf(e.v, e.k, e.snap) AS sv,
        arrayDistinct(groupArrayIf((e.k, e.v), NOT e.snap)) AS d,
        greatest(0, sv + arraySum(arrayMap(x -> if(x.1 > sk, x.2, 0), d))) AS value
      FROM (
        SELECT cart_id, ts, concat(reverse(reinterpretAsFixedString(bitXor(reinterpretAsUInt64(toUnixTimestamp64Milli(ts)), toUInt64(9223372036854775808)))), event_id) AS k, type NOT IN ('add_to_cart', 'remove_from_cart') AS snap,
          if(type = 'remove_from_cart', -1, 1) *
            if(revenue > 0, toDecimal128(revenue, 4), arraySum(arrayMap((pr, q) -> toDecimal128(pr, 4) * q, items.price, items.quantity))) AS v
        FROM {db:Identifier}.events_v1
        WHERE site_id = 'bench-carts' AND ts >= fromUnixTimestamp64Milli({lo:Int64}) AND ts < fromUnixTimestamp64Milli({as_of:Int64})
          AND cart_id != ''
          AND type IN ('add_to_cart', 'remove_from_cart', 'view_cart', 'begin_checkout', 'add_shipping_info', 'add_payment_info')
      ) AS e
      LEFT JOIN (
        SELECT cart, min(t) AS p FROM (
          SELECT minIf(cart_id, cart_id != '') AS cart, toUnixTimestamp64Milli(min(ts)) AS t
          FROM {db:Identifier}.events_v1
          WHERE site_id = 'bench-carts' AND ts >= fromUnixTimestamp64Milli({lo:Int64}) AND ts < fromUnixTimestamp64Milli({as_of:Int64})
            AND type = 'purchase' AND order_id != ''
          GROUP BY order_id)
        WHERE cart != '' GROUP BY cart
      ) AS o ON e.cart_id = o.cart
      WHERE o.p = 0 OR toUnixTimestamp64Milli(e.ts) <= o.p
      GROUP BY e.cart_id
      HAVING c >= {from:Int64} AND c < {to:Int64}
    )
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
    const bind = { lo: from - 30 * DAY, from, to, as_of: asOf, timeout: HOUR, window: 7 * DAY };
    const crude = () => select<{ status: string; carts: number }>(store, CRUDE, bind);
    const same = () => select<{ status: string; carts: number }>(store, SAME_COUNTS, bind);
    const ours = () => getCartDailySums(store.analytics, scope);
    const [crudeMs = 0, sameMs = 0, mine = 0] = await medians(opts.runs, [crude, same, ours]);
    const counts = (rows: { status: string; carts: number }[]) =>
      Object.fromEntries(rows.map((r) => [r.status, Number(r.carts)]));
    const by: Record<string, number> = {};
    for (const r of await ours()) by[r.status] = (by[r.status] ?? 0) + r.carts;
    const sameCounts = counts(await same());
    const equal =
      JSON.stringify(sameCounts) === JSON.stringify(Object.fromEntries(Object.entries(by).sort()));
    console.log(`ours: ${JSON.stringify(by)}`);
    console.log(
      `same counts, hand-written: ${JSON.stringify(sameCounts)} (${equal ? 'equal to ours' : 'DIFFERENT from ours'})`,
    );
    console.log(`cruder count: ${JSON.stringify(counts(await crude()))}`);
    console.log(`same counts, hand-written query      median ${sameMs.toFixed(0)} ms`);
    console.log(`cruder count (lower bound)           median ${crudeMs.toFixed(0)} ms`);
    console.log(
      `abandonment report (getCartDailySums) median ${mine.toFixed(0)} ms  ${(mine / sameMs).toFixed(2)}x the same counts (targets <= 1000 ms, <= 2x), ${(mine / crudeMs).toFixed(2)}x the cruder count`,
    );
  } finally {
    await store.close();
  }
}
