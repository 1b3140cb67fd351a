import { expect, expectEvents, test } from './shop.ts';

test('a page with a strict CSP (scripts and connections to the server only, no eval) works', async ({
  page,
  shop,
}) => {
  await shop.serve({
    csp: `default-src 'none'; script-src ${shop.serverUrl}; connect-src ${shop.serverUrl}; style-src 'none'`,
  });
  const violations: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
  });
  await page.goto(`${shop.base}strict-csp.html`);
  await page.click('#buy');
  await page.fill('#newsletter input[name=email]', 'x@example.com');
  await expectEvents(shop, {
    expected: [
      { type: 'pageview', title: 'Strict CSP page' },
      { type: 'click', name: 'buy', props: { sku: 's-1' } },
      { type: 'form_start', form_id: 'newsletter', form_fields: ['email'] },
      { type: 'exposure', name: 'cta-color' },
    ],
  });
  expect(await page.getAttribute('#cta', 'data-fh-shown')).toMatch(/^(green|red)$/);
  expect(violations).toEqual([]);
});
