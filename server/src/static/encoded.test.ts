import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { acceptedCodings, EncodedFile } from './encoded.ts';

const TEXT = 'console.log("a file worth compressing");\n'.repeat(200);

/** An app that serves one file, with every coding ready (as a build leaves them). */
async function served(): Promise<Hono> {
  const file = new EncodedFile(TEXT, 'text/javascript; charset=utf-8');
  await file.settle();
  const app = new Hono();
  app.get('/f.js', (c) => file.respond(c, 'public, max-age=60'));
  return app;
}

async function get(app: Hono, headers: Record<string, string>) {
  const res = await app.request('/f.js', { headers });
  return { res, bytes: Buffer.from(await res.arrayBuffer()) };
}

describe('acceptedCodings', () => {
  it('orders by q-value, then brotli before gzip; q=0 and unknown codings are left out', () => {
    expect(acceptedCodings(undefined)).toEqual([]);
    expect(acceptedCodings('')).toEqual([]);
    expect(acceptedCodings('identity')).toEqual([]);
    expect(acceptedCodings('gzip, deflate, br, zstd')).toEqual(['br', 'gzip']);
    expect(acceptedCodings('gzip;q=1, br;q=0.5')).toEqual(['gzip', 'br']);
    expect(acceptedCodings('br;q=0, gzip')).toEqual(['gzip']);
    expect(acceptedCodings('*')).toEqual(['br', 'gzip']);
    expect(acceptedCodings('*;q=0.2, gzip;q=0')).toEqual(['br']);
    expect(acceptedCodings('GZIP')).toEqual(['gzip']);
    expect(acceptedCodings('deflate')).toEqual([]);
  });
});

describe('EncodedFile.respond', () => {
  it('answers brotli, gzip or the file as is, as the client accepts, always with Vary', async () => {
    const app = await served();
    const br = await get(app, { 'accept-encoding': 'gzip, deflate, br' });
    expect(br.res.headers.get('content-encoding')).toBe('br');
    expect(brotliDecompressSync(br.bytes).toString()).toBe(TEXT);
    const gz = await get(app, { 'accept-encoding': 'gzip' });
    expect(gz.res.headers.get('content-encoding')).toBe('gzip');
    expect(gunzipSync(gz.bytes).toString()).toBe(TEXT);
    expect(br.bytes.length).toBeLessThan(gz.bytes.length);
    const plain = await get(app, {});
    expect(plain.res.headers.get('content-encoding')).toBeNull();
    expect(plain.bytes.toString()).toBe(TEXT);
    for (const r of [br, gz, plain]) {
      expect(r.res.headers.get('vary')).toBe('Accept-Encoding');
      expect(r.res.headers.get('cache-control')).toBe('public, max-age=60');
      expect(r.res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    }
  });

  it('gives each representation its own ETag and answers 304 only for the one it would send', async () => {
    const app = await served();
    const br = (await get(app, { 'accept-encoding': 'br' })).res.headers.get('etag') ?? '';
    const gz = (await get(app, { 'accept-encoding': 'gzip' })).res.headers.get('etag') ?? '';
    const plain = (await get(app, {})).res.headers.get('etag') ?? '';
    expect(new Set([br, gz, plain]).size).toBe(3);
    expect((await get(app, { 'accept-encoding': 'br', 'if-none-match': br })).res.status).toBe(304);
    // A gzip copy's tag does not validate the brotli body a br client would get.
    expect((await get(app, { 'accept-encoding': 'br', 'if-none-match': gz })).res.status).toBe(200);
  });

  it('compresses a coding with no build copy in the background and sends the file as is until it is ready', async () => {
    const file = new EncodedFile(TEXT, 'text/plain');
    const app = new Hono();
    app.get('/f.js', (c) => file.respond(c, 'no-cache'));
    const first = await get(app, { 'accept-encoding': 'br' });
    expect(first.res.headers.get('content-encoding')).toBeNull();
    expect(first.bytes.toString()).toBe(TEXT);
    await file.settle();
    const later = await get(app, { 'accept-encoding': 'br' });
    expect(later.res.headers.get('content-encoding')).toBe('br');
    expect(brotliDecompressSync(later.bytes).toString()).toBe(TEXT);
  });
});
