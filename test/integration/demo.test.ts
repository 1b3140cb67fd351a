import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(() => s.destroy());

describe('GET /demo', () => {
  it('serves the shop pages under the strict CSP, instrumented only with the public snippet', async () => {
    const redirect = await fetch(`${s.url}/demo`, { redirect: 'manual' });
    expect(redirect.status).toBe(301);
    expect(redirect.headers.get('location')).toBe('/demo/');
    for (const page of ['', 'product.html', 'cart.html', 'checkout.html', 'thanks.html']) {
      const res = await fetch(`${s.url}/demo/${page}`);
      expect(res.status, page).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
      const html = await res.text();
      expect(html).toContain('<script defer src="/f.js" data-site="demo"></script>');
      // No inline script: the CSP would block it.
      expect(html.match(/<script(?![^>]*\bsrc=)[^>]*>/g)).toBeNull();
    }
    expect((await fetch(`${s.url}/demo/shop.js`)).headers.get('content-type')).toBe(
      'text/javascript; charset=utf-8',
    );
  });

  it('serves nothing outside its folder', async () => {
    for (const path of [
      '/demo/../package.json',
      '/demo/%2e%2e/package.json',
      '/demo/nope.html',
      '/demo/.env',
    ]) {
      expect((await fetch(`${s.url}${path}`)).status, path).toBe(404);
    }
  });
});
