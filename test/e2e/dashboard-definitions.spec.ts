import type { OverviewResponse, RevenueResponse } from '@funnelhouse/schemas';
import { expect, expectAccessible, readNumber, screenshots, signIn, test } from './dashboard-fixtures.ts';

/**
 * Issue 26, item 6: the same question gets the same number, and each number says what it counts.
 * Visitors by channel on the overview are first touch, as on the revenue report: each visitor
 * once, so the rows add up to the visitors; the view says so under each list.
 */
test('visitors by channel: the overview rows add up to the visitors and equal the revenue report', async ({
  page,
  server,
  seeded,
  guard,
}) => {
  await signIn(page, server.url, seeded.api_key);
  await page.goto(`${server.url}/?site=${seeded.id}&view=overview&range=7d&tz=UTC`);
  const sources = page.locator('section[data-top="channels"]');
  await expect(sources.locator('tbody tr').first()).toBeVisible();
  const dates = (await page.locator('.dates').textContent())?.split('–').map((d) => d.trim()) ?? [];
  const q = new URLSearchParams({ from: dates[0] ?? '', to: dates[1] ?? '', tz: 'UTC' });
  const get = async <T>(path: string) =>
    (await (
      await fetch(`${server.url}/api/v1/sites/${seeded.id}/${path}`, {
        headers: { authorization: `Bearer ${seeded.api_key}` },
      })
    ).json()) as T;
  const o = await get<OverviewResponse>(`overview?${q}`);
  const rev = await get<RevenueResponse>(`revenue?${q}&breakdown=channel&limit=100`);

  const shown = await sources
    .locator('tbody tr')
    .evaluateAll((trs) =>
      trs.map((tr) => [
        tr.querySelector('td button')?.textContent,
        tr.querySelectorAll('td')[1]?.textContent,
      ]),
    );
  const rows = shown.map(([v, n]) => [v, readNumber(n ?? '')] as const);
  expect(rows).toEqual(o.top.channels.map((r) => [r.value, r.visitors]));
  const visitors = readNumber(await page.locator('[data-kpi="visitors"] .kpi-value').textContent());
  expect(rows.reduce((n, [, v]) => n + v, 0)).toBe(visitors);
  expect(Object.fromEntries(rows)).toEqual(
    Object.fromEntries((rev.breakdown?.groups ?? []).map((g) => [g.value, g.visitors])),
  );
  await expect(sources.locator('[data-note="top"]')).toContainText('Visitors by first touch');
  await expect(page.locator('section[data-top="pages"] [data-note="top"]')).toContainText(
    'a visitor counts on every page they viewed',
  );
  await expectAccessible(page);
  await screenshots(page, 'overview-definitions');

  // The cart view's stage table shows the open carts its rate leaves out.
  await page.goto(`${server.url}/?site=${seeded.id}&view=carts&range=7d&tz=UTC`);
  await expect(page.locator('[data-note="stages"]')).toBeVisible();
  await expectAccessible(page);
  await screenshots(page, 'carts-definitions');
  expect(guard.problems).toEqual([]);
});
