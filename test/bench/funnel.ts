/**
 * Funnel benchmark: N generated events in a fresh embedded ClickHouse, then the median latency of
 * our funnel query against a hand-written `windowFunnel` query over the same steps and data in the
 * same run. Two distributions, each its own site: realistic (about N/10 visitors of ~10 events) and
 * heavy units (N/1000 visitors of ~1,000 events, most of them pageviews, so that steps match most
 * of a unit's events). Prints figures; asserts nothing.
 */
import type { FunnelDefinition } from '@funnelhouse/schemas';
import { getFunnelLevels, type Store, select } from '@funnelhouse/server';
import { medians } from './medians.ts';
import { openBenchStore } from './store.ts';

const SITE = 'bench';
const DAY = 86_400_000;
const BASE = Date.UTC(2026, 0, 1);
const SPAN_DAYS = 28;

/**
 * Visitors get a random start; their events fall within six hours of it. Realistic site: ~10 events
 * per visitor, 55 % pageviews. Heavy site: ~1,000 per visitor, 85 % pageviews.
 */
const GENERATE = `
INSERT INTO {db:Identifier}.events_v1
  (site_id, event_id, type, name, ts, received_at, source, visitor_id, session_id, url, host, path, channel, country, device)
SELECT
  {site:String},
  toString(number),
  if({heavy:UInt8} = 1,
    multiIf(r < 85, 'pageview', r < 90, 'click', r < 94, 'add_to_cart', r < 97, 'begin_checkout', r < 99, 'purchase', 'custom'),
    multiIf(r < 55, 'pageview', r < 72, 'click', r < 84, 'add_to_cart', r < 91, 'begin_checkout', r < 95, 'purchase', 'custom')),
  if(r >= 95, 'coupon_error', ''),
  fromUnixTimestamp64Milli(toInt64({base:Int64} + (cityHash64(v, 7) % {span:UInt64}) + (cityHash64(number, 3) % 21600000))),
  now64(3),
  'import',
  toString(v),
  concat(toString(v), '-', toString(cityHash64(number, 5) % 2)),
  '', 'shop.example',
  arrayElement(['/product/1', '/product/2', '/', '/cart', '/blog'], (cityHash64(number, 9) % 5) + 1),
  arrayElement(['direct', 'organic_search', 'paid_search', 'social', 'email', 'referral'], (cityHash64(v, 11) % 6) + 1),
  arrayElement(['DE', 'FR', 'US', 'GB', ''], (cityHash64(v, 13) % 5) + 1),
  arrayElement(['desktop', 'mobile', 'tablet'], (cityHash64(v, 17) % 3) + 1)
FROM (SELECT number, cityHash64(number) % {visitors:UInt64} AS v, cityHash64(number, 1) % 100 AS r FROM numbers({n:UInt64}))`;

/** The baseline: ClickHouse's own windowFunnel over the same steps (`conds`), units per level reached. */
const windowFunnel = (conds: string[]) => `
SELECT level, count() AS units FROM (
  SELECT visitor_id,
    windowFunnel(86400000)(toUInt64(toUnixTimestamp64Milli(ts)), ${conds.join(', ')}) AS level
  FROM {db:Identifier}.events_v1
  WHERE site_id = {site:String} AND ts >= fromUnixTimestamp64Milli({from:Int64}) AND ts < fromUnixTimestamp64Milli({to:Int64})
  GROUP BY visitor_id
)
GROUP BY level ORDER BY level`;
const PRODUCT_VIEW = "type = 'pageview' AND like(path, '/product%')";
const SHOP_CONDS = [PRODUCT_VIEW, "type = 'add_to_cart'", "type = 'begin_checkout'", "type = 'purchase'"];
const PV = "type = 'pageview'";

const steps: FunnelDefinition['steps'] = [
  { match: [{ type: 'pageview', path: { op: 'wildcard', value: '/product*' } }] },
  { match: [{ type: 'add_to_cart' }] },
  { match: [{ type: 'begin_checkout' }] },
  { match: [{ type: 'purchase' }] },
];
const plain: FunnelDefinition = { steps, window_seconds: 86_400 };
const pageview: FunnelDefinition['steps'][number] = { match: [{ type: 'pageview' }] };
/** Both steps match nearly every event of a heavy unit. */
const pvPv: FunnelDefinition = { steps: [pageview, pageview], window_seconds: 86_400 };
/** Step 1 matches most events; the later steps are the shop's. */
const pvShop: FunnelDefinition = { steps: [pageview, ...steps.slice(1)], window_seconds: 86_400 };
const PV_SHOP_CONDS = [PV, ...SHOP_CONDS.slice(1)];
const rich: FunnelDefinition = {
  steps: steps.map((s, i) =>
    i === 2 ? { ...s, max_gap_seconds: 3 * 3600 } : i === 3 ? { ...s, min_gap_seconds: 1 } : s,
  ),
  window_seconds: 86_400,
  exclusions: [{ match: [{ type: 'custom', name: 'coupon_error' }], from_step: 2, to_step: 4 }],
};

