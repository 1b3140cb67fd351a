/**
 * Issue 27, "Phone (390 px) and charts": every tab and every key number on screen at 390 px
 * without scrolling sideways, funnel results before the step editors, charts without
 * placeholders (percent axes, zero-based rate axes, today marked as partial), the comparison
 * only when the previous period has data, and a time zone suggested for a city.
 */
import type { Locator, Page } from '@playwright/test';
import { batch, pageview } from '../helpers/events.ts';
import { ADMIN_KEY, createSite, postCollect } from '../helpers/server.ts';
import { expect, expectAccessible, screenshots, signIn, test } from './dashboard-fixtures.ts';

/** The UTC date `n` days from today. */
const day = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1366, height: 900 };

/** The element lies wholly inside the viewport's width (nothing scrolled sideways to see it). */
async function expectOnScreen(page: Page, el: Locator, what: string): Promise<void> {
  await expect(el, what).toBeVisible();
  const box = await el.boundingBox();
  const width = page.viewportSize()?.width ?? 0;
  expect(box, what).not.toBeNull();
  expect(box?.x ?? -1, `${what}: left edge`).toBeGreaterThanOrEqual(0);
  expect((box?.x ?? 0) + (box?.width ?? 0), `${what}: right edge`).toBeLessThanOrEqual(width);
}

test('every view tab is on screen at 390 px and at 1366 px', async ({ page, server, seeded, guard }) => {
  await signIn(page, server.url, ADMIN_KEY);
  await page.getByLabel('Site').selectOption(seeded.id);
  const tabs = page.getByRole('navigation', { name: 'Views' }).getByRole('link');
  await expect(tabs).toHaveCount(7);
  for (const size of [PHONE, DESKTOP]) {
    await page.setViewportSize(size);
    for (const tab of await tabs.all())
      await expectOnScreen(page, tab, `${await tab.textContent()} at ${size.width} px`);
  }
  await page.setViewportSize(PHONE);
  await page.getByRole('link', { name: 'Keys' }).click();
  await expect(page.getByRole('heading', { name: 'Sites and keys' })).toBeVisible();
  await expectAccessible(page);
  await screenshots(page, 'phone-tabs');
  expect(guard.problems).toEqual([]);
});

test('the key columns are on screen at 390 px: conversion, uplift, chance, p-value, cart value', async ({
  page,
  server,
  seeded,
  guard,
}) => {
  await signIn(page, server.url, seeded.api_key);
  await page.setViewportSize(PHONE);
  const base = `${server.url}/?site=${seeded.id}&range=30d&tz=UTC`;

  await page.goto(`${base}&view=funnels&breakdown=column%3Achannel`);
  const bd = page.locator('[data-table="breakdown"] tbody tr').first();
  await expectOnScreen(page, bd.locator('[data-field="conversion"]'), 'funnel conversion');
  await expect(bd.locator('[data-field="conversion"]')).toHaveAttribute('data-label', 'Conversion');
  await expectAccessible(page);
  await screenshots(page, 'phone-funnel-breakdown');

  await page.goto(`${base}&view=experiments&exp=cta-color`);
  const green = page.locator('[data-metric="primary"] tr[data-variant="green"]');
  for (const field of ['uplift', 'chance', 'p'])
    await expectOnScreen(page, green.locator(`[data-field="${field}"]`), `experiment ${field}`);
  await expectAccessible(page);
  await screenshots(page, 'phone-experiment');

  await page.goto(`${base}&view=carts`);
  await expectOnScreen(
    page,
    page.locator('[data-table="stages"] tbody tr').first().locator('[data-field="abandoned-value"]'),
    'stage abandoned value',
  );
  await expectOnScreen(
    page,
    page.locator('[data-table="carts"] tbody tr').first().locator('[data-field="value"]'),
    'cart value',
  );
  // The list's sort buttons stay, above the cards.
  await page.getByRole('button', { name: 'Started' }).click();
  await expect(page).toHaveURL(/sort=created/);
  await expectOnScreen(
    page,
    page.locator('[data-table="carts"] tbody tr').first().locator('[data-field="value"]'),
    'cart value, sorted by start',
  );
  await expectAccessible(page);
  await screenshots(page, 'phone-carts');

  // On a desktop the same tables are tables: a header row, the cells side by side.
  await page.setViewportSize(DESKTOP);
  await expect(page.locator('[data-table="carts"] thead')).toBeVisible();
  const row = page.locator('[data-table="carts"] tbody tr').first();
  const [id, value] = await Promise.all([
    row.locator('th').boundingBox(),
    row.locator('[data-field="value"]').boundingBox(),
  ]);
  expect(value?.y).toBeCloseTo(id?.y ?? -100, 0);
  expect(guard.problems).toEqual([]);
});

