import type { Page, Route } from '@playwright/test';
import { drained, expect, expectEvents, expectStoredOnce, type Shop, test } from './shop.ts';

type Fh = (...a: unknown[]) => unknown;
/** A custom event, sent from the page. */
const track = (page: Page, name: string) =>
  page.evaluate((n) => (window as unknown as { fh: Fh }).fh('track', n), name);
/** Our server's CORS headers: without them the browser hides the status from the page. */
const CORS = { 'access-control-allow-origin': '*', 'access-control-expose-headers': 'Retry-After' };

/** Event ids of every `/collect` request the page made, request by request. */
const sentIds = (shop: Shop) => shop.posts.map((p) => p.body.events.map((e) => e.id));

test('offline for a while, then online: each event is stored exactly once', async ({
  page,
  context,
  shop,
}) => {
  await shop.serve();
  await page.goto(`${shop.base}blank.html`);
  await drained(page);
  await context.setOffline(true);
  const tries = shop.posts.length;
  await track(page, 'offline-1');
  await track(page, 'offline-2');
  // Attempts fail while offline; the events stay queued with their ids.
  await expect.poll(() => shop.posts.length - tries, { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
  await context.setOffline(false);
  await expectEvents(shop, { expected: [{ name: 'offline-1' }, { name: 'offline-2' }] });
  await drained(page);
  const attempts = sentIds(shop).slice(tries);
  expect(new Set(attempts.map((ids) => ids.join())).size, 'every retry resent the same ids').toBe(1);
  await expectStoredOnce(shop);
});

test('the server answers 500 three times, then 202: stored once', async ({ page, shop }) => {
  await shop.serve();
  let failures = 0;
  await page.route(`${shop.serverUrl}/collect`, (route: Route) =>
    failures++ < 3 ? route.fulfill({ status: 500, headers: CORS, body: '{}' }) : route.continue(),
  );
  await page.goto(`${shop.base}blank.html`);
  await track(page, 'after-500s');
  await expectEvents(shop, { expected: [{ type: 'pageview' }, { name: 'after-500s' }] });
  await drained(page);
  const attempts = sentIds(shop);
  expect(attempts.length).toBe(4);
  expect(new Set(attempts.map((ids) => ids.join())).size, 'the same events, the same ids').toBe(1);
  await expectStoredOnce(shop);
});

test('a 429 waits for Retry-After; another 4xx is dropped, not retried', async ({ page, shop }) => {
  await shop.serve();
  const at: number[] = [];
  await page.route(`${shop.serverUrl}/collect`, (route: Route) => {
    at.push(Date.now());
    if (at.length === 1)
      return route.fulfill({ status: 429, headers: { ...CORS, 'retry-after': '2' }, body: '{}' });
    if (at.length === 2) return route.fulfill({ status: 400, headers: CORS, body: '{}' });
    return route.continue();
  });
  await page.goto(`${shop.base}blank.html`);
  await expect.poll(() => at.length, { timeout: 10_000 }).toBe(2);
  expect((at[1] as number) - (at[0] as number)).toBeGreaterThanOrEqual(1900);
  await drained(page); // the refused page view left the queue
  await track(page, 'next');
  await expectEvents(shop, { expected: [{ name: 'next' }], refuted: [{ type: 'pageview' }] });
  expect(at).toHaveLength(3);
});

test('reload with a send in flight: the same event id is sent again and stored once', async ({
  page,
  shop,
}) => {
  await shop.serve();
  let held: Route | undefined;
  await page.route(`${shop.serverUrl}/collect`, async (route: Route) => {
    if (held) return route.continue();
    // The first send reaches the server (which stores it), but its answer never reaches the page.
    held = route;
    await route.fetch();
  });
  await page.goto(`${shop.base}blank.html`);
  await expect.poll(() => shop.posts.length).toBe(1);
  const first = sentIds(shop)[0] as string[];
  await expectEvents(shop, { expected: [{ event_id: first[0] }] });
  await page.reload();
  await expect.poll(() => sentIds(shop).slice(1).flat()).toEqual(expect.arrayContaining(first));
  await drained(page);
  await expectStoredOnce(shop);
});
