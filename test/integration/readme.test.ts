import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import type {
  CartAbandonmentResponse,
  CorrelationResult,
  FunnelResult,
  OrdersSummaryResponse,
  ProductsResponse,
} from '@funnelhouse/schemas';
import { runSeed } from '@funnelhouse/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin } from '../helpers/api.ts';
import { ADMIN_KEY, startTestServer, type TestServer } from '../helpers/server.ts';

/**
 * The README's own commands, run verbatim (only the host is this test's server) after `pnpm seed`
 * on the demo site, as a new user would after `npm start`: the first funnel a user runs must show
 * the effect the seed planted (`cta-color`, checkout → purchase: red 40 %, green 50 %).
 */
const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const blocks = [...README.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1] as string);
const run = promisify(execFile);

let s: TestServer;
let env: Record<string, string>;
beforeAll(async () => {
  s = await startTestServer();
  const key = (await (await admin(s, 'POST', '/api/v1/sites/demo/keys')).json()) as { api_key: string };
  env = { ...(process.env as Record<string, string>), DEMO_API_KEY: key.api_key, ADMIN_KEY };
  const lines: string[] = [];
  const code = await runSeed(
    ['--url', s.url, '--visitors', '3000', '--days', '30', '--admin-key', ADMIN_KEY],
    (l) => lines.push(l),
  );
  expect(code, lines.join('\n')).toBe(0);
  await s.deps.ingest.drained();
}, 300_000);
afterAll(() => s.destroy());

/** Runs one README block in bash against this server; returns what it printed. */
async function runBlock(find: string): Promise<string> {
  const block = blocks.find((b) => b.includes(find));
  if (!block) throw new Error(`no README block with ${find}`);
  const script = block
    .split('\n')
    .filter((l) => !l.startsWith('pnpm seed'))
    .join('\n')
    .replaceAll('http://localhost:8787', s.url);
  const { stdout } = await run('bash', ['-c', script], { env });
  return stdout;
}

type Group = FunnelResult['overall'] & { value: string | null };
const paidRate = (g: Group | undefined) => g?.steps[3]?.from_previous;