test('on a phone the funnel results come before the step editors', async ({
  page,
  server,
  seeded,
  guard,
}) => {
  await signIn(page, server.url, seeded.api_key);
  await page.setViewportSize(PHONE);
  await page.goto(`${server.url}/?site=${seeded.id}&view=funnels&range=30d&tz=UTC`);
  const results = page.getByRole('heading', { name: 'Conversion', exact: true });
  await expect(results).toBeVisible();
  const top = (await results.boundingBox())?.y ?? Number.POSITIVE_INFINITY;
  expect(top, 'results within the first screen').toBeLessThan(PHONE.height);
  const steps = (await page.getByLabel('Step 1 label').boundingBox())?.y ?? 0;
  expect(top).toBeLessThan(steps);
  // On a desktop the builder stays on the left, the results beside it.
  await page.setViewportSize(DESKTOP);
  const [res, builder] = await Promise.all([
    results.boundingBox(),
    page.getByLabel('Step 1 label').boundingBox(),
  ]);
  expect(res?.x ?? 0).toBeGreaterThan((builder?.x ?? 0) + (builder?.width ?? 0));
  await expectAccessible(page);
  await screenshots(page, 'phone-funnel');
  expect(guard.problems).toEqual([]);
});

test('charts: no placeholders, percent axes say %, rate axes from 0, today marked as partial', async ({
  page,
  server,
  seeded,
  guard,
}) => {
  await signIn(page, server.url, seeded.api_key);
  await page.goto(`${server.url}/?site=${seeded.id}&view=overview&range=7d&tz=UTC`);
  const daily = page.locator('figure.chart').first();
  await expect(daily.locator('canvas')).toBeVisible();
  const legend = daily.locator('.u-legend');
  await expect(legend).toBeVisible();
  expect(await legend.textContent()).not.toContain('--');
  // The seeded traffic runs up to now: the range ends today, a day not over yet.
  await expect(daily.locator('[data-partial]')).toHaveText(/today so far/);
  await expect(daily).toHaveAttribute('data-y-min', '0');

  await page.goto(`${server.url}/?site=${seeded.id}&view=funnels&range=30d&tz=UTC`);
  const trend = page.locator('figure[aria-label="Conversion by entry day"]');
  await expect(trend.locator('canvas')).toBeVisible();
  await expect(trend).toHaveAttribute('data-y-min', '0');
  const ticks = (await trend.getAttribute('data-y-ticks'))?.split('|') ?? [];
  expect(ticks.length).toBeGreaterThan(1);
  for (const t of ticks) expect(t).toMatch(/^\d+(\.\d+)?%$/);
  expect(await trend.locator('.u-legend').textContent()).not.toContain('--');
  await expect(trend.locator('[data-partial]')).toHaveText(/today so far/);
  await expectAccessible(page);
  await screenshots(page, 'phone-charts');
  expect(guard.problems).toEqual([]);
});

