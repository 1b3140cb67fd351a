import type { CollectEvent, ExperimentResult } from '@funnelhouse/schemas';
import { CTA_DEFINITION, saveDefinition } from '@funnelhouse/server';
import { batch, pageview } from '../helpers/events.ts';
import { createSite, postCollect } from '../helpers/server.ts';
import { expect, expectAccessible, readNumber, screenshots, signIn, test } from './dashboard-fixtures.ts';

async function results(
  url: string,
  site: { id: string; api_key: string },
  q: string,
): Promise<ExperimentResult> {
  const res = await fetch(`${url}/api/v1/sites/${site.id}/experiments/${CTA_DEFINITION.key}/results?${q}`, {
    headers: { authorization: `Bearer ${site.api_key}` },
  });
  expect(res.status).toBe(200);
  return (await res.json()) as ExperimentResult;
}

test('experiments: list with status, results with the API numbers and a verdict', async ({
  page,
  server,
  seeded,
  guard,
}) => {
  await signIn(page, server.url, seeded.api_key);
  await page.getByRole('link', { name: 'Experiments' }).click();
  const row = page.locator('[data-table="experiments"] tbody tr', { hasText: CTA_DEFINITION.name });
  await expect(row).toContainText('running');
  await expectAccessible(page);
  await screenshots(page, 'experiments-list');
  await page.getByLabel('Range').selectOption('7d');
  await page.getByRole('link', { name: CTA_DEFINITION.name }).click();
  await expect(page).toHaveURL(/exp=cta-color/);
  await expect(page.locator('[data-verdict]')).toBeVisible();
  const dates = (await page.locator('.dates').textContent())?.split('–').map((d) => d.trim()) ?? [];
  const tz = await page.getByLabel('Time zone').inputValue();
  const r = await results(
    server.url,
    seeded,
    new URLSearchParams({ from: dates[0] ?? '', to: dates[1] ?? '', tz }).toString(),
  );
  expect(r.variants.reduce((n, v) => n + v.units, 0)).toBeGreaterThan(20);
  const primary = r.metrics.find((m) => m.role === 'primary');
  for (const v of primary?.variants ?? []) {
    const tr = page.locator(`[data-metric="primary"] tr[data-variant="${v.variant}"]`);
    expect(readNumber(await tr.locator('[data-field="units"]').textContent())).toBe(v.units);
    expect(readNumber(await tr.locator('[data-field="value"]').textContent())).toBeCloseTo(v.value ?? 0, 3);
    if (v.comparison) {
      expect(readNumber(await tr.locator('[data-field="chance"]').textContent())).toBeCloseTo(
        v.comparison.chance_to_beat_control,
        3,
      );
      expect(
        readNumber((await tr.locator('[data-field="p"]').textContent())?.split('(')[0] ?? ''),
      ).toBeCloseTo(v.comparison.p_value, 4);
    }
  }
  const best = primary?.variants.find((v) => v.comparison);
  const significant = (best?.comparison?.p_value_holm ?? 1) < 0.05;
  await expect(page.locator('[data-verdict]')).toHaveAttribute(
    'data-verdict',
    significant ? /win|lose/ : 'none',
  );
  await expect(page.locator('[data-warning="srm"]')).toHaveCount(r.health.srm.mismatch ? 1 : 0);
  await expectAccessible(page);
  await screenshots(page, 'experiment-results');
  expect(guard.problems).toEqual([]);
});

test('experiments: a split far from the plan shows the SRM banner and no verdict', async ({
  page,
  server,
  guard,
}) => {
  const site = await createSite(server, 'Skewed split');
  expect(await saveDefinition(server.url, site.id, site.api_key, CTA_DEFINITION)).toBe('created');
  // 150 visitors see red, 60 see green under a 50/50 plan; a few of each convert.
  const events: CollectEvent[] = [];
  for (let i = 0; i < 210; i++) {
    const visitor = { visitor_id: `v-${i}`, session_id: `s-${i}` };
    const variant = i < 150 ? 'red' : 'green';
    events.push(pageview(visitor), {
      ...pageview(visitor),
      type: 'exposure',
      name: CTA_DEFINITION.key,
      variant,
    } as CollectEvent);
  }
  for (let i = 0; i < events.length; i += 100) {
    expect((await postCollect(server, batch(site.site_key, events.slice(i, i + 100)))).status).toBe(202);
  }
  await signIn(page, server.url, site.api_key);
  await page.goto(
    `${server.url}/?site=${site.id}&view=experiments&range=today&tz=UTC&exp=${CTA_DEFINITION.key}`,
  );
  await expect(page.locator('[data-warning="srm"]')).toContainText('Sample ratio mismatch');
  await expect(page.locator('[data-verdict]')).toHaveAttribute('data-verdict', 'bad');
  const r = await results(server.url, site, 'range=today&tz=UTC');
  expect(r.health.srm.mismatch).toBe(true);
  await expect(page.locator('[data-variant="red"]').first()).toContainText('150');
  await expectAccessible(page);
  await screenshots(page, 'experiment-srm');
  await page.emulateMedia({ colorScheme: 'dark' });
  await expectAccessible(page);
  await screenshots(page, 'experiment-srm-dark');
  expect(guard.problems).toEqual([]);
});