describe('the README, verbatim', () => {
  it('its overview command answers with the seeded traffic', async () => {
    const o = JSON.parse(await runBlock('/overview?range=7d')) as { totals: { visitors: number } };
    expect(o.totals.visitors).toBeGreaterThan(100);
  });

  it('its experiment commands define an experiment, read the seeded one with options, and plan', async () => {
    const out = await runBlock('/experiment-plan?');
    // Three answers in a row: the new definition, the seeded experiment's results, the plan.
    const saved = /^\{"key":"cta-color-v2"/.test(out);
    expect(saved, out.slice(0, 200)).toBe(true);
    const results = JSON.parse(
      /\{"site_id":"demo","experiment_key":"cta-color"[\s\S]*?\}(?=\{"needed_per_variant")/.exec(out)?.[0] ??
        '{}',
    ) as {
      variants: { units: number }[];
      metrics: { sequential: boolean }[];
      over_time: unknown[];
      verdict: { headline: string; text: string };
    };
    expect(results.variants.map((v) => v.units > 10)).toEqual([true, true]);
    expect(results.metrics[0]?.sequential).toBe(true);
    expect(results.over_time.length).toBeGreaterThan(1);
    expect(results.verdict.text.length).toBeGreaterThan(20);
    expect(out).toMatch(/\{"needed_per_variant":\d+,"needed_total":\d+,"days":\d+/);
  });

  it('its funnel example shows the planted variant effect within each interval', async () => {
    const r = JSON.parse(await runBlock('/funnels/query')) as FunnelResult & { breakdown: Group[] };
    expect(r.cohorts).toBe('all');
    const byValue = Object.fromEntries(r.breakdown.map((g) => [g.value, g]));
    for (const [variant, truth] of [
      ['red', 0.4],
      ['green', 0.5],
    ] as const) {
      const rate = paidRate(byValue[variant]);
      expect(rate?.low, variant).toBeLessThanOrEqual(truth);
      expect(rate?.high, variant).toBeGreaterThanOrEqual(truth);
    }
    expect(paidRate(byValue.green)?.rate ?? 0).toBeGreaterThan(paidRate(byValue.red)?.rate ?? 1);
  });

  it('its correlation example finds the planted variant: green goes with paying, red with dropping', async () => {
    const r = JSON.parse(await runBlock('/funnels/correlation')) as CorrelationResult;
    expect(r.steps).toEqual({ from: 2, to: 3 });
    expect(r.excluded).toEqual([{ kind: 'event_type', value: 'purchase', reason: 'defines_step', step: 3 }]);
    const variant = (list: CorrelationResult['success'], value: string) =>
      list.find((c) => c.property === 'experiments.cta-color' && c.value === value);
    const green = variant(r.success, 'green');
    const red = variant(r.drop_off, 'red');
    expect(green?.odds_ratio_interval.low).toBeGreaterThan(1);
    expect(red?.odds_ratio_interval.high).toBeLessThan(1);
    expect(r.units.converted + r.units.dropped).toBeGreaterThan(100);
  });

  it('its site-search example finds the planted search: searchers pay more often', async () => {
    const r = JSON.parse(await runBlock('"value":"site_search"')) as CorrelationResult;
    expect(r.steps).toEqual({ from: 0, to: 1 });
    const search = r.success.find((c) => c.kind === 'event_name' && c.value === 'site_search');
    // The seed's true odds ratio is about 2.2 (server/src/seed/search.ts).
    expect(search?.odds_ratio).toBeGreaterThan(1.6);
    expect(search?.odds_ratio).toBeLessThan(3.3);
    expect(search?.odds_ratio_interval.low).toBeGreaterThan(1);
    expect(search?.q_value).toBeLessThan(0.05);
  });

  it('the same funnel on mature cohorts of an older range shows it too, leaving nothing out', async () => {
    const block = blocks.find((b) => b.includes('/funnels/query')) as string;
    const body = JSON.parse(/-d '([\s\S]*)'/.exec(block)?.[1] as string) as Record<string, unknown>;
    const day = (ago: number) => new Date(Date.now() - ago * 86_400_000).toISOString().slice(0, 10);
    const { range: _r, trend: _t, compare: _c, ...rest } = body;
    const res = await fetch(`${s.url}/api/v1/sites/demo/funnels/query`, {
      method: 'POST',
      headers: { authorization: `Bearer ${env.DEMO_API_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ ...rest, from: day(29), to: day(16), cohorts: 'mature' }),
    });
    const r = (await res.json()) as FunnelResult & { breakdown: Group[] };
    expect(res.status).toBe(200);
    expect(r.immature_units).toBe(0);
    const byValue = Object.fromEntries(r.breakdown.map((g) => [g.value, g]));
    for (const [variant, truth] of [
      ['red', 0.4],
      ['green', 0.5],
    ] as const) {
      const rate = paidRate(byValue[variant]);
      expect(rate?.low, variant).toBeLessThanOrEqual(truth);
      expect(rate?.high, variant).toBeGreaterThanOrEqual(truth);
    }
  });
  it('its products commands list the seeded items, best sellers first, and download them as CSV', async () => {
    const [json, ...csv] = (await runBlock('/products?range=30d')).trim().split('\n');
    const r = JSON.parse(json as string) as ProductsResponse;
    expect(r.rows.length).toBe(Math.min(5, r.total));
    expect(r.total).toBeGreaterThan(1);
    const purchases = r.rows.map((x) => x.purchases);
    expect(purchases).toEqual([...purchases].sort((a, b) => b - a));
    expect(r.rows[0]?.purchases).toBeGreaterThan(0);
    expect(r.rows[0]?.by_currency.length).toBeGreaterThan(0);
    expect(csv[0]?.startsWith('item_id,name,category,variant,value,views,carts,buyers,')).toBe(true);
    expect(csv).toHaveLength(3);
  });

  it('its reporting-currency commands convert the seeded money at the rates they set', async () => {
    const find = '/orders/summary?range=30d';
    const [orders, carts] = (await runBlock(find))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l)) as [OrdersSummaryResponse, CartAbandonmentResponse];
    const rate: Record<string, number> = { EUR: 1, USD: 0.92, GBP: 1.17 };
    const convert = (amounts: { currency: string; amount: number }[]) =>
      amounts.reduce((sum, a) => sum + a.amount * (rate[a.currency] ?? 0), 0);
    const unrated = (amounts: { currency: string }[]) =>
      [...new Set(amounts.map((a) => a.currency).filter((c) => rate[c] === undefined))].sort();
    const byCurrency = orders.by_currency.map((c) => ({ currency: c.currency, amount: c.revenue }));
    expect(orders.reporting?.currency).toBe('EUR');
    expect(orders.reporting?.revenue).toBeCloseTo(convert(byCurrency), 3);
    expect(orders.reporting?.missing_rates).toEqual(unrated(byCurrency));
    // The README quotes the missing rates the seed leaves.
    const block = blocks.find((b) => b.includes(find)) as string;
    const quoted = JSON.parse(/"missing_rates":(\[[^\]]*\])/.exec(block)?.[1] ?? 'null') as string[];
    expect(orders.reporting?.missing_rates).toEqual(quoted);
    const t = carts.totals;
    expect(t.lost_value.length).toBeGreaterThan(0);
    expect(t.reporting?.lost_value).toBeCloseTo(convert(t.lost_value), 3);
    expect(t.reporting?.abandoned_value).toBeCloseTo(convert(t.abandoned_value), 3);
    expect(t.reporting?.recovered_revenue).toBeCloseTo(convert(t.recovered_revenue), 3);
    expect(t.reporting?.missing_rates).toEqual(
      unrated([...t.abandoned_value, ...t.lost_value, ...t.recovered_revenue]),
    );
  });
});
