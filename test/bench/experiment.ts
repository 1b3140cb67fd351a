/**
 * Experiment benchmark: N generated events of about N/10 visitors, every visitor exposed once to
 * `bench-exp` (two variants, by a hash) at its first event, purchases with order ids and revenue.
 * The median latency of the whole results read (exposure counts, the primary conversion metric
 * and two secondaries: revenue per visitor and average order value) against a hand-written plain
 * `GROUP BY variant` query that computes the conversion counts. Prints figures; asserts nothing.
 */
import type { ExperimentDefinition } from '@funnelhouse/schemas';
import { type Store, select } from '@funnelhouse/server';
import { runExperiment } from '../../server/src/experiments/run.ts';
import { medians } from './medians.ts';
import { openBenchStore } from './store.ts';

const DAY = 86_400_000;
const BASE = Date.UTC(2026, 0, 1);
const SPAN_DAYS = 28;
const KEY = 'bench-exp';

/**
 * Visitor v starts at a hash-chosen time and is exposed there; its ~10 events fall within six
 * hours after; every event carries the assignment, as the snippet sends it.
 */
const GENERATE = `
INSERT INTO {db:Identifier}.events_v1
  (site_id, event_id, type, name, ts, received_at, source, visitor_id, session_id, host, path, order_id, revenue, currency, experiments)
SELECT
  'bench-exp',
  toString(number),
  if(first, 'exposure', multiIf(r < 60, 'pageview', r < 80, 'add_to_cart', r < 92, 'begin_checkout', 'purchase')),
  if(first, {key:String}, ''),
  fromUnixTimestamp64Milli(toInt64({base:Int64} + (cityHash64(v, 7) % {span:UInt64}) + if(first, 0, 1 + cityHash64(number, 3) % 21600000))),
  now64(3),
  'import',
  toString(v),
  toString(v),
  'shop.example',
  '/',
  if(NOT first AND r >= 92, concat('o', toString(number)), ''),
  if(NOT first AND r >= 92, toDecimal64(10 + cityHash64(number, 5) % 200, 2), toDecimal64(0, 2)),
  'EUR',
  map({key:String}, if(cityHash64(v, 19) % 2 = 0, 'control', 'treatment'))
FROM (
  SELECT number, number < {visitors:UInt64} AS first,
    if(first, number, cityHash64(number) % {visitors:UInt64}) AS v, cityHash64(number, 1) % 100 AS r
  FROM numbers({n:UInt64})
)`;

/** The baseline: exposed visitors and purchasers per variant, one plain GROUP BY. */
const PLAIN = `
SELECT variant, uniqExact(visitor_id) AS units, uniqExactIf(visitor_id, type = 'purchase') AS buyers
FROM {db:Identifier}.events_v1
WHERE site_id = 'bench-exp' AND ts >= fromUnixTimestamp64Milli({from:Int64}) AND ts < fromUnixTimestamp64Milli({to:Int64})
  AND experiments[{key:String}] != ''
GROUP BY experiments[{key:String}] AS variant
ORDER BY variant`;

const definition: ExperimentDefinition = {
  key: KEY,
  name: 'bench',
  variants: [
    { key: 'control', weight: 1 },
    { key: 'treatment', weight: 1 },
  ],
  control: 'control',
  status: 'running',
  primary_metric: { kind: 'conversion', event: { type: 'purchase' }, window_seconds: 86_400 },
  secondary_metrics: [{ kind: 'revenue_per_visitor' }, { kind: 'average_order_value' }],
};

export async function benchExperiment(opts: {
  events: number;
  dataDir: string;
  runs: number;
}): Promise<void> {
  const store: Store = await openBenchStore(opts.dataDir);
  try {
    const t0 = performance.now();
    const visitors = Math.max(1, Math.round(opts.events / 10));
    await store.ch.command({
      query: GENERATE,
      query_params: { db: store.db, base: BASE, span: SPAN_DAYS * DAY, visitors, n: opts.events, key: KEY },
    });
    await store.ch.command({ query: `OPTIMIZE TABLE ${store.db}.events_v1 FINAL` });
    console.log(
      `experiment: generated ${opts.events} events, ${visitors} exposed visitors in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
    const range = { site: 'bench-exp', fromMs: BASE, toMs: BASE + (SPAN_DAYS + 1) * DAY, tz: 'UTC' };
    const plain = () => select(store, PLAIN, { from: range.fromMs, to: range.toMs, key: KEY });
    const ours = () => runExperiment(store.analytics, definition, range, { now: range.toMs });
    const [base = 0, mine = 0] = await medians(opts.runs, [plain, ours]);
    const counts = (await plain()) as { variant: string; units: number; buyers: number }[];
    const r = await ours();
    const conv = r.metrics[0]?.variants.map(
      (v) => `${v.variant} ${v.units}/${(v.sums as { conversions: number }).conversions}`,
    );
    console.log(
      `plain GROUP BY: ${counts.map((c) => `${c.variant} ${c.units}/${c.buyers}`).join(', ')}; ours: ${conv?.join(', ')}`,
    );
    console.log(`plain GROUP BY variant baseline          median ${base.toFixed(0)} ms`);
    console.log(
      `results, primary + 2 secondary metrics   median ${mine.toFixed(0)} ms  ratio ${(mine / base).toFixed(2)}x (targets <= 1000 ms, <= 2x)`,
    );
  } finally {
    await store.close();
  }
}
