import type { Page } from '@playwright/test';
import { expect, expectEvents, expectStoredOnce, test } from './shop.ts';

/** People do not navigate twice within a quarter of a second (a redirect that fast counts once: see below). */
const humanPause = (page: Page) => page.waitForTimeout(400);

test('SPA navigation: pushState, replaceState and back each count one page view', async ({ page, shop }) => {
  await shop.serve();
  await page.goto(`${shop.base}spa.html`);
  for (const id of ['#to-pricing', '#to-docs', '#replace-filter', '#same', '#hash-route']) {
    await page.click(id); // #same: replaceState to the same URL; #hash-route: hash change without hash routing
    await humanPause(page);
  }
  await page.goBack(); // popstate, back to the same URL as before the hash change: no new view
  await humanPause(page);
  const rows = await expectEvents(shop, {
    expected: [
      { type: 'pageview', path: shop.path('spa.html'), title: 'SPA home' },
      { type: 'pageview', path: shop.path('pricing'), title: 'Pricing' },
      { type: 'pageview', path: shop.path('docs'), title: 'Docs' },
      { type: 'pageview', url: `${shop.base}docs?tab=api`, title: 'Docs API' },
    ],
  });
  await page.goBack(); // popstate to /pricing (the /docs entry was replaced by /docs?tab=api)
  await expect
    .poll(
      async () =>
        (await shop.rows()).filter((r) => r.type === 'pageview' && r.path === shop.path('pricing')).length,
    )
    .toBe(2);
  const views = (await shop.rows()).filter((r) => r.type === 'pageview');
  expect(views).toHaveLength(5);
  expect(new Set(rows.map((r) => r.session_id)).size).toBe(1);
  await expectStoredOnce(shop);
});

test('a redirect made in the same moment counts as the one page the visitor saw', async ({ page, shop }) => {
  await shop.serve();
  await page.goto(`${shop.base}spa.html`);
  await page.evaluate(() => {
    history.pushState({}, '', 'account');
    history.replaceState({}, '', 'login');
  });
  await humanPause(page);
  await expectEvents(shop, {
    expected: [{ type: 'pageview', path: shop.path('login') }],
    refuted: [{ type: 'pageview', path: shop.path('account') }],
  });
});

test('with data-hash, hash routes are page views', async ({ page, shop }) => {
  await shop.serve({ attrs: 'data-hash' });
  await page.goto(`${shop.base}spa.html`);
  await page.click('#hash-route');
  await expectEvents(shop, {
    expected: [
      { type: 'pageview', url: `${shop.base}spa.html` },
      { type: 'pageview', url: `${shop.base}spa.html#/settings` },
    ],
  });
});
