import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_COMPRESS_THRESHOLD } from '../../server/src/app.ts';
import { rawRequest } from '../helpers/raw-http.ts';
import { createSite, startTestServer, type TestServer } from '../helpers/server.ts';

/**
 * Budgets as a browser meets them: the bytes that cross the socket for the coding the browser
 * asks for, read without decoding (fetch would decode them and hide what was sent). Needs the
 * snippet and the dashboard built (`pnpm test` builds both first).
 */
const SNIPPET_BUDGET = 2048;
const FIRST_LOAD_BUDGET = 60 * 1024;
/** What Chromium sends over http://localhost, and the older gzip-only form. */
const CHROMIUM = 'gzip, deflate, br, zstd';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(async () => {
  await s.destroy();
});

const get = (path: string, headers: Record<string, string> = {}) =>
  rawRequest(s.url, { method: 'GET', path, headers });

/** The body decoded by its Content-Encoding. */
function decoded(r: { headers: Record<string, unknown>; body: Buffer }): string {
  const coding = r.headers['content-encoding'];
  if (coding === 'br') return brotliDecompressSync(r.body).toString('utf8');
  if (coding === 'gzip') return gunzipSync(r.body).toString('utf8');
  return r.body.toString('utf8');
}

describe('bytes on the wire', () => {
  it(`f.js: at most ${SNIPPET_BUDGET} bytes gzip, fewer with brotli, the same script either way`, async () => {
    const plain = await get('/f.js');
    const gz = await get('/f.js', { 'accept-encoding': 'gzip' });
    const br = await get('/f.js', { 'accept-encoding': CHROMIUM });
    expect(plain.status).toBe(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(br.headers['content-encoding']).toBe('br');
    expect(decoded(gz)).toBe(plain.text);
    expect(decoded(br)).toBe(plain.text);
    console.log(
      `f.js on the wire: ${plain.body.length} B as is, ${gz.body.length} B gzip, ${br.body.length} B br`,
    );
    expect(gz.body.length).toBeLessThanOrEqual(SNIPPET_BUDGET);
    expect(br.body.length).toBeLessThan(gz.body.length);
    expect(Number(gz.headers['content-length'])).toBe(gz.body.length);
    for (const r of [plain, gz, br]) expect(r.headers.vary).toBe('Accept-Encoding');
  });

  it(`the dashboard's first load (page, JS, CSS, icon): at most ${FIRST_LOAD_BUDGET} bytes, hashed assets cached for good`, async () => {
    for (const accept of [CHROMIUM, 'gzip']) {
      const page = await get('/', { 'accept-encoding': accept });
      expect(page.status).toBe(200);
      expect(page.headers['cache-control']).toBe('no-cache');
      const assets = [...decoded(page).matchAll(/(?:href|src)="(\/assets\/[^"]+)"/g)].map(
        (m) => m[1] as string,
      );
      // The entry, the chunks it imports (modulepreload), the stylesheet and the icon; the views
      // other than the overview are chunks of their own, fetched when opened, not named here.
      expect(assets.filter((a) => a.endsWith('.css'))).toHaveLength(1);
      expect(assets.filter((a) => /\/assets\/main-\w+\.js$/.test(a))).toHaveLength(1);
      expect(assets.filter((a) => a.endsWith('.svg'))).toHaveLength(1);
      let total = page.body.length;
      for (const path of assets) {
        const r = await get(path, { 'accept-encoding': accept });
        expect(r.headers['content-encoding']).toBe(accept === 'gzip' ? 'gzip' : 'br');
        expect(r.headers['cache-control']).toBe('public, max-age=31536000, immutable');
        expect(r.headers.vary).toBe('Accept-Encoding');
        total += r.body.length;
      }
      console.log(`dashboard first load on the wire (${accept}): ${total} B`);
      expect(total).toBeLessThanOrEqual(FIRST_LOAD_BUDGET);
    }
  });

  it('the API docs page and its files are compressed; the OpenAPI document too', async () => {
    const paths = [
      '/api/docs',
      '/api/docs/swagger-ui-bundle.js',
      '/api/docs/swagger-ui.css',
      '/api/v1/openapi.json',
    ];
    let plainTotal = 0;
    let wireTotal = 0;
    for (const path of paths) {
      const plain = await get(path);
      const gz = await get(path, { 'accept-encoding': 'gzip' });
      expect(plain.status, path).toBe(200);
      // The page itself is under the threshold until its own gzip copy is ready.
      if (plain.body.length >= API_COMPRESS_THRESHOLD)
        expect(gz.headers['content-encoding'], path).toBe('gzip');
      expect(decoded(gz), path).toBe(plain.text);
      plainTotal += plain.body.length;
      wireTotal += gz.body.length;
    }
    console.log(`API docs: ${plainTotal} B as is, ${wireTotal} B gzip on the wire`);
    expect(wireTotal).toBeLessThan(plainTotal / 3);
  });

  it(`API answers over ${API_COMPRESS_THRESHOLD} bytes go out gzip, smaller ones and /collect as they are`, async () => {
    const site = await createSite(s, 'wire');
    const auth = { authorization: `Bearer ${site.api_key}` };
    const big = await get(`/api/v1/sites/${site.id}/overview?range=30d`, {
      ...auth,
      'accept-encoding': CHROMIUM,
    });
    const bigPlain = await get(`/api/v1/sites/${site.id}/overview?range=30d`, auth);
    expect(big.status).toBe(200);
    expect(bigPlain.body.length).toBeGreaterThan(API_COMPRESS_THRESHOLD);
    expect(big.headers['content-encoding']).toBe('gzip');
    expect(big.headers.vary).toContain('Accept-Encoding');
    expect(JSON.parse(decoded(big))).toMatchObject({ site_id: site.id });
    const small = await get('/api/v1/key', { ...auth, 'accept-encoding': CHROMIUM });
    expect(small.status).toBe(200);
    expect(small.body.length).toBeLessThan(API_COMPRESS_THRESHOLD);
    expect(small.headers['content-encoding']).toBeUndefined();
    const collect = await rawRequest(s.url, {
      method: 'POST',
      path: '/collect',
      headers: { 'content-type': 'text/plain', 'accept-encoding': CHROMIUM },
      body: Buffer.from('{}'),
    });
    expect(collect.headers['content-encoding']).toBeUndefined();
  });
});