test('the comparison shows only when the previous period has data', async ({
  page,
  server,
  seeded,
  guard,
}) => {
  // A fresh site: a few visitors today, nothing before.
  const site = await createSite(server, 'Fresh shop');
  const events = Array.from({ length: 3 }, (_, i) =>
    pageview({ visitor_id: `fresh-${i}`, session_id: `fresh-s-${i}` }),
  );
  expect((await postCollect(server, batch(site.site_key, events))).status).toBe(202);
  await signIn(page, server.url, site.api_key);
  await page.goto(`${server.url}/?site=${site.id}&view=overview&range=7d&tz=UTC`);
  await expect(page.getByLabel('Compare with previous period')).toBeChecked();
  await expect(page.locator('[data-kpi="visitors"] .kpi-value')).toHaveText('3');
  await expect(page.locator('[data-note="no-previous"]')).toContainText(
    `no data in the previous period (${day(-13)} – ${day(-7)})`,
  );
  await expect(page.getByText('vs previous')).toHaveCount(0);
  await expect(page.locator('figure.chart .u-legend')).not.toContainText('previous period');
  await expectAccessible(page);
  await screenshots(page, 'phone-fresh-overview');

  await page.goto(`${server.url}/?site=${site.id}&view=funnels&range=7d&tz=UTC`);
  await expect(page.locator('.fstep').first()).toBeVisible();
  await expect(page.locator('[data-note="no-previous"]')).toContainText(`(${day(-13)} – ${day(-7)})`);
  await expect(page.locator('[data-field="previous"]')).toHaveCount(0);

  // With a previous period that has data, the comparison is there.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await signIn(page, server.url, seeded.api_key);
  // (The seeded traffic covers the last 48 hours: today against yesterday.) The page asks the
  // previous period only once the current figures answered, so they do not wait for it.
  const order: string[] = [];
  const overview = (url: string) => url.includes(`/sites/${seeded.id}/overview?`);
  page.on('request', (r) => overview(r.url()) && r.url().includes('limit=0') && order.push('previous asked'));
  page.on(
    'response',
    (r) => overview(r.url()) && !r.url().includes('limit=0') && order.push('current answered'),
  );
  await page.goto(`${server.url}/?site=${seeded.id}&view=overview&range=today&tz=UTC`);
  await expect(page.locator('[data-kpi="visitors"]')).toContainText('vs previous');
  await expect(page.locator('figure.chart .u-legend')).toContainText('previous period');
  await expect(page.locator('[data-note="no-previous"]')).toHaveCount(0);
  await expect(page.locator('[data-note="comparison"]')).toHaveCount(0);
  expect(order).toEqual(['current answered', 'previous asked']);
  expect(guard.problems).toEqual([]);
});

test('a city typed as the time zone is suggested as its zone, and applied with one click', async ({
  page,
  server,
  seeded,
  guard,
}) => {
  await signIn(page, server.url, seeded.api_key);
  await page.goto(`${server.url}/?site=${seeded.id}&view=overview&range=7d&tz=UTC`);
  const tz = page.getByLabel('Time zone');
  await tz.fill('berlin');
  await tz.dispatchEvent('change');
  const suggest = page.getByRole('button', { name: 'Use Europe/Berlin' });
  await expect(page.locator('[data-note="tz"]')).toContainText('Did you mean Europe/Berlin?');
  await expect(page).toHaveURL(/tz=UTC/);
  await expectAccessible(page);
  await screenshots(page, 'phone-tz-suggestion');
  await suggest.click();
  await expect(page).toHaveURL(/tz=Europe%2FBerlin/);
  await expect(tz).toHaveValue('Europe/Berlin');
  await expect(page.locator('[data-note="tz"]')).toHaveCount(0);
  // Nothing like it: said so, the view stays in its zone.
  await tz.fill('Atlantis');
  await tz.dispatchEvent('change');
  await expect(page.locator('[data-note="tz"]')).toContainText('not a time zone');
  await expect(page).toHaveURL(/tz=Europe%2FBerlin/);
  expect(guard.problems).toEqual([]);
});
