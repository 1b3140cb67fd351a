/**
 * The funnel insights of the reports benchmark (issue 29): a correlation over the shop funnel's
 * entry → purchase with 17 properties (about 200 candidates on `report-events.ts` data) and a
 * 3-level path tree after the home page, each asked through the API, and their baselines: a
 * hand-written `GROUP BY` that computes the same kind of counts, timed on the same data set in
 * the same run (while no server runs: one process per chdb directory).
 *
 * The baselines are what one would write by hand for this data, without the engine's generality:
 * - correlation: the units that entered (a product pageview) and converted (`windowFunnel`
 *   reaches purchase), joined to their events; per candidate (event type, custom event name,
 *   each event property's value, and each unit-level column's value at the entry event) the
 *   units who did it and those who did it and converted (`uniqExact`). Events count from the
 *   entry to the entry + the window, not cut at the conversion instant as the engine's are, and
 *   no value is folded into "Other": the counts are of the same kind, not equal.
 * - paths: per visitor the sorted pageviews, the cleaned paths (digits → `*`) after the first home
 *   page, repeats dropped, the first 3; units per prefix. The same level counts as the engine's.
 */
import {
  CORRELATION_COLUMNS,
  type CorrelationRequest,
  type FunnelDefinition,
  funnelWindowSeconds,
  type PathsQueryRequest,
} from '@funnelhouse/schemas';
import { type Store, select } from '@funnelhouse/server';
import { medians } from './medians.ts';

/** Every unit-level column, the landing path, the experiment and the generator's event properties. */
export const CORRELATION_PROPERTIES = [
  ...CORRELATION_COLUMNS,
  'landing_path',
  'experiments.bench-exp',
  'props.section',
  'props.author',
  'props.element',
  'props.product',
  'props.color',
  'props.size',
  'props.coupon',
  'props.banner',
] as const;

/** The shop funnel of the reports benchmark (`reports.ts` saves the same steps). */
export const SHOP: FunnelDefinition = {
  steps: [
    { label: 'Product', match: [{ type: 'pageview', path: { op: 'wildcard', value: '/product/*' } }] },
    { label: 'Add to cart', match: [{ type: 'add_to_cart' }] },
    { label: 'Checkout', match: [{ type: 'begin_checkout' }] },
    { label: 'Purchase', match: [{ type: 'purchase' }] },
  ],
};

type Range = { from: string; to: string; tz: string };

export const correlationBody = (r: Range): CorrelationRequest => ({
  definition: SHOP,
  ...r,
  properties: [...CORRELATION_PROPERTIES],
});

export const pathsBody = (r: Range): PathsQueryRequest => ({
  start: { page: '/' },
  direction: 'after',
  depth: 3,
  node: 'path',
  ...r,
});

const RANGE = `site_id = {site:String} AND ts >= fromUnixTimestamp64Milli({from:Int64}) AND ts < fromUnixTimestamp64Milli({to:Int64})`;

/** The correlation baseline (see the header): per candidate, units who did it, and converted. */
const CORRELATION_BASELINE = `
SELECT count() AS candidates, max(did) AS units
FROM (
  SELECT c.1 AS kind, c.2 AS property, c.3 AS value,
    uniqExact(visitor_id) AS did, uniqExactIf(visitor_id, conv) AS did_converted
  FROM (
    SELECT visitor_id, toUnixTimestamp64Milli(ts) AS t, type, name, props, path,
      channel, utm_source, utm_medium, utm_campaign, device, browser, country, experiments
    FROM {db:Identifier}.events_v1
    WHERE ${RANGE}
  ) AS e
  INNER JOIN (
    SELECT visitor_id,
      minIf(toUnixTimestamp64Milli(ts), type = 'pageview' AND path LIKE '/product/%') AS t0,
      windowFunnel({window:UInt64})(toDateTime(ts), type = 'pageview' AND path LIKE '/product/%',
        type = 'add_to_cart', type = 'begin_checkout', type = 'purchase') = 4 AS conv
    FROM {db:Identifier}.events_v1
    WHERE ${RANGE}
    GROUP BY visitor_id
    HAVING t0 > 0
  ) AS u USING (visitor_id)
  ARRAY JOIN arrayConcat(
    if(t = t0, [tuple('units', '', ''), tuple('property', 'channel', toString(channel)),
      tuple('property', 'utm_source', utm_source), tuple('property', 'utm_medium', utm_medium),
      tuple('property', 'utm_campaign', utm_campaign), tuple('property', 'device', toString(device)),
      tuple('property', 'browser', toString(browser)), tuple('property', 'country', toString(country)),
      tuple('property', 'landing_path', path),
      tuple('property', 'experiments.bench-exp', experiments['bench-exp'])], []),
    if(t > t0, [tuple('event_type', '', toString(type))], []),
    if(t > t0 AND type = 'custom', [tuple('event_name', '', name)], []),
    if(t > t0, arrayMap(k -> tuple('property', concat('props.', k), props[k]), mapKeys(props)), [])) AS c
  WHERE t >= t0 AND t < t0 + {window:UInt64} * 1000
  GROUP BY kind, property, value
)`;

