import type { CollectEvent, ExperimentDefinition, ExperimentResult } from '@funnelhouse/schemas';
import { CTA_DEFINITION, saveDefinition } from '@funnelhouse/server';
import type { Page } from '@playwright/test';
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

/** The widths the issue asks the experiment view to be looked at in. */
const WIDTHS = { desktop: 1366, phone: 390 };
const pct = (x: number) =>
  new Intl.NumberFormat('en-US', {
    style: 'percent',
    minimumFractionDigits: 1,
    maximumFractionDigits: 1,
  }).format(x);

/** The primary metric's p-values as the table shows them, checked against an answer. */
async function expectTable(page: Page, r: ExperimentResult): Promise<void> {
  const primary = r.metrics.find((m) => m.role === 'primary');
  for (const v of primary?.variants ?? []) {
    const tr = page.locator(`[data-metric="primary"] tr[data-variant="${v.variant}"]`);
    expect(readNumber(await tr.locator('[data-field="units"]').textContent())).toBe(v.units);
    expect(readNumber(await tr.locator('[data-field="value"]').textContent())).toBeCloseTo(v.value ?? 0, 3);
    if (!v.comparison) continue;
    await expect
      .poll(async () => readNumber((await tr.locator('[data-field="p"]').textContent())?.split('(')[0] ?? ''))
      .toBeCloseTo(v.comparison.p_value, 4);
    expect(readNumber(await tr.locator('[data-field="chance"]').textContent())).toBeCloseTo(
      v.comparison.chance_to_beat_control,
      3,
    );
    // The difference beside the p-value is the absolute one, in points for a rate.
    const d = v.comparison.absolute.estimate * 100;
    expect(
      readNumber((await tr.locator('[data-field="difference"]').textContent())?.split('(')[0] ?? ''),
    ).toBeCloseTo(d, 1);
  }
}

/** Every money metric's table shows its currency beside each amount: value, interval, difference. */
async function expectMoneyUnits(page: Page, r: ExperimentResult): Promise<void> {
  const money = r.metrics.filter((m) => m.currency !== null);
  expect(money.length).toBeGreaterThan(0);
  for (const m of r.metrics) {
    const i = r.metrics.indexOf(m);
    const section = page.locator('[data-metric]').nth(i);
    if (m.currency === null) {
      await expect(section.locator('[data-currency]')).toHaveCount(0);
      continue;
    }
    const unit = m.currency;
    await expect(section.locator('h2 [data-currency]')).toHaveText(new RegExp(`in ${unit}$`));
    for (const v of m.variants) {
      const tr = section.locator(`tr[data-variant="${v.variant}"]`);
      const cell = tr.locator('[data-field="value"]');
      await expect(cell).toHaveText(new RegExp(` ${unit}$`));
      expect(readNumber(await cell.textContent())).toBeCloseTo(v.value ?? 0, 3);
      if (v.interval) await expect(tr.locator('[data-field="interval"]')).toHaveText(new RegExp(` ${unit}$`));
      if (v.comparison)
        await expect(tr.locator('[data-field="difference"]')).toContainText(
          new RegExp(` ${unit} \\(.* ${unit}\\)`),
        );
    }
  }
}

