/**
 * The data set of the reports benchmark: `n` browser events of one site, written straight into
 * `events_v1` by one `INSERT … SELECT` from `numbers()` (tens of seconds for 10 M; posting them
 * would take many minutes), every one of them in `[fromMs, toMs)`. Each visitor (a row of
 * `numbers()`) gets `minPerVisitor`–`maxPerVisitor` events (`ARRAY JOIN range(length)`, cut at
 * `n` by `LIMIT`), in sessions of `perSession` events 45 s apart, the sessions `sessionGapMs`
 * apart, the visitor's first session at a hash-chosen time that keeps its last event in range.
 *
 * What each report reads is there:
 * - its first event is the exposure to experiment `key`, and every event carries
 *   `experiments[key]` (control or treatment by a hash of the visitor), as the snippet sends it;
 * - pageviews over several paths (home, listing, 20 products, blog, cart, about), clicks and
 *   named custom events; per visitor a channel with its referrer and UTM tags, a country, device, OS and
 *   browser;
 * - the shop: add_to_cart (a product path, one item with its price, the price as value),
 *   view_cart, begin_checkout and purchase; a cart (`cart_id`) lasts two sessions, so some carts
 *   left in one session are bought in the next (recovered); a purchase has a unique `order_id`,
 *   revenue and currency (EUR, USD for a tenth of visitors);
 * - event properties, for correlation candidates (`props.NAME`): a pageview's `section` (15, one
 *   per visitor) and on blog posts an `author` (30), a click's `element` (25), add_to_cart's
 *   `product` (60), `color` (12) and `size` (8), a custom event's `coupon` (40), the exposure's
 *   `banner` (10).
 */
import type { Store } from '@funnelhouse/server';

export interface ReportEventsShape {
  site: string;
  n: number;
  fromMs: number;
  toMs: number;
  minPerVisitor: number;
  maxPerVisitor: number;
  perSession: number;
  sessionGapMs: number;
  /** Experiment key of the exposures and of `experiments`. */
  key: string;
  /** Makes one data set's ids differ from another's. */
  seed: number;
}