test('experiments: made-up variants are one banner, the largest named and the rest counted', async ({
  page,
  server,
  guard,
}) => {
  const site = await createSite(server, 'Made-up variants');
  expect(await saveDefinition(server.url, site.id, site.api_key, CTA_DEFINITION)).toBe('created');
  // 40 visitors split red/green, then 25 made-up variants: made-up-k seen by k + 1 visitors.
  const events: CollectEvent[] = [];
  const expose = (i: string, variant: string) => {
    const visitor = { visitor_id: `v-${i}`, session_id: `s-${i}` };
    events.push({
      ...pageview(visitor),
      type: 'exposure',
      name: CTA_DEFINITION.key,
      variant,
    } as CollectEvent);
  };
  for (let i = 0; i < 40; i++) expose(String(i), i % 2 === 0 ? 'red' : 'green');
  for (let k = 0; k < 25; k++) for (let u = 0; u <= k; u++) expose(`m${k}-${u}`, `made-up-${k}`);
  for (let i = 0; i < events.length; i += 100) {
    expect((await postCollect(server, batch(site.site_key, events.slice(i, i + 100)))).status).toBe(202);
  }
  const r = await results(server.url, site, 'range=today&tz=UTC');
  expect(r.health.undefined_variants.map((u) => u.variant).slice(0, 2)).toEqual(['made-up-24', 'made-up-23']);
  expect(r.health.undefined_variants).toHaveLength(20);
  expect(r.health.undefined_variants_more).toBe(5);
  await signIn(page, server.url, site.api_key);
  await page.goto(
    `${server.url}/?site=${site.id}&view=experiments&range=today&tz=UTC&exp=${CTA_DEFINITION.key}`,
  );
  const banner = page.locator('[data-warning="undefined-variants"]');
  await expect(banner).toHaveCount(1);
  await expect(banner).toContainText('"made-up-24" (25 visitors), "made-up-23" (24 visitors)');
  await expect(banner).toContainText('"made-up-5" (6 visitors) and 5 more. They are left out.');
  await expect(page.locator('[data-warning^="undefined"]')).toHaveCount(1);
  await expectAccessible(page);
  await screenshots(page, 'experiment-undefined-variants');
  expect(guard.problems).toEqual([]);
});

test('experiments: the uplift over time and the sample-size progress are the API’s', async ({
  page,
  server,
  seeded,
  guard,
}) => {
  await signIn(page, server.url, seeded.api_key);
  await page.goto(`${server.url}/?site=${seeded.id}&view=experiments&range=7d&tz=UTC&exp=cta-color`);
  await expect(page.locator('[data-verdict]')).toBeVisible();
  const dates = (await page.locator('.dates').textContent())?.split('–').map((d) => d.trim()) ?? [];
  const r = await results(
    server.url,
    seeded,
    new URLSearchParams({ from: dates[0] ?? '', to: dates[1] ?? '', tz: 'UTC', over_time: '1' }).toString(),
  );
  // Two days of seeded traffic: the series has a point per day of first exposure.
  expect(r.over_time?.length ?? 0).toBeGreaterThan(1);
  await expect(page.getByRole('heading', { name: 'Uplift over time' })).toBeVisible();
  await expect(page.locator('[data-section="over-time"] canvas')).toBeVisible();
  const plan = page.getByRole('region', { name: 'Sample size' });
  const p = r.planning;
  expect(p.needed_per_variant).not.toBeNull();
  const n = (x: number) => x.toLocaleString('en-US');
  await expect(plan).toContainText(
    `${n(p.smallest_variant_units)} of ${n(p.needed_per_variant ?? 0)} visitors`,
  );
  await expect(plan.locator('[data-days-remaining]')).toHaveAttribute(
    'data-days-remaining',
    String(p.days_remaining ?? ''),
  );
  await screenshots(page, 'experiment-over-time');
  expect(guard.problems).toEqual([]);
});
