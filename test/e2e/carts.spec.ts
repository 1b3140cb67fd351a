import type { CartListResponse } from '@funnelhouse/schemas';
import { admin, api } from '../helpers/api.ts';
import { ServerRunner } from '../helpers/process.ts';
import { tempDir } from '../helpers/tmp.ts';
import { expect, test } from './fixtures.ts';

/**
 * The demo shop in Chromium against its own server process (the demo site's numbers in the
 * shared worker server belong to demo.spec.ts): a cart left behind is open, then abandoned once
 * the timeout parameter is shortened to a second, then recovered when the order is placed.
 * The page is opened on `localhost` (the demo site's pages post to the server they came from).
 */
test('a cart left in the demo shop is open, then abandoned (1 s timeout), then recovered after purchase', async ({
  page,
  pageErrors,
}) => {
  const dir = tempDir();
  const runner = new ServerRunner(dir.path, { FUNNELHOUSE_FLUSH_MS: '20', FUNNELHOUSE_WEBHOOK_POLL_MS: '0' });
  const p = await runner.start({ FUNNELHOUSE_DEMO: '1' });
  try {
    const { api_key } = (await (await admin(p, 'POST', '/api/v1/sites/demo/keys')).json()) as {
      api_key: string;
    };
    const today = new Date().toISOString().slice(0, 10);
    const list = async (q: string) => {
      const res = await api(
        p,
        'GET',
        `/api/v1/sites/demo/carts/abandoned?from=${today}&to=${today}&${q}`,
        api_key,
      );
      expect(res.status).toBe(200);
      return ((await res.json()) as CartListResponse).carts;
    };

    await page.goto(`http://localhost:${p.port}/demo/`);
    await Promise.all([page.waitForURL(/product\.html\?id=p2$/), page.click('#product-p2')]);
    await Promise.all([page.waitForURL(/cart\.html$/), page.click('#add-to-cart')]);
    await expect(page.locator('#lines li')).toHaveCount(1);

    // Left behind: open under the default one-hour timeout.
    await expect
      .poll(async () => (await list('status=open')).map((c) => [c.status, c.value, c.currency]), {
        timeout: 15_000,
      })
      .toEqual([['open', 49, 'EUR']]);
    const [open] = await list('status=open');
    expect(open?.items).toMatchObject([{ id: 'p2', quantity: 1, price: 49 }]);

    // With the timeout shortened to one second, the same cart is abandoned.
    await page.waitForTimeout(1500);
    const abandoned = await list('status=abandoned&inactivity_timeout=1');
    expect(abandoned.map((c) => [c.cart_id, c.status, c.stage])).toEqual([
      [open?.cart_id, 'abandoned', 'cart'],
    ]);
    expect(await list('status=open&inactivity_timeout=1')).toEqual([]);

    // The visitor comes back and buys: recovered, with the order.
    await Promise.all([page.waitForURL(/checkout\.html$/), page.click('#checkout')]);
    await page.fill('input[name=email]', 'buyer@example.com');
    await page.fill('input[name=address]', '1 Demo Street');
    await page.selectOption('select[name=shipping]', 'express');
    await page.fill('input[name=card]', '4242424242424242');
    await Promise.all([page.waitForURL(/thanks\.html\?order=D-/), page.click('#place-order')]);
    await expect
      .poll(
        async () =>
          (await list('status=recovered&inactivity_timeout=1')).map((c) => [c.cart_id, c.order?.revenue]),
        { timeout: 15_000 },
      )
      .toEqual([[open?.cart_id, 49]]);
    expect(await list('status=abandoned&inactivity_timeout=1')).toEqual([]);
    expect(pageErrors).toEqual([]);
  } finally {
    await p.stop('SIGTERM');
    dir.remove();
  }
});