const GENERATE = `
INSERT INTO {db:Identifier}.events_v1
  (site_id, event_id, type, name, ts, received_at, source, visitor_id, session_id, url, host, path,
   title, referrer_host, channel, utm_source, utm_medium, utm_campaign, browser, browser_version, os,
   device, country, cart_id, order_id, revenue, currency, items, experiments, props)
SELECT
  {site:String},
  concat('r', toString(cityHash64(v, i, {seed:UInt64})), toString(cityHash64(v, i, {seed:UInt64} + 1))),
  t,
  multiIf(t = 'exposure', {key:String}, t = 'custom', arrayElement(['newsletter_signup', 'size_guide', 'video_play'], (r % 3) + 1), ''),
  fromUnixTimestamp64Milli(ms),
  fromUnixTimestamp64Milli(ms),
  'browser',
  visitor,
  concat(visitor, '-', toString(s)),
  concat('https://shop.example', p),
  'shop.example',
  p,
  'Shop',
  arrayElement(['', 'google.com', 'google.com', 'facebook.com', '', 'blog.example'], c),
  arrayElement(['direct', 'organic_search', 'paid_search', 'social', 'email', 'referral'], c),
  arrayElement(['', '', 'google', 'facebook', 'newsletter', ''], c),
  arrayElement(['', '', 'cpc', 'social', 'email', ''], c),
  arrayElement(['', '', 'spring-sale', 'spring-sale', 'weekly', ''], c),
  arrayElement(['Chrome', 'Chrome', 'Safari', 'Firefox', 'Edge'], (cityHash64(v, {seed:UInt64}, 6) % 5) + 1),
  '131',
  arrayElement(['Windows', 'macOS', 'iOS', 'Android', 'Linux'], (cityHash64(v, {seed:UInt64}, 7) % 5) + 1),
  arrayElement(['desktop', 'mobile', 'mobile', 'tablet'], (cityHash64(v, {seed:UInt64}, 8) % 4) + 1),
  arrayElement(['DE', 'FR', 'US', 'GB', 'NL', 'ES', 'IT', 'PL'], (cityHash64(v, {seed:UInt64}, 9) % 8) + 1),
  if(t IN ('add_to_cart', 'view_cart', 'begin_checkout', 'purchase'), concat('c', visitor, '-', toString(intDiv(s, 2))), ''),
  if(t = 'purchase', concat('o', visitor, '-', toString(i)), ''),
  toDecimal64(multiIf(t = 'add_to_cart', price, t = 'purchase', 20 + cityHash64(v, i, 12) % 280, 0), 4),
  if(t IN ('add_to_cart', 'purchase'), cur, ''),
  if(t = 'add_to_cart',
     [(concat('sku-', toString(product)), concat('Product ', toString(product)), toDecimal64(price, 4), toUInt32(1), 'shoes', '')],
     []),
  map({key:String}, if(cityHash64(v, {seed:UInt64}, 19) % 2 = 0, 'control', 'treatment')),
  multiIf(
    t = 'pageview' AND startsWith(p, '/blog/'), map('section', sec, 'author', concat('author-', toString(h % 30))),
    t = 'pageview', map('section', sec),
    t = 'click', map('element', concat('button-', toString(h % 25))),
    t = 'add_to_cart', map('product', concat('sku-', toString(h % 60)),
                           'color', arrayElement(['black', 'white', 'red', 'blue', 'green', 'grey', 'navy', 'beige', 'brown', 'pink', 'olive', 'teal'], (h % 12) + 1),
                           'size', arrayElement(['XS', 'S', 'M', 'L', 'XL', 'XXL', '36', '42'], (intDiv(h, 12) % 8) + 1)),
    t = 'custom', map('coupon', concat('coupon-', toString(h % 40))),
    t = 'exposure', map('banner', concat('banner-', toString(h % 10))),
    map())
FROM (
  SELECT v, i,
    toString(cityHash64(v, {seed:UInt64}, 3)) AS visitor,
    intDiv(i, {per_session:UInt64}) AS s,
    intDiv(len - 1, {per_session:UInt64}) * {gap:UInt64} + {per_session:UInt64} * 45000 AS dur,
    {from:UInt64} + cityHash64(v, {seed:UInt64}, 2) % greatest(1, {span:UInt64} - dur) AS start,
    toInt64(start + s * {gap:UInt64} + (i % {per_session:UInt64}) * 45000 + cityHash64(v, i, 11) % 30000) AS ms,
    cityHash64(v, i, {seed:UInt64}, 5) % 100 AS r,
    if(i = 0, 'exposure', multiIf(r < 60, 'pageview', r < 72, 'click', r < 82, 'add_to_cart', r < 86, 'view_cart',
                                  r < 89, 'begin_checkout', r < 90, 'purchase', 'custom')) AS t,
    cityHash64(v, i, 13) % 20 AS product,
    10 + cityHash64(v, i, 14) % 90 AS price,
    (cityHash64(v, {seed:UInt64}, 5) % 6) + 1 AS c,
    if(cityHash64(v, {seed:UInt64}, 15) % 10 = 0, 'USD', 'EUR') AS cur,
    cityHash64(v, i, 17) AS h,
    concat('section-', toString(cityHash64(v, {seed:UInt64}, 18) % 15)) AS sec,
    multiIf(
      t = 'add_to_cart', concat('/product/', toString(product)),
      t = 'view_cart', '/cart',
      t = 'begin_checkout', '/checkout',
      t = 'purchase', '/checkout/thank-you',
      arrayElement(['/', '/', '/products', concat('/product/', toString(product)), concat('/product/', toString(product)),
                    concat('/product/', toString(product)), concat('/blog/post-', toString(product % 8)), '/cart', '/about', '/'],
                   (cityHash64(v, i, 16) % 10) + 1)) AS p
  FROM (
    SELECT number AS v,
      {min_len:UInt64} + cityHash64(number, {seed:UInt64}, 1) % ({max_len:UInt64} - {min_len:UInt64} + 1) AS len
    FROM numbers({visitors:UInt64})
  )
  ARRAY JOIN range(len) AS i
  LIMIT {n:UInt64}
)`;

/** Visitors enough for `n` events at the mean length, with a margin (the `LIMIT` cuts at `n`). */
export function visitorsFor(s: ReportEventsShape): number {
  return Math.ceil((s.n / ((s.minPerVisitor + s.maxPerVisitor) / 2)) * 1.05) + 1;
}

/** Writes the data set; resolves when it is stored. */
export async function generateReportEvents(store: Store, s: ReportEventsShape): Promise<void> {
  const longest =
    Math.floor((s.maxPerVisitor - 1) / s.perSession) * s.sessionGapMs + s.perSession * 45_000 + 30_000;
  if (longest >= s.toMs - s.fromMs) throw new Error('a visitor lasts longer than the range');
  await store.ch.command({
    query: GENERATE,
    query_params: {
      db: store.db,
      site: s.site,
      n: s.n,
      visitors: visitorsFor(s),
      min_len: s.minPerVisitor,
      max_len: s.maxPerVisitor,
      per_session: s.perSession,
      gap: s.sessionGapMs,
      from: s.fromMs,
      // Leaves room for the last event's up-to-30 s jitter.
      span: s.toMs - s.fromMs - 30_000,
      key: s.key,
      seed: s.seed,
    },
  });
}