/** The paths baseline (see the header): units per prefix of the 3 pages after the first home page. */
const PATHS_BASELINE = `
SELECT count() AS prefixes, max(units) AS units
FROM (
  SELECT prefix, count() AS units
  FROM (
    SELECT arraySlice(arrayFilter((x, y) -> x != y, ls, arrayPopBack(arrayPushFront(ls, '/'))), 1, 3) AS path
    FROM (
      SELECT visitor_id, arraySort(groupArray((t, event_id, lbl))) AS evs,
        arrayFirstIndex(e -> e.3 = '/', evs) AS si,
        arrayMap(e -> e.3, arraySlice(evs, si + 1)) AS ls
      FROM (
        SELECT visitor_id, toUnixTimestamp64Milli(ts) AS t, event_id, replaceRegexpAll(path, '/[0-9]+(/|$)', '/*\\\\1') AS lbl
        FROM {db:Identifier}.events_v1
        WHERE ${RANGE} AND type = 'pageview'
      )
      GROUP BY visitor_id
      HAVING si > 0
    )
  )
  ARRAY JOIN arrayMap(k -> arraySlice(path, 1, k), range(0, toUInt64(length(path) + 1))) AS prefix
  GROUP BY prefix
)`;

/**
 * The products baseline (issue 30): per item, from the item-bearing events' lines, the visitors
 * who viewed, added and bought it and the orders, quantity and revenue (`uniqExact`, one pass).
 * The report also folds the carts for the abandoned value, which the baseline leaves out, and
 * takes an order's lines from one of its purchase events: the counts are alike, not equal.
 */
const PRODUCTS_BASELINE = `
SELECT count() AS items, max(carts) AS units
FROM (
  SELECT tupleElement(line, 1) AS item,
    uniqExactIf(visitor_id, type = 'view_item') AS views,
    uniqExactIf(visitor_id, type = 'add_to_cart') AS carts,
    uniqExactIf(visitor_id, type = 'purchase') AS buyers,
    uniqExactIf(order_id, type = 'purchase') AS orders,
    sumIf(tupleElement(line, 4), type = 'purchase') AS quantity,
    sumIf(toDecimal128(tupleElement(line, 3), 4) * tupleElement(line, 4), type = 'purchase') AS revenue
  FROM {db:Identifier}.events_v1
  ARRAY JOIN items AS line
  WHERE ${RANGE} AND type IN ('view_item', 'add_to_cart', 'purchase')
  GROUP BY item
)`;

export interface BaselineFigures {
  name: 'correlation' | 'paths' | 'products';
  ms: number;
  /** What the baseline counted (candidates, prefixes or items, and the units of the largest row). */
  answer: string;
}

/** Medians of the baselines on one site over `[fromMs, toMs)`, `runs` rounds after a warm-up. */
export async function measureBaselines(
  store: Store,
  o: { site: string; fromMs: number; toMs: number; runs: number; names: readonly string[] },
): Promise<BaselineFigures[]> {
  const values = { site: o.site, from: o.fromMs, to: o.toMs, window: funnelWindowSeconds(SHOP) };
  const queries = [
    { name: 'correlation' as const, sql: CORRELATION_BASELINE, what: 'candidates' },
    { name: 'paths' as const, sql: PATHS_BASELINE, what: 'prefixes' },
    { name: 'products' as const, sql: PRODUCTS_BASELINE, what: 'items' },
  ].filter((q) => o.names.some((n) => q.name.startsWith(n)));
  const run = (sql: string) => () => select<Record<string, string>>(store, sql, values);
  const ms = await medians(
    o.runs,
    queries.map((q) => run(q.sql)),
  );
  const out: BaselineFigures[] = [];
  for (const [i, q] of queries.entries()) {
    const [r] = await run(q.sql)();
    out.push({
      name: q.name,
      ms: ms[i] ?? Number.NaN,
      answer: `${r?.[q.what]} ${q.what}, ${r?.units} units in the largest`,
    });
  }
  return out;
}
