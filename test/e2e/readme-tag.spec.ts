import { readFileSync } from 'node:fs';
import { expect, expectEvents, test } from './shop.ts';

/**
 * The README's install tag, pasted as a site owner would (only HOST and SITE_KEY filled in):
 * Chromium checks its `integrity` value against the f.js the server sends, and blocks the script
 * when it is stale, so nothing at all is sent and the only sign is a console error.
 */
const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const TAG = /```html\n(<script defer src="https:\/\/HOST\/f\.js"[\s\S]*?<\/script>)\n```/.exec(README)?.[1];

test("the README's install tag loads f.js in Chromium and sends the page view", async ({ page, shop }) => {
  expect(TAG, 'the README has an install tag with integrity').toMatch(/integrity="sha384-/);
  const blocked: string[] = [];
  page.on('console', (m) => {
    if (/integrity|Subresource/i.test(m.text())) blocked.push(m.text());
  });
  await shop.serve({
    tag: (TAG as string).replace('https://HOST', shop.serverUrl).replace('SITE_KEY', shop.site.site_key),
  });
  await page.goto(`${shop.base}blank.html`);
  await expectEvents(shop, { expected: [{ type: 'pageview', path: shop.path('blank.html') }] });
  expect(blocked).toEqual([]);
});
