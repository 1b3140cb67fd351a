import { drained, expect, expectEvents, expectStoredOnce, test } from './shop.ts';

test('a page view carries the page, the landing referrer, UTM and click id kind', async ({ page, shop }) => {
  await shop.serve();
  await page.goto(
    `${shop.base}index.html?utm_source=news&utm_medium=email&utm_campaign=spring&gclid=abc123`,
    {
      referer: 'https://www.google.com/',
    },
  );
  const rows = await expectEvents(shop, {
    expected: [
      {
        type: 'pageview',
        host: '127.0.0.1',
        path: shop.path('index.html'),
        title: 'Shop home',
        referrer: 'https://www.google.com/',
        referrer_host: 'google.com',
        utm_source: 'news',
        utm_medium: 'email',
        utm_campaign: 'spring',
        click_id_kind: 'gclid',
        channel: 'email',
        browser: 'Chrome',
      },
    ],
  });
  const pv = rows[0] as Record<string, string>;
  expect(pv.visitor_id).toMatch(/^\d{10,40}$/);
  expect(pv.session_id).toMatch(/^\d{10,40}$/);
  expect(pv.url).not.toContain('abc123');
  expect(shop.posts[0]?.request.headers()['content-type']).toBe('text/plain;charset=UTF-8');
});

test('later pages of the session carry the landing referrer and campaign', async ({ page, shop }) => {
  await shop.serve();
  await page.goto(`${shop.base}index.html?utm_source=news&fbclid=x`, { referer: 'https://t.co/' });
  await drained(page);
  await page.click('#to-product');
  const rows = await expectEvents(shop, {
    expected: [
      {
        type: 'pageview',
        path: shop.path('product.html'),
        referrer: 'https://t.co/',
        utm_source: 'news',
        click_id_kind: 'fbclid',
      },
    ],
  });
  const sessions = new Set(rows.map((r) => r.session_id));
  expect(sessions.size).toBe(1);
  await expectStoredOnce(shop);
});

test('clicks on links, buttons and declarative elements, with a stable selector', async ({ page, shop }) => {
  await shop.serve();
  await page.goto(`${shop.base}index.html`);
  await page.click('#plain');
  await page.click('#signup span');
  await page.click('#outside');
  await expectEvents(shop, {
    expected: [
      {
        type: 'click',
        el_tag: 'button',
        el_id: 'plain',
        el_selector: 'button#plain.btn.primary',
        el_text: 'Just a button',
        name: '',
      },
      { type: 'click', name: 'signup', el_tag: 'div', el_id: 'signup', props: { plan: 'pro', seats: '5' } },
    ],
    refuted: [{ type: 'click', el_id: 'outside' }],
  });
});

test('custom events, identify, cart and order events with their fields', async ({ page, shop }) => {
  await shop.serve();
  await page.goto(`${shop.base}blank.html`);
  await page.evaluate(() => {
    const fh = (window as unknown as { fh: (...a: unknown[]) => unknown }).fh;
    fh('track', 'newsletter', { source: 'footer', n: 2, ok: true });
    fh('identify', 'user-7');
    fh('add_to_cart', {
      id: 'sku-1',
      name: 'Mug',
      price: 12.5,
      quantity: 2,
      category: 'Kitchen',
      variant: 'blue',
    });
    fh('remove_from_cart', { id: 'sku-1', quantity: 1 });
    fh('view_cart', { items: [{ id: 'sku-1', price: 12.5, quantity: 1 }], revenue: 12.5, currency: 'EUR' });
    fh('begin_checkout', { revenue: 12.5, currency: 'EUR' });
    fh('add_shipping_info', { revenue: 12.5, currency: 'EUR', props: { shipping: 'express' } });
    fh('add_payment_info', { revenue: 12.5, currency: 'EUR' });
    fh('purchase', {
      order_id: 'o-1',
      revenue: 12.5,
      currency: 'EUR',
      items: [{ id: 'sku-1', quantity: 1 }],
    });
    fh('add_to_cart', { id: 'sku-2' });
  });
  const rows = await expectEvents(shop, {
    expected: [
      { type: 'custom', name: 'newsletter', props: { source: 'footer', n: '2', ok: 'true' } },
      { type: 'identify', user_id: 'user-7' },
      {
        type: 'add_to_cart',
        user_id: 'user-7',
        items: [{ id: 'sku-1', name: 'Mug', price: 12.5, quantity: 2, category: 'Kitchen', variant: 'blue' }],
      },
      { type: 'remove_from_cart' },
      { type: 'view_cart', revenue: 12.5, currency: 'EUR' },
      { type: 'begin_checkout' },
      { type: 'add_shipping_info', props: { shipping: 'express' } },
      { type: 'add_payment_info' },
      { type: 'purchase', order_id: 'o-1', revenue: 12.5, currency: 'EUR', user_id: 'user-7' },
    ],
  });
  const byType = (t: string) => rows.filter((r) => r.type === t);
  const cart = byType('purchase')[0]?.cart_id as string;
  expect(cart).toMatch(/^\d{10,40}$/);
  for (const t of ['remove_from_cart', 'view_cart', 'begin_checkout', 'add_payment_info']) {
    expect(byType(t)[0]?.cart_id, t).toBe(cart);
  }
  // After the purchase, the next add starts a new cart.
  await expect.poll(async () => (await shop.rows()).filter((r) => r.type === 'add_to_cart').length).toBe(2);
  const carts = (await shop.rows()).filter((r) => r.type === 'add_to_cart').map((r) => r.cart_id);
  expect(new Set(carts).size).toBe(2);
});

