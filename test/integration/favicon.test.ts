import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.ts';

/**
 * The dashboard and the API reference link one small SVG icon, content-hashed and cached for good;
 * `/favicon.ico`, which browsers ask for on their own, answers with the same icon instead of a
 * 404. Needs the dashboard built (`pnpm test` builds it first).
 */
let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(async () => {
  await s.destroy();
});

const ICON = /<link rel="icon" type="image\/svg\+xml" href="(\/assets\/favicon-[0-9A-F]+\.svg)">/;

describe('favicon', () => {
  it('is linked from the dashboard and the API reference, and served as an SVG cached for good', async () => {
    const dashboard = (await (await fetch(`${s.url}/`)).text()).match(ICON)?.[1];
    const docs = (await (await fetch(`${s.url}/api/docs`)).text()).match(ICON)?.[1];
    expect(dashboard).toBeDefined();
    expect(docs).toBe(dashboard);
    const icon = await fetch(`${s.url}${dashboard}`);
    expect(icon.status).toBe(200);
    expect(icon.headers.get('content-type')).toBe('image/svg+xml');
    expect(icon.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const svg = await icon.text();
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(svg.length).toBeLessThan(1024);
  });

  it('answers /favicon.ico with the same icon, cached for a day, not a 404', async () => {
    const dashboard = (await (await fetch(`${s.url}/`)).text()).match(ICON)?.[1];
    const ico = await fetch(`${s.url}/favicon.ico`);
    expect(ico.status).toBe(200);
    expect(ico.headers.get('content-type')).toBe('image/svg+xml');
    expect(ico.headers.get('cache-control')).toBe('public, max-age=86400');
    expect(await ico.text()).toBe(await (await fetch(`${s.url}${dashboard}`)).text());
  });
});
