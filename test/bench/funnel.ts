/**
 * Funnel benchmark: N generated events (about N/10 visitors) in a fresh embedded ClickHouse, then
 * the median latency of our funnel query against a hand-written `windowFunnel` query over the same
 * data in the same run. Prints figures; asserts nothing.
 */
import type { FunnelDefinition } from '@funnelhouse/schemas';
import { getFunnelLevels, type Store, select } from '@funnelhouse/server';
import { medians } from './medians.ts';
import { openBenchStore } from './store.ts';

const SITE = 'bench';
const DAY = 86_400_000;
const BASE = Date.UTC(2026, 0, 1);
const SPAN_DAYS = 28;

/** Visitors get a random start; their ~10 events fall within six hours of it. */
const GENERATE = `
INSERT INTO {db:Identifier}.events_v1
  (site_id, event_id, type, name, ts, received_at, source, visitor_id, session_id, url, host, path, channel, country, device)
SELECT
  'bench',
  toString(number),
  multiIf(r < 55, 'pageview', r < 72, 'click', r < 84, 'add_to_cart', r < 91, 'begin_checkout', r < 95, 'purchase', 'custom'),
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

/** The baseline: ClickHouse's own windowFunnel over the same steps, units per level reached. */
const WINDOW_FUNNEL = `
SELECT level, count() AS units FROM (
  SELECT visitor_id,
    windowFunnel(86400000)(toUInt64(toUnixTimestamp64Milli(ts)),
      type = 'pageview' AND like(path, '/product%'), type = 'add_to_cart', type = 'begin_checkout', type = 'purchase') AS level
  FROM {db:Identifier}.events_v1
  WHERE site_id = 'bench' AND ts >= fromUnixTimestamp64Milli({from:Int64}) AND ts < fromUnixTimestamp64Milli({to:Int64})
  GROUP BY visitor_id
)
GROUP BY level ORDER BY level`;

const steps: FunnelDefinition['steps'] = [
  { match: [{ type: 'pageview', path: { op: 'wildcard', value: '/product*' } }] },
  { match: [{ type: 'add_to_cart' }] },
  { match: [{ type: 'begin_checkout' }] },
  { match: [{ type: 'purchase' }] },
];
const plain: FunnelDefinition = { steps, window_seconds: 86_400 };
const rich: FunnelDefinition = {
  steps: steps.map((s, i) =>
    i === 2 ? { ...s, max_gap_seconds: 3 * 3600 } : i === 3 ? { ...s, min_gap_seconds: 1 } : s,
  ),
  window_seconds: 86_400,
  exclusions: [{ match: [{ type: 'custom', name: 'coupon_error' }], from_step: 2, to_step: 4 }],
};

export async function benchFunnel(opts: { events: number; dataDir: string; runs: number }): Promise<void> {
  const store: Store = await openBenchStore(opts.dataDir);
  try {
    const t0 = performance.now();
    const visitors = Math.max(1, Math.round(opts.events / 10));
    await store.ch.command({
      query: GENERATE,
      query_params: { db: store.db, base: BASE, span: SPAN_DAYS * DAY, visitors, n: opts.events },
    });
    await store.ch.command({ query: `OPTIMIZE TABLE ${store.db}.events_v1 FINAL` });
    const [c] = await select<{ n: number }>(store, 'SELECT count() AS n FROM {db:Identifier}.events_v1');
    console.log(
      `generated ${Number(c?.n)} events for ~${visitors} visitors in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );

    const from = BASE;
    const to = BASE + SPAN_DAYS * DAY;
    const now = to + 30 * DAY;
    const baseline = () => select(store, WINDOW_FUNNEL, { from, to: to + DAY });
    const ours = (def: FunnelDefinition, breakdown: boolean) =>
      getFunnelLevels(store, SITE, def, {
        from,
        to,
        now,
        cohorts: 'all',
        ...(breakdown ? { breakdown: { dimension: { column: 'channel' as const } } } : {}),
      });
    const [base = 0, a = 0, b = 0] = await medians(opts.runs, [
      baseline,
      () => ours(plain, false),
      () => ours(rich, true),
    ]);
    const levels = (await baseline()) as { level: number; units: number }[];
    const mine = (await ours(plain, false)).rows.filter((r) => r.overall).map((r) => r.reached);
    console.log(
      `windowFunnel levels: ${levels.map((l) => `${l.level}:${l.units}`).join(' ')}; ours per step: ${mine.join(' ')}`,
    );
    console.log(`windowFunnel baseline            median ${base.toFixed(0)} ms`);
    console.log(
      `ours, same 4 steps                median ${a.toFixed(0)} ms  ratio ${(a / base).toFixed(2)}x (target <= 1.2x)`,
    );
    console.log(
      `ours, + exclusion, gaps, breakdown median ${b.toFixed(0)} ms  ratio ${(b / base).toFixed(2)}x (target <= 2x)`,
    );
  } finally {
    await store.close();
  }
}
