import type { ApiKeyListResponse } from '@funnelhouse/schemas';
import { ADMIN_KEY } from '../helpers/server.ts';
import { expect, expectAccessible, screenshots, signIn, test } from './dashboard-fixtures.ts';

const idOf = (key: string) => key.split('_')[1] as string;
const adminCall = (url: string, method = 'GET', body?: unknown) =>
  fetch(url, {
    method,
    headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

test('keys: each site lists its API keys with kind, created and last used; one is revoked by its button after a confirm step', async ({
  page,
  server,
  seeded,
  guard,
}) => {
  const spare = (
    (await (await adminCall(`${server.url}/api/v1/sites/${seeded.id}/keys`, 'POST')).json()) as {
      api_key: string;
    }
  ).api_key;
  const listed = (await (
    await adminCall(`${server.url}/api/v1/sites/${seeded.id}/keys`)
  ).json()) as ApiKeyListResponse;
  await signIn(page, server.url, ADMIN_KEY);
  await page.goto(`${server.url}/?view=keys`);
  const section = page.locator(`[data-site-keys="${seeded.id}"]`);
  await expect(section.getByRole('heading', { name: /Demo shop/ })).toBeVisible();
  await expect(section.locator('tbody tr')).toHaveCount(listed.keys.length);
  // The seeded key has read reports (the fixture saved an experiment with it); the spare one not.
  const used = section.locator(`tr[data-key-id="${idOf(seeded.api_key)}"]`);
  const lastUsed = listed.keys.find((k) => k.id === idOf(seeded.api_key))?.last_used_at;
  expect(lastUsed).toBeTruthy();
  await expect(used.locator('td').nth(1)).toHaveText('API (secret)');
  await expect(used.locator('td').nth(3).locator('time')).toHaveAttribute('datetime', lastUsed ?? '');
  const row = section.locator(`tr[data-key-id="${idOf(spare)}"]`);
  await expect(row.locator('td').nth(3)).toHaveText('never');
  await expect(row.locator('td').nth(2).locator('time')).toHaveAttribute(
    'datetime',
    listed.keys.find((k) => k.id === idOf(spare))?.created_at ?? '',
  );

  // Revoke asks first; Cancel keeps the key.
  await row.getByRole('button', { name: `Revoke key ${idOf(spare)}` }).click();
  const confirm = row.getByRole('group', {
    name: `Revoke key ${idOf(spare)}? Requests with it fail at once.`,
  });
  await expect(confirm.getByRole('button', { name: 'Yes, revoke' })).toBeFocused();
  await expectAccessible(page);
  await screenshots(page, 'keys-confirm');
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  await expect(row.getByRole('button', { name: `Revoke key ${idOf(spare)}` })).toBeVisible();
  const spareStatus = async () =>
    (await fetch(`${server.url}/api/v1/key`, { headers: { authorization: `Bearer ${spare}` } })).status;
  expect(await spareStatus()).toBe(200);

  // Confirmed: gone from the list and refused by the API.
  await row.getByRole('button', { name: `Revoke key ${idOf(spare)}` }).click();
  await row.getByRole('button', { name: 'Yes, revoke' }).click();
  await expect(
    section.getByRole('status').filter({ hasText: `Key ${idOf(spare)} of Demo shop is revoked.` }),
  ).toBeVisible();
  await expect(row).toHaveCount(0);
  await expect(used).toBeVisible();
  expect(await spareStatus()).toBe(401);
  await expectAccessible(page);
  await screenshots(page, 'keys-list');
  expect(guard.problems).toEqual([]);
});

test('new site: made from the dashboard with a name and a time zone, its keys shown once with copy buttons', async ({
  page,
  context,
  server,
  guard,
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
  await signIn(page, server.url, ADMIN_KEY);
  await page.goto(`${server.url}/?view=keys`);
  const form = page.getByRole('region', { name: 'New site' });

  // A zone the database does not know is refused, and the page says why.
  guard.allow(400, '/api/v1/sites');
  await form.getByLabel('Name').fill('Garden shop');
  await form.getByLabel('Time zone of its reports').fill('Mars/Olympus');
  await form.getByRole('button', { name: 'Create site' }).click();
  await expect(form.getByRole('alert')).toContainText('Time zone: ');

  await form.getByLabel('Time zone of its reports').fill('Europe/Berlin');
  await form.getByRole('button', { name: 'Create site' }).click();
  const made = form.locator('[data-new-site]');
  await expect(made).toContainText('Garden shop is created');
  const siteId = (await made.getAttribute('data-new-site')) ?? '';
  const sites = (await (await adminCall(`${server.url}/api/v1/sites`)).json()) as {
    sites: { id: string; name: string; site_key: string; time_zone: string }[];
  };
  const site = sites.sites.find((s) => s.id === siteId);
  expect(site).toMatchObject({ name: 'Garden shop', time_zone: 'Europe/Berlin' });
  await expect(made.locator('code').filter({ hasText: site?.site_key ?? '' })).toBeVisible();
  const apiKey = (await made.locator('code', { hasText: /^fhk_/ }).textContent()) ?? '';
  const info = (await (
    await fetch(`${server.url}/api/v1/key`, { headers: { authorization: `Bearer ${apiKey}` } })
  ).json()) as { site: { id: string } };
  expect(info.site.id).toBe(siteId);

  // Each key has its own copy button.
  await made.getByRole('button', { name: 'Copy the API key of Garden shop' }).click();
  await expect(made.getByText('Copied.')).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(apiKey);
  await made.getByRole('button', { name: 'Copy the site key of Garden shop' }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(site?.site_key);

  // The new site is listed with its one key, and the site picker offers it.
  await expect(page.locator(`[data-site-keys="${siteId}"] tbody tr`)).toHaveCount(1);
  await expect(page.getByLabel('Site', { exact: true }).locator(`option[value="${siteId}"]`)).toHaveCount(1);
  await expectAccessible(page);
  await screenshots(page, 'keys-new-site');
  // This browser keeps the key: the site's reports open without making another.
  await page.getByLabel('Site', { exact: true }).selectOption(siteId);
  await page.getByRole('link', { name: 'Overview' }).click();
  await expect(page.getByRole('heading', { name: 'Overview' })).toBeVisible();
  expect(guard.problems).toEqual([]);
});
