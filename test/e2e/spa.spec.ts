import { expect, expectEvents, expectStoredOnce, test } from './shop.ts';

test('SPA navigation: pushState, replaceState and back each count one page view', async ({ page, shop }) => {
  await shop.serve();
  await page.goto(`${shop.base}spa.html`);
  await page.click('#to-pricing');
  await page.click('#to-docs');
  await page.click('#replace-filter');
  await page.click('#same'); // replaceState to the same URL: not a new view
  await page.click('#hash-route'); // hash change without hash routing: not a new view
  await page.goBack(); // popstate
  const rows = await expectEvents(shop, {
    expected: [
      { type: 'pageview', path: shop.path('spa.html'), title: 'SPA home' },
      { type: 'pageview', path: shop.path('pricing'), title: 'Pricing' },
      { type: 'pageview', path: shop.path('docs'), title: 'Docs' },
      { type: 'pageview', url: `${shop.base}docs?tab=api`, title: 'Docs API' },
    ],
  });
  // Back from the hash route lands on the same URL: still four views.
  await page.waitForTimeout(1500);
  const views = (await shop.rows()).filter((r) => r.type === 'pageview');
  expect(views.map((r) => r.path).sort()).toEqual([
    shop.path('docs'),
    shop.path('docs'),
    shop.path('pricing'),
    shop.path('spa.html'),
  ]);
  expect(new Set(rows.map((r) => r.session_id)).size).toBe(1);
  await expectStoredOnce(shop);
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
