import { expectEvents, expectStoredOnce, test } from './shop.ts';

test('a click on an internal link that leaves the page is not lost', async ({ page, shop }) => {
  await shop.serve();
  await page.goto(`${shop.base}index.html`);
  // Click at once: the click is still waiting in the page when it unloads.
  await Promise.all([page.waitForURL(`${shop.base}product.html`), page.click('#to-product')]);
  await expectEvents(shop, {
    expected: [
      { type: 'pageview', path: shop.path('index.html') },
      {
        type: 'click',
        el_tag: 'a',
        el_id: 'to-product',
        el_href: `${shop.base}product.html`,
        path: shop.path('index.html'),
      },
      { type: 'pageview', path: shop.path('product.html') },
    ],
  });
  await expectStoredOnce(shop);
});

test('a click on a link to another site is not lost', async ({ page, shop }) => {
  await shop.serve();
  await page.goto(`${shop.base}index.html`);
  // The link goes to the Funnelhouse server's health page: another origin, without the snippet.
  await Promise.all([page.waitForURL(`${shop.serverUrl}/healthz`), page.click('#outbound')]);
  await expectEvents(shop, {
    expected: [
      { type: 'click', el_id: 'outbound', el_href: `${shop.serverUrl}/healthz` },
      { type: 'pageview' },
    ],
  });
  await expectStoredOnce(shop);
});
