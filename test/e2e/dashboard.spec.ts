import { expect, test } from './fixtures.ts';

test('the dashboard page loads in Chromium without errors', async ({ page, server, pageErrors }) => {
  await page.goto(`${server.url}/`);
  await expect(page.locator('h1')).toHaveText('Funnelhouse');
  const health = await page.request.get(`${server.url}/healthz`);
  expect(await health.json()).toEqual({ ok: true });
  expect(pageErrors).toEqual([]);
});
