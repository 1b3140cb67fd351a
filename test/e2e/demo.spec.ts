import { select } from '@funnelhouse/server';
import { ADMIN_KEY } from '../helpers/server.ts';
import { expect, test } from './fixtures.ts';

test('the demo shop, clicked through in a browser, yields a complete funnel in the API', async ({
  page,
  server,
  pageErrors,
}) => {
  const shop = `${server.url}/demo/`;
  await page.goto(shop);
  await Promise.all([page.waitForURL(/product\.html\?id=p2$/), page.click('#product-p2')]);
  // The button-colour experiment is applied by the snippet alone.
  await expect(page.locator('#add-to-cart')).toHaveAttribute('data-fh-shown', /^(green|red)$/);
  await Promise.all([page.waitForURL(/cart\.html$/), page.click('#add-to-cart')]);
  await expect(page.locator('#lines li')).toHaveCount(1);
  await Promise.all([page.waitForURL(/checkout\.html$/), page.click('#checkout')]);
  await page.fill('input[name=email]', 'buyer@example.com');
  await page.fill('input[name=address]', '1 Demo Street');
  await page.selectOption('select[name=shipping]', 'express');
  await page.fill('input[name=card]', '4242424242424242');
  await Promise.all([page.waitForURL(/thanks\.html\?order=D-/), page.click('#place-order')]);
  await expect(page.locator('#order-id')).toHaveText(/^D-/);

  const keyRes = await fetch(`${server.url}/api/v1/sites/demo/keys`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_KEY}` },
  });
  expect(keyRes.status).toBe(201);
  const { api_key } = (await keyRes.json()) as { api_key: string };
  const today = new Date().toISOString().slice(0, 10);
  const overview = async () => {
    const res = await fetch(`${server.url}/api/v1/sites/demo/overview?from=${today}&to=${today}`, {
      headers: { authorization: `Bearer ${api_key}` },
    });
    expect(res.status).toBe(200);
    return ((await res.json()) as { events_by_type: Record<string, number> }).events_by_type;
  };
  await expect.poll(overview, { timeout: 15_000 }).toMatchObject({
    pageview: 5,
    exposure: 1,
    add_to_cart: 1,
    view_cart: 1,
    begin_checkout: 1,
    add_shipping_info: 1,
    add_payment_info: 1,
    purchase: 1,
    form_start: 1,
    form_submit: 1,
  });

  // The funnel belongs to one visitor and one cart; the order carries value and the variant.
  const rows = await select<Record<string, unknown>>(
    server.deps.store,
    `SELECT type, visitor_id, cart_id, order_id, toFloat64(revenue) AS revenue, currency, experiments, form_fields
     FROM {db:Identifier}.events_v1 WHERE site_id = 'demo' ORDER BY ts`,
  );
  expect(new Set(rows.map((r) => r.visitor_id)).size).toBe(1);
  const purchase = rows.find((r) => r.type === 'purchase') as Record<string, unknown>;
  expect(purchase).toMatchObject({ revenue: 49, currency: 'EUR', order_id: expect.stringMatching(/^D-/) });
  expect(purchase.experiments).toHaveProperty('cta-color');
  const cart = rows.find((r) => r.type === 'add_to_cart')?.cart_id;
  expect(cart).toBeTruthy();
  expect(purchase.cart_id).toBe(cart);
  const stored = JSON.stringify(rows);
  for (const secret of ['buyer@example.com', '1 Demo Street', '4242424242424242'])
    expect(stored).not.toContain(secret);
  expect(rows.find((r) => r.type === 'form_submit')?.form_fields).toEqual([
    'email',
    'address',
    'shipping',
    'card',
  ]);
  expect(pageErrors).toEqual([]);
});
