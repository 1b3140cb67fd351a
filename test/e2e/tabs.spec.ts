import type { Page, Route } from '@playwright/test';
import { drained, expect, expectEvents, expectStoredOnce, test } from './shop.ts';

type Fh = (...a: unknown[]) => unknown;
const track = (page: Page, name: string) =>
  page.evaluate((n) => (window as unknown as { fh: Fh }).fh('track', n), name);
/** Our server's CORS headers: without them the browser hides the status from the page. */
const CORS = { 'access-control-allow-origin': '*', 'access-control-expose-headers': 'Retry-After' };

/** Makes `/collect` answer 503 to this page until `up()`; counts the refused attempts. */
async function down(page: Page, serverUrl: string) {
  let refused = 0;
  const url = `${serverUrl}/collect`;
  await page.route(url, (route: Route) => {
    refused++;
    return route.fulfill({ status: 503, headers: CORS, body: '{}' });
  });
  return { refused: () => refused, up: () => page.unroute(url) };
}

test('two tabs queue while the server is down: after it is back, every event is stored once', async ({
  page,
  context,
  shop,
}) => {
  await shop.serve();
  const a = page;
  const b = await context.newPage();
  const downA = await down(a, shop.serverUrl);
  const downB = await down(b, shop.serverUrl);
  await a.goto(`${shop.base}blank.html`);
  await b.goto(`${shop.base}blank.html`);
  // Interleaved, so that each tab writes its queue after the other has written unsent events;
  // tab A writes last. With one shared list written back whole, B's events would be gone from
  // storage, and closing B would lose them.
  const names: string[] = [];
  for (let i = 1; i <= 4; i++) {
    for (const [tab, p] of [
      ['b', b],
      ['a', a],
    ] as const) {
      await track(p, `${tab}-${i}`);
      names.push(`${tab}-${i}`);
    }
  }
  // Both tabs have failed at least once, so B does not hand its queue to sendBeacon as it
  // closes: what it leaves is only in storage.
  await expect.poll(() => downA.refused()).toBeGreaterThanOrEqual(1);
  await expect.poll(() => downB.refused()).toBeGreaterThanOrEqual(1);
  await b.close();

  // The server is back: A sends its own events, and a new tab adopts what B left.
  await downA.up();
  const c = await context.newPage();
  await c.goto(`${shop.base}blank.html`);
  const rows = await expectEvents(shop, { expected: names.map((name) => ({ name })) });
  await drained(c);
  await drained(a);
  await expectStoredOnce(shop);
  expect(rows.filter((r) => r.type === 'custom')).toHaveLength(names.length);
  expect((await shop.rows()).filter((r) => r.type === 'pageview')).toHaveLength(3);
  await c.close();
});

test('a queue left under the older single key (fh_q) is adopted and sent', async ({ page, shop }) => {
  await shop.serve();
  await page.goto(`${shop.base}blank.html`);
  await drained(page);
  await page.evaluate(() => {
    const ev = { id: 'legacy-1', type: 'custom', name: 'legacy', ts: Date.now(), url: location.href };
    localStorage.setItem('fh_q', JSON.stringify([ev]));
  });
  await page.reload();
  await expectEvents(shop, { expected: [{ event_id: 'legacy-1', name: 'legacy' }] });
  await drained(page);
  expect(await page.evaluate(() => localStorage.getItem('fh_q'))).toBeNull();
});