test('experiments: list with status, results with the API numbers and the server’s verdict', async ({
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
  const range = new URLSearchParams({ from: dates[0] ?? '', to: dates[1] ?? '', tz }).toString();
  // A running experiment opens on the always-valid statistics.
  const seq = await results(server.url, seeded, `${range}&sequential=1`);
  const fixed = await results(server.url, seeded, range);
  expect(seq.variants.reduce((n, v) => n + v.units, 0)).toBeGreaterThan(20);
  expect(seq.metrics[0]?.sequential).toBe(true);
  await expect(page.getByRole('button', { name: 'Always-valid (sequential)' })).toHaveAttribute(
    'aria-pressed',
    'true',
  );
  await expectTable(page, seq);

  // The verdict is the server's, as is; the same whichever statistics the tables show.
  const v = seq.verdict;
  expect(fixed.verdict).toEqual(v);
  const verdict = page.getByRole('region', { name: 'Verdict' });
  await expect(verdict.locator('[data-field="headline"]')).toHaveText(v.headline);
  await expect(verdict).toHaveAttribute('data-verdict', v.call);
  await expect(verdict).toHaveAttribute('data-test', v.test ?? '');
  // The seeded sample is a small share of the plan: no winner, the low-sample warning shown.
  expect(seq.health.low_sample).toBe(true);
  expect(v.call).toBe('too_early');
  expect(v.test).toBe('sequential');
  await expect(verdict).not.toContainText('beats');
  const share = v.progress.share ?? 0;
  expect(share).toBeGreaterThan(0);
  expect(share).toBeLessThan(1);
  const n = (x: number) => x.toLocaleString('en-US');
  await expect(verdict.locator('[data-field="progress"]')).toContainText(
    `${pct(share)} of the planned sample (${n(v.progress.units)} of ${n(v.progress.planned ?? 0)} visitors per variant)`,
  );
  const low = v.warnings.find((w) => w.code === 'low_sample');
  expect(low?.text).toMatch(/^Low sample/);
  await expect(page.locator('[data-warning="low_sample"]')).toHaveText(low?.text ?? '');
  await expect(page.locator('[data-warning]')).toHaveCount(v.warnings.length);
  // The seed's orders come in several currencies and the site has no rates: warned, one read.
  const mixed = v.warnings.find((w) => w.code === 'mixed_currencies');
  expect(mixed?.text).toMatch(/^Amounts in more than one currency/);
  await expect(page.locator('[data-warning="mixed_currencies"]')).toHaveText(mixed?.text ?? '');
  await expectMoneyUnits(page, seq);
  await expectAccessible(page);
  await screenshots(page, 'experiment-results', WIDTHS);

  // The fixed-horizon statistics one click away; the verdict does not move.
  await page.getByRole('button', { name: 'Fixed horizon' }).click();
  await expect(page.getByRole('button', { name: 'Fixed horizon' })).toHaveAttribute('aria-pressed', 'true');
  await expectTable(page, fixed);
  await expect(verdict.locator('[data-field="headline"]')).toHaveText(v.headline);
  await expectAccessible(page);
  await screenshots(page, 'experiment-results-fixed', WIDTHS);
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
  await expect(page.locator('[data-verdict]')).toHaveAttribute('data-verdict', 'untrustworthy');
  const r = await results(server.url, site, 'range=today&tz=UTC');
  expect(r.health.srm.mismatch).toBe(true);
  await expect(page.locator('[data-field="headline"]')).toHaveText(r.verdict.headline);
  await expect(page.locator('[data-warning="srm"]')).toHaveText(r.verdict.warnings[0]?.text ?? '');
  await expect(page.locator('[data-variant="red"]').first()).toContainText('150');
  await expectAccessible(page);
  await screenshots(page, 'experiment-srm', WIDTHS);
  await page.emulateMedia({ colorScheme: 'dark' });
  await expectAccessible(page);
  await screenshots(page, 'experiment-srm-dark', WIDTHS);
  expect(guard.problems).toEqual([]);
});

test('experiments: where lower is better, a significant decrease is the winner, on the always-valid test', async ({
  page,
  server,
  guard,
}) => {
  const site = await createSite(server, 'Fewer errors');
  const definition: ExperimentDefinition = {
    ...CTA_DEFINITION,
    key: 'error-banner',
    name: 'Error banner',
    hypothesis: 'The new banner causes fewer errors.',
    primary_metric: {
      kind: 'conversion',
      event: { type: 'custom', name: 'error' },
      window_seconds: 3600,
      direction: 'decrease',
    },
    secondary_metrics: [],
  };
  expect(await saveDefinition(server.url, site.id, site.api_key, definition)).toBe('created');
  // 150 visitors each; 60 errors under red, 20 under green: a clear decrease.
  const events: CollectEvent[] = [];
  for (let i = 0; i < 300; i++) {
    const visitor = { visitor_id: `v-${i}`, session_id: `s-${i}` };
    const red = i < 150;
    events.push(pageview(visitor), {
      ...pageview(visitor),
      type: 'exposure',
      name: definition.key,
      variant: red ? 'red' : 'green',
    } as CollectEvent);
    if ((red && i < 60) || (!red && i < 170))
      events.push({ ...pageview(visitor), type: 'custom', name: 'error' } as CollectEvent);
  }
  for (let i = 0; i < events.length; i += 100) {
    expect((await postCollect(server, batch(site.site_key, events.slice(i, i + 100)))).status).toBe(202);
  }
  await signIn(page, server.url, site.api_key);
  await page.goto(`${server.url}/?site=${site.id}&view=experiments&range=today&tz=UTC&exp=${definition.key}`);
  const res = await fetch(
    `${server.url}/api/v1/sites/${site.id}/experiments/${definition.key}/results?range=today&tz=UTC&sequential=1`,
    { headers: { authorization: `Bearer ${site.api_key}` } },
  );
  const r = (await res.json()) as ExperimentResult;
  expect(r.variants.map((v) => v.units)).toEqual([150, 150]);
  expect(r.verdict).toMatchObject({
    call: 'better',
    variant: 'green',
    test: 'sequential',
    direction: 'decrease',
  });
  const verdict = page.getByRole('region', { name: 'Verdict' });
  await expect(verdict.locator('[data-field="headline"]')).toHaveText(r.verdict.headline);
  await expect(verdict).toContainText('green beats red on conversion rate (lower is better): −66.7 %');
  await expect(verdict).toHaveAttribute('data-verdict', 'better');
  const primary = page.locator('[data-metric="primary"]');
  await expect(primary.locator('[data-direction="decrease"]')).toHaveText('(lower is better)');
  await expect(primary.locator('tr[data-variant="green"]')).toHaveAttribute('data-call', 'better');
  await expectAccessible(page);
  await screenshots(page, 'experiment-lower-is-better', WIDTHS);
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
  const banner = page.locator('[data-warning="undefined_variants"]');
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

test('experiments: money in two currencies is converted at the site’s rates, the unit beside every amount', async ({
  page,
  server,
  guard,
}) => {
  const site = await createSite(server, 'Two currencies');
  expect(await saveDefinition(server.url, site.id, site.api_key, CTA_DEFINITION)).toBe('created');
  // 60 visitors each; red buyers pay 20 EUR or 30 USD, green ones 25 EUR or 10 USD, one GBP order.
  const events: CollectEvent[] = [];
  for (let i = 0; i < 120; i++) {
    const visitor = { visitor_id: `v-${i}`, session_id: `s-${i}` };
    const red = i < 60;
    events.push({
      ...pageview(visitor),
      type: 'exposure',
      name: CTA_DEFINITION.key,
      variant: red ? 'red' : 'green',
    } as CollectEvent);
    const pay = (revenue: number, currency: string) =>
      events.push({
        ...pageview(visitor),
        type: 'purchase',
        order_id: `o-${i}`,
        revenue,
        currency,
      } as CollectEvent);
    if (i === 7) pay(15, 'GBP');
    else if (i % 4 === 0) pay(red ? 20 : 25, 'EUR');
    else if (i % 4 === 1) pay(red ? 30 : 10, 'USD');
  }
  for (let i = 0; i < events.length; i += 100) {
    expect((await postCollect(server, batch(site.site_key, events.slice(i, i + 100)))).status).toBe(202);
  }
  await signIn(page, server.url, site.api_key);
  const open = `${server.url}/?site=${site.id}&view=experiments&range=today&tz=UTC&exp=${CTA_DEFINITION.key}`;
  await page.goto(open);
  // No rates: one currency read (EUR and USD have 30 orders each: the tie goes to EUR), warned.
  const before = await results(server.url, site, 'range=today&tz=UTC&sequential=1');
  expect(before.health.mixed_currencies[0]).toMatchObject({ currencies: ['EUR', 'GBP', 'USD'], used: 'EUR' });
  const warning = before.verdict.warnings.find((w) => w.code === 'mixed_currencies');
  await expect(page.locator('[data-warning="mixed_currencies"]')).toHaveText(warning?.text ?? '');
  await expectMoneyUnits(page, before);
  await expectAccessible(page);
  await screenshots(page, 'experiment-mixed-currencies', WIDTHS);

  // With rates every order is converted to EUR; GBP has no rate and is named.
  const put = await fetch(`${server.url}/api/v1/sites/${site.id}/settings/currency-rates`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${site.api_key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ reporting_currency: 'EUR', rates: { USD: 0.9 } }),
  });
  expect(put.status).toBe(200);
  await page.reload();
  await expect(page.locator('[data-verdict]')).toBeVisible();
  const after = await results(server.url, site, 'range=today&tz=UTC&sequential=1');
  expect(after.health.warnings).not.toContain('mixed_currencies');
  await expect(page.locator('[data-warning="mixed_currencies"]')).toHaveCount(0);
  const rpv = after.metrics.find((m) => m.metric.kind === 'revenue_per_visitor');
  expect(rpv).toMatchObject({ currency: 'EUR', missing_rates: ['GBP'] });
  // red: 15 × 20 EUR + 15 × 30 USD × 0.9 over 60 visitors.
  expect(rpv?.variants[0]?.value).toBeCloseTo((15 * 20 + 15 * 27) / 60, 9);
  await expectMoneyUnits(page, after);
  await expect(page.locator('[data-metric] [data-field="missing-rates"]').first()).toHaveText(
    'Left out, no rate to EUR: amounts in GBP.',
  );
  await expectAccessible(page);
  await screenshots(page, 'experiment-converted-currencies', WIDTHS);
  expect(guard.problems).toEqual([]);
});
