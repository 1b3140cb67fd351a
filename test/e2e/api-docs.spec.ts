import { ADMIN_KEY } from '../helpers/server.ts';
import { expect, screenshots, signIn, test } from './dashboard-fixtures.ts';

test('the API reference lists every operation with examples, and tries a call with the signed-in key', async ({
  page,
  server,
  seeded,
  guard,
}) => {
  const violations: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
  });
  await signIn(page, server.url, seeded.api_key);
  await expect(page.getByRole('heading', { name: 'Overview' })).toBeVisible();
  await page.getByRole('link', { name: 'API reference' }).click();
  await expect(page.locator('.opblock').first()).toBeVisible();
  await expect(page.locator('#signed-in')).toContainText(seeded.id);
  const doc = (await (await page.request.get(`${server.url}/api/v1/openapi.json`)).json()) as {
    paths: Record<string, Record<string, unknown>>;
  };
  const operations = Object.values(doc.paths).reduce((n, item) => n + Object.keys(item).length, 0);
  await expect(page.locator('.opblock')).toHaveCount(operations);

  // A request body example generated from the schema.
  const query = page.locator('.opblock', { hasText: '/api/v1/sites/{siteId}/funnels/query' }).first();
  await query.locator('.opblock-summary').click();
  await expect(query.locator('.body-param__example, .highlight-code').first()).toContainText('"definition"');

  // "Try it out" on GET /api/v1/key with the key the dashboard signed in with.
  const key = page.locator('.opblock', { hasText: 'What the presented key is' }).first();
  await key.locator('.opblock-summary').click();
  await key.getByRole('button', { name: 'Try it out' }).click();
  await key.getByRole('button', { name: 'Execute' }).click();
  await expect(key.locator('.live-responses-table tbody .response-col_status').first()).toHaveText('200');
  await expect(key.locator('.live-responses-table .microlight').first()).toContainText(
    `"id": "${seeded.id}"`,
  );
  await expect(key.locator('.curl-command, .request-snippets').first()).toContainText(
    'Authorization: Bearer',
  );
  await screenshots(page, 'api-reference');
  expect(violations).toEqual([]);
  expect(guard.problems).toEqual([]);
});

test('the API reference fills in the signed-in site id, so that "Try it out" on a site route answers at once', async ({
  page,
  server,
  seeded,
  guard,
}) => {
  // Swagger UI renders every operation twice here; on a loaded machine that takes a while.
  test.setTimeout(120_000);
  await signIn(page, server.url, seeded.api_key);
  await page.goto(`${server.url}/api/docs`);
  const schema = page.locator('.opblock', { hasText: 'Event types, names, property keys' }).first();
  await schema.locator('.opblock-summary').click();
  await schema.getByRole('button', { name: 'Try it out' }).click();
  const siteId = schema.locator('tr[data-param-name="siteId"] input');
  await expect(siteId).toHaveValue(seeded.id);
  await schema.getByRole('button', { name: 'Execute' }).click();
  await expect(schema.locator('.live-responses-table tbody .response-col_status').first()).toHaveText('200');
  await expect(schema.locator('.request-url, .curl-command').first()).toContainText(
    `/api/v1/sites/${seeded.id}/schema`,
  );
  await screenshots(page, 'api-reference-site-id');

  // Signed in with the admin key: the site whose API key the dashboard keeps for this browser.
  await page.evaluate(
    ([admin, site, key]) => {
      localStorage.setItem('funnelhouse.session', JSON.stringify({ key: admin, role: 'admin' }));
      localStorage.setItem('funnelhouse.siteKeys', JSON.stringify({ [site as string]: key }));
    },
    [ADMIN_KEY, seeded.id, seeded.api_key],
  );
  // A fresh load (a reload would keep the deep link, and the operation open).
  await page.goto(`${server.url}/api/docs`);
  await schema.locator('.opblock-summary').click();
  await schema.getByRole('button', { name: 'Try it out' }).click();
  await expect(siteId).toHaveValue(seeded.id);
  expect(guard.problems).toEqual([]);
});