interface Case {
  label: string;
  def: FunnelDefinition;
  breakdown?: boolean;
  /** windowFunnel's conditions for the same steps; the rich case compares with the plain baseline. */
  conds: string[];
  target: string;
}

/** One distribution: generate its site, then each case against its windowFunnel baseline. */
async function runSite(
  store: Store,
  o: { site: string; events: number; perVisitor: number; runs: number },
  cases: Case[],
): Promise<void> {
  const t0 = performance.now();
  const visitors = Math.max(1, Math.round(o.events / o.perVisitor));
  await store.ch.command({
    query: GENERATE,
    query_params: {
      db: store.db,
      site: o.site,
      heavy: o.perVisitor > 100 ? 1 : 0,
      base: BASE,
      span: SPAN_DAYS * DAY,
      visitors,
      n: o.events,
    },
  });
  await store.ch.command({ query: `OPTIMIZE TABLE ${store.db}.events_v1 FINAL` });
  const [c] = await select<{ n: number }>(
    store,
    'SELECT count() AS n FROM {db:Identifier}.events_v1 WHERE site_id = {site:String}',
    { site: o.site },
  );
  console.log(
    `${o.site}: generated ${Number(c?.n)} events for ~${visitors} visitors (~${o.perVisitor} each) in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  const from = BASE;
  const to = BASE + SPAN_DAYS * DAY;
  const now = to + 30 * DAY;
  const baseline = (conds: string[]) => () =>
    select(store, windowFunnel(conds), { site: o.site, from, to: to + DAY });
  const ours = (def: FunnelDefinition, breakdown: boolean) => () =>
    getFunnelLevels(store, o.site, def, {
      from,
      to,
      now,
      cohorts: 'all',
      ...(breakdown ? { breakdown: { dimension: { column: 'channel' as const } } } : {}),
    });
  for (const k of cases) {
    console.log(`  ${k.label}`);
    // A query over its memory or time limit is a figure too: print it and go on.
    const timed = await medians(o.runs, [baseline(k.conds), ours(k.def, k.breakdown ?? false)]).catch(
      (e: Error) => e,
    );
    if (timed instanceof Error) {
      console.log(`    ours failed: ${timed.message}`);
      continue;
    }
    const [base = 0, mine = 0] = timed;
    const levels = (await baseline(k.conds)()) as { level: number; units: number }[];
    const got = await ours(k.def, false)();
    const reached = got.rows.filter((r) => r.overall && r.level > 0).map((r) => r.reached);
    const skipped = got.rows.find((r) => r.overall && r.level === 0)?.reached ?? 0;
    console.log(
      `    windowFunnel levels ${levels.map((l) => `${l.level}:${l.units}`).join(' ')}; ours per step ${reached.join(' ')}${skipped ? `, skipped ${skipped}` : ''}`,
    );
    console.log(
      `    windowFunnel ${base.toFixed(0)} ms, ours ${mine.toFixed(0)} ms, ratio ${(mine / base).toFixed(2)}x (target <= ${k.target})`,
    );
  }
}

export async function benchFunnel(opts: { events: number; dataDir: string; runs: number }): Promise<void> {
  const store: Store = await openBenchStore(opts.dataDir);
  try {
    const shop = {
      label: 'shop 4 steps (product view → cart → checkout → purchase)',
      def: plain,
      conds: SHOP_CONDS,
    };
    await runSite(store, { site: SITE, events: opts.events, perVisitor: 10, runs: opts.runs }, [
      { ...shop, target: '1.2x' },
      {
        label: 'same + exclusion, gaps, channel breakdown',
        def: rich,
        breakdown: true,
        conds: SHOP_CONDS,
        target: '2x',
      },
      { label: 'pageview → pageview', def: pvPv, conds: [PV, PV], target: '2x' },
      { label: 'pageview → cart → checkout → purchase', def: pvShop, conds: PV_SHOP_CONDS, target: '2x' },
    ]);
    await runSite(store, { site: `${SITE}-heavy`, events: opts.events, perVisitor: 1000, runs: opts.runs }, [
      { label: 'pageview → pageview', def: pvPv, conds: [PV, PV], target: '2x' },
      { label: 'pageview → cart → checkout → purchase', def: pvShop, conds: PV_SHOP_CONDS, target: '2x' },
      { ...shop, target: '2x' },
      {
        label: 'shop + exclusion, gaps, channel breakdown',
        def: rich,
        breakdown: true,
        conds: SHOP_CONDS,
        target: '2x',
      },
    ]);
  } finally {
    await store.close();
  }
}
