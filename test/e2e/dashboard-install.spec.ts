import { createHash } from 'node:crypto';
import { batch, pageview } from '../helpers/events.ts';
import { createSite, postCollect } from '../helpers/server.ts';
import { expect, expectAccessible, screenshots, signIn, test } from './dashboard-fixtures.ts';

test('install: snippet with site key and SRI hash, copy, first events arriving, drops said plainly', async ({
  page,
  context,
  server,
  guard,
}) => {
  const site = await createSite(server, 'Fresh site');
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
  await signIn(page, server.url, site.api_key);
  await page.getByRole('link', { name: 'Install' }).click();
  await expect(page).toHaveURL(/view=install/);
  const snippet = await (await fetch(`${server.url}/f.js`)).arrayBuffer();
  const integrity = `sha384-${createHash('sha384').update(Buffer.from(snippet)).digest('base64')}`;
  const tag = page.locator('[data-snippet]');
  await expect(tag).toContainText(`data-site="${site.site_key}"`);
  await expect(tag).toContainText(`integrity="${integrity}"`);
  await expect(tag).toContainText(`src="${server.url}/f.js"`);
  await page.getByRole('button', { name: 'Copy the snippet tag' }).click();
  await expect(page.getByText('Copied.')).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(await tag.textContent());
  await expect(page.getByText('No events in the last 15 minutes.')).toBeVisible();
  await expectAccessible(page);
  await screenshots(page, 'install-empty');

  // A visitor's pageview shows up; a crawler's events are dropped, and the page says so.
  const url = 'https://fresh.example/pricing';
  expect((await postCollect(server, batch(site.site_key, [pageview({ url })]))).status).toBe(202);
  await expect(page.locator('[data-live="events"] tbody tr').first()).toContainText('pricing', {
    timeout: 15_000,
  });
  const bot = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';
  const events = [pageview({ url }), pageview({ url })];
  expect((await postCollect(server, batch(site.site_key, events), { ua: bot })).status).toBe(202);
  await expect(page.locator('[data-drops] [data-reason="bot"]')).toContainText('2 events dropped as bots', {
    timeout: 15_000,
  });
  await expectAccessible(page);
  await screenshots(page, 'install-live');
  expect(guard.problems).toEqual([]);
});
