import { expect, test } from './fixtures.ts';

test('the API docs render every operation in Chromium under the CSP', async ({
  page,
  server,
  pageErrors,
}) => {
  const violations: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
  });
  await page.goto(`${server.url}/api/docs`);
  await expect(page.locator('details.op').first()).toBeVisible();
  const doc = (await (await page.request.get(`${server.url}/api/v1/openapi.json`)).json()) as {
    paths: Record<string, Record<string, unknown>>;
  };
  const operations = Object.values(doc.paths).reduce((n, item) => n + Object.keys(item).length, 0);
  await expect(page.locator('details.op')).toHaveCount(operations);
  const query = page.locator('details.op', { hasText: '/api/v1/sites/{siteId}/funnels/query' });
  await query.locator('summary').click();
  await expect(query.getByText('Request body')).toBeVisible();
  await expect(query.locator('pre').first()).toContainText('"definition"');
  expect(violations).toEqual([]);
  expect(pageErrors).toEqual([]);
});
