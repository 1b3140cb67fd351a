import { expect, test } from './dashboard-fixtures.ts';

/** The icon each page links is an SVG Chromium can draw, and /favicon.ico is no 404. */
test('the dashboard and the API reference link an icon Chromium draws; /favicon.ico answers it', async ({
  page,
  server,
  guard,
}) => {
  for (const path of ['/', '/api/docs']) {
    await page.goto(`${server.url}${path}`);
    const href = await page.locator('link[rel="icon"]').getAttribute('href');
    expect(href, path).toMatch(/^\/assets\/favicon-[0-9A-F]+\.svg$/);
    const drawn = await page.evaluate(async (src) => {
      const img = new Image();
      img.src = src as string;
      await img.decode();
      return { width: img.naturalWidth, height: img.naturalHeight };
    }, href);
    expect(drawn.width, path).toBeGreaterThan(0);
    expect(drawn.height, path).toBeGreaterThan(0);
  }
  const ico = await page.request.get(`${server.url}/favicon.ico`);
  expect(ico.status()).toBe(200);
  expect(ico.headers()['content-type']).toBe('image/svg+xml');
  expect(guard.problems).toEqual([]);
});
