import type { ExperimentResult } from '@funnelhouse/schemas';
import { runSeed } from '@funnelhouse/server';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { api } from '../helpers/api.ts';
import { createSite, startTestServer, type TestServer } from '../helpers/server.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
}, 180_000);
afterAll(() => s.destroy());

it('pnpm seed defines cta-color; its results count what the seed sent and show green ahead', async () => {
  const site = await createSite(s, 'seeded');
  const lines: string[] = [];
  const args = ['--url', s.url, '--site-key', site.site_key, '--site', site.id, '--key', site.api_key];
  const code = await runSeed([...args, '--visitors', '3000', '--seed', '7'], (l) => lines.push(l));
  const out = lines.join('\n');
  expect(code, out).toBe(0);
  expect(out).toContain(`Experiment cta-color created for site ${site.id}`);
  // The seed's own record of what it sent: checkouts (= exposures) and purchases per variant.
  const m = /this sample: red (\d+)\/(\d+) = .*, green (\d+)\/(\d+) =/.exec(out);
  if (!m) throw new Error(`no sample line in:\n${out}`);
  const [redBuy, redCheckout, greenBuy, greenCheckout] = m.slice(1).map(Number);

  const res = await api(
    s,
    'GET',
    `/api/v1/sites/${site.id}/experiments/cta-color/results?range=7d`,
    site.api_key,
  );
  expect(res.status).toBe(200);
  const r = (await res.json()) as ExperimentResult;
  expect(r.variants.map((v) => [v.key, v.units])).toEqual([
    ['red', redCheckout],
    ['green', greenCheckout],
  ]);
  expect(r.health.multiple_exposures).toBe(0);
  expect(r.health.srm.mismatch).toBe(false);
  const [red, green] = r.metrics[0]?.variants ?? [];
  expect([red?.sums, green?.sums]).toEqual([{ conversions: redBuy }, { conversions: greenBuy }]);
  // The true effect is +10 points (40 % → 50 %): this sample must point the same way.
  expect(green?.value).toBeGreaterThan(red?.value ?? 1);
  expect(green?.comparison?.relative?.estimate).toBeGreaterThan(0);
  expect(green?.comparison?.chance_to_beat_control).toBeGreaterThan(0.9);
  expect(green?.comparison?.absolute.interval.high).toBeGreaterThan(0);

  // cart-bundle: the units and orders the seed made; its true effect is on order value.
  expect(out).toContain(`Experiment cart-bundle created for site ${site.id}`);
  const b = /exposed (\d+) and (\d+), (\d+) and (\d+) orders/.exec(out);
  if (!b) throw new Error(`no cart-bundle line in:\n${out}`);
  const [noneUnits, bundleUnits, noneOrders, bundleOrders] = b.slice(1).map(Number);
  const bundle = await api(
    s,
    'GET',
    `/api/v1/sites/${site.id}/experiments/cart-bundle/results?range=7d`,
    site.api_key,
  );
  const br = (await bundle.json()) as ExperimentResult;
  expect(br.variants.map((v) => v.units)).toEqual([noneUnits, bundleUnits]);
  const [aovNone, aovBundle] = br.metrics[0]?.variants ?? [];
  // The seed's shop sells in several currencies and the site has no rates: every order is
  // counted by currency, and the statistics read the currency with the most orders only.
  const aov = br.metrics[0];
  const counts = aov?.currencies ?? [];
  expect(counts.reduce((n, c) => n + c.count, 0)).toBe((noneOrders ?? 0) + (bundleOrders ?? 0));
  expect(counts.length).toBeGreaterThan(1);
  expect(aov?.currency).toBe(counts[0]?.currency);
  expect(br.health.mixed_currencies[0]).toMatchObject({ role: 'primary', index: 0, used: aov?.currency });
  // The ratio's denominator is that currency's orders (never capped); the cap is the 99th percentile's value.
  expect([aovNone?.sums, aovBundle?.sums].reduce((n, x) => n + (x as { sum_y: number }).sum_y, 0)).toBe(
    counts[0]?.count,
  );
  expect(br.metrics[0]?.capping?.kind).toBe('percentile');
  expect(aovBundle?.comparison?.relative?.estimate).toBeGreaterThan(0.15);
  expect(br.verdict.headline).toMatch(/average order value/);
  expect(br.verdict.text).toContain(br.verdict.headline);

  // Seeding again replaces the definition instead of failing on the existing key.
  const again: string[] = [];
  await runSeed([...args, '--visitors', '1', '--seed', '8'], (l) => again.push(l));
  expect(again.join('\n')).toContain('Experiment cta-color replaced');
}, 180_000);