test('calls made before the script loads are replayed; fh is the only global', async ({ page, shop }) => {
  await shop.serve();
  // The same page without f.js: only the pre-load stub defines `fh`.
  await page.goto(`${shop.base}plain.html`);
  const before = await page.evaluate(() => Object.keys(window));
  expect(before).toContain('fh');
  await page.route(`${shop.serverUrl}/f.js`, async (route) => {
    // Hold f.js back until the page has called the stub.
    await page.waitForFunction(() => (window as unknown as { fh: { q?: unknown[] } }).fh.q?.length === 1);
    await route.continue();
  });
  await page.goto(`${shop.base}blank.html`, { waitUntil: 'commit' });
  await page.waitForFunction(() => 'fh' in window);
  await page.evaluate(() =>
    (window as unknown as { fh: (...a: unknown[]) => void }).fh('track', 'early', { at: 'stub' }),
  );
  await expectEvents(shop, { expected: [{ type: 'custom', name: 'early', props: { at: 'stub' } }] });
  const added = await page.evaluate((b) => Object.keys(window).filter((k) => !b.includes(k)), before);
  expect(added).toEqual([]);
});

test('cookieless mode sends no ids; the server derives one', async ({ page, shop }) => {
  await shop.serve({ attrs: 'data-cookieless' });
  await page.goto(`${shop.base}index.html`);
  await page.click('#plain');
  const rows = await expectEvents(shop, { expected: [{ type: 'pageview' }, { type: 'click' }] });
  for (const post of shop.posts) {
    for (const ev of post.body.events) expect(ev).not.toHaveProperty('visitor_id');
  }
  expect(new Set(rows.map((r) => r.visitor_id)).size).toBe(1);
  expect(rows[0]?.visitor_id).toMatch(/^[\w-]{22}$/);
  expect(rows[0]?.session_id).toBe(rows[0]?.visitor_id);
  expect(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('fh_')))).toEqual([]);
});

test('opt-out stops sending until opt-in; Do-Not-Track is honoured when the site asks', async ({
  page,
  shop,
}) => {
  await shop.serve();
  await page.goto(`${shop.base}blank.html`);
  await expectEvents(shop, { expected: [{ type: 'pageview' }] });
  await page.evaluate(() => {
    const fh = (window as unknown as { fh: (...a: unknown[]) => unknown }).fh;
    fh('optout');
    fh('track', 'while-out');
    fh('optin');
    fh('track', 'back-in');
  });
  await expectEvents(shop, { expected: [{ name: 'back-in' }], refuted: [{ name: 'while-out' }] });

  await page.addInitScript(() =>
    Object.defineProperty(Navigator.prototype, 'doNotTrack', { get: () => '1' }),
  );
  await shop.serve({ attrs: 'data-respect-dnt' });
  const posted = shop.posts.length;
  await page.goto(`${shop.base}index.html?dnt=1`);
  await page.click('#plain');
  await page.waitForTimeout(1500);
  expect(shop.posts.length).toBe(posted);
});
