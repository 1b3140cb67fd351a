import { expect, expectEvents, expectStoredOnce, test } from './shop.ts';

const SECRETS = ['Alice Secretname', 'alice.secret@example.com', 'hunter2-secret', 'hidden-secret-42'];

test('form start and submit carry field names, and no value is stored anywhere', async ({ page, shop }) => {
  await shop.serve();
  const bodies: string[] = [];
  page.on('request', (r) => {
    if (r.url().startsWith(shop.serverUrl)) bodies.push(r.postData() ?? '');
  });
  await page.goto(`${shop.base}form.html`);
  await page.fill('input[name=name]', SECRETS[0] as string);
  await page.fill('input[name=email]', SECRETS[1] as string);
  await page.fill('input[name=password]', SECRETS[2] as string);
  await page.check('input[name=plan][value=b]');
  await page.selectOption('select[name=country]', 'FR');
  await Promise.all([page.waitForURL(`${shop.base}thanks.html`), page.click('#submit')]);

  const form = { form_id: 'signup-form', form_name: 'signup' };
  const fields = ['id', 'name', 'email', 'password', 'plan', 'country'];
  const rows = await expectEvents(shop, {
    expected: [
      { type: 'form_start', ...form, form_fields: fields },
      { type: 'form_submit', ...form, form_fields: fields },
      { type: 'pageview', path: shop.path('thanks.html') },
    ],
  });
  expect(rows.filter((r) => r.type === 'form_start')).toHaveLength(1);
  await expectStoredOnce(shop);

  // Anywhere: the stored rows, every request body the page sent us, and the page's storage.
  const stored = JSON.stringify(rows);
  const storage = await page.evaluate(() => JSON.stringify({ ...localStorage, ...sessionStorage }));
  for (const secret of SECRETS) {
    expect(stored).not.toContain(secret);
    expect(storage).not.toContain(secret);
    for (const b of bodies) expect(b).not.toContain(secret);
  }
});
