import { createHash } from 'node:crypto';
import { createApp, select } from '@funnelhouse/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin, api, rawGet, shape } from '../helpers/api.ts';
import { batch, pageview } from '../helpers/events.ts';
import { countRows } from '../helpers/rows.ts';
import { ADMIN_KEY, createSite, postCollect, startTestServer, type TestServer } from '../helpers/server.ts';

type Site = Awaited<ReturnType<typeof createSite>>;
let s: TestServer;
let a: Site;
let b: Site;
const MISSING = 'nosuchsite00';
const MARK_B = 'only-in-site-b-7f3a';
const RANGE = 'from=2020-01-01&to=2029-12-31'; // overview ranges are at most 3660 days

beforeAll(async () => {
  s = await startTestServer();
  a = await createSite(s, 'A');
  b = await createSite(s, 'B');
  const now = Date.now();
  await postCollect(s, batch(a.site_key, [pageview({ ts: now - 1000, title: 'site a page' })]));
  await postCollect(
    s,
    batch(b.site_key, [
      pageview({ ts: now - 1000, title: MARK_B, url: `https://b.example/${MARK_B}`, visitor_id: MARK_B }),
    ]),
  );
});
afterAll(() => s.destroy());

/** Every site-scoped route the app registers, including ones added after this test was written. */
function siteRoutes(): { method: string; path: string }[] {
  const seen = new Map<string, { method: string; path: string }>();
  for (const r of createApp(s.deps).routes) {
    if (!r.path.includes('/:siteId') || r.method === 'ALL') continue;
    seen.set(`${r.method} ${r.path}`, { method: r.method, path: r.path });
  }
  return [...seen.values()];
}

const fill = (path: string, siteId: string) => path.replace(':siteId', siteId).replace(/:[A-Za-z]+/g, 'x1');

describe('keys: site keys only ingest, API keys only read', () => {
  it('refuses secret API keys and the admin key on /collect, storing nothing', async () => {
    for (const key of [a.api_key, ADMIN_KEY]) {
      const res = await postCollect(s, batch(key, [pageview()]));
      expect(res.status).toBe(401);
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('unknown_site_key');
      expect(body.error.message).toMatch(/public site key/);
    }
    expect(await countRows(s, a.id)).toBe(1);
  });

  it('refuses the public site key on every site-scoped API route', async () => {
    const routes = siteRoutes();
    expect(routes.length).toBeGreaterThanOrEqual(6);
    for (const r of routes) {
      const res = await api(
        s,
        r.method,
        `${fill(r.path, a.id)}?${RANGE}`,
        a.site_key,
        r.method === 'GET' ? undefined : {},
      );
      // 401 on site routes (not an API key), 403 on admin routes (not the admin key).
      expect([401, 403], `${r.method} ${r.path}`).toContain(res.status);
    }
  });

  it('stores API keys only as SHA-256 hashes', async () => {
    const rows = await select<Record<string, unknown>>(
      s.deps.store,
      'SELECT * FROM {db:Identifier}.api_keys_v1',
    );
    const dump = JSON.stringify(rows);
    expect(dump).not.toContain(a.api_key);
    expect(dump).not.toContain(a.api_key.split('_').slice(2).join('_'));
    expect(dump).toContain(createHash('sha256').update(a.api_key).digest('hex'));
    const settings = JSON.stringify(await select(s.deps.store, 'SELECT * FROM {db:Identifier}.settings_v1'));
    expect(settings).not.toContain(ADMIN_KEY);
  });
});

describe('a key for site A gets from site B exactly what a missing site gives', () => {
  it('on every site-scoped route, with and without smuggled site ids in the query', async () => {
    const smuggles = ['', `&site_id=${b.id}`, `&siteId=${b.id}`, `&site=${b.id}`, `&sites=${b.id}`];
    let compared = 0;
    for (const r of siteRoutes()) {
      for (const extra of smuggles) {
        // Bodies try to name site B too, for routes that take filters in a JSON body.
        const body =
          r.method === 'GET' || r.method === 'DELETE'
            ? undefined
            : { site_id: b.id, siteId: b.id, site: b.id };
        const cross = await shape(
          await api(s, r.method, `${fill(r.path, b.id)}?${RANGE}${extra}`, a.api_key, body),
        );
        const missing = await shape(
          await api(s, r.method, `${fill(r.path, MISSING)}?${RANGE}${extra}`, a.api_key, body),
        );
        expect(cross, `${r.method} ${r.path} ${extra}`).toEqual(missing);
        expect([403, 404]).toContain(cross.status);
        compared++;
      }
    }
    expect(compared).toBeGreaterThanOrEqual(30);
    expect(await countRows(s, b.id)).toBe(1); // nothing of B was erased either
  });

  it('never shows B data through smuggled query parameters on A', async () => {
    for (const r of siteRoutes().filter((x) => x.method === 'GET')) {
      const q = `${RANGE}&site_id=${b.id}&siteId=${b.id}&site=${b.id}&site_id[]=${b.id}&filter=site_id%3D${b.id}`;
      const res = await api(s, 'GET', `${fill(r.path, a.id)}?${q}`, a.api_key);
      const text = await res.text();
      expect(text, r.path).not.toContain(MARK_B);
      expect(text, r.path).not.toContain(b.id);
    }
  });

  it('never shows B data through path tricks', async () => {
    // Control: B's own key does see the marker, so its absence below means something.
    const own = await rawGet(s.url, `/api/v1/sites/${b.id}/events?${RANGE}`, {
      authorization: `Bearer ${b.api_key}`,
    });
    expect(own.body).toContain(MARK_B);
    // Each trick, on every GET route of a site: `rest` is the route's path after `:siteId`.
    const tricksFor = (rest: string) => [
      `/api/v1/sites/${a.id}/../${b.id}${rest}`,
      `/api/v1/sites/${a.id}/%2e%2e/${b.id}${rest}`,
      `/api/v1/sites/${a.id}%2F..%2F${b.id}${rest}`,
      `/api/v1/sites/${a.id}%2f${b.id}${rest}`,
      `/api/v1/sites/${b.id}%2F..%2F${a.id}${rest}`,
      `/api/v1/sites//${b.id}${rest}`,
      `/api/v1/sites/${a.id}${rest}/../../${b.id}${rest}`,
      `/api/v1/sites/${[...b.id].map((c) => `%${c.charCodeAt(0).toString(16)}`).join('')}${rest}`,
      `/api/v1/sites/${b.id.toUpperCase()}${rest}`,
      `/api/v1/sites/${b.id}%00${rest}`,
      `/api/v1/sites/${a.id};${b.id}${rest}`,
      `/api/v1/sites/${a.id}${rest};/../../${b.id}${rest}`,
      `/api/v1/sites/${a.id}/%2e%2e%2f${b.id}${rest}`,
      `/api/v1/sites/${a.id}\\..\\${b.id}${rest}`,
    ];
    const gets = siteRoutes().filter((r) => r.method === 'GET');
    const tricks = gets.flatMap((r) => tricksFor(fill(r.path, '').replace('/api/v1/sites/', '')));
    expect(tricks.length).toBeGreaterThanOrEqual(14 * 3);
    for (const t of tricks) {
      const res = await rawGet(s.url, `${t}?${RANGE}`, { authorization: `Bearer ${a.api_key}` });
      expect(res.body, t).not.toContain(MARK_B);
      // 403 only where the route is the admin key's (the key list): refused for any site key.
      expect([200, 400, 404, 403], t).toContain(res.status);
      if (res.status === 403) expect(t, 'a 403 outside the admin routes').toMatch(/\/keys$/);
    }
  });
});

describe('API key revocation', () => {
  it('revokes one key at once and for good, leaving the others working', async () => {
    const site = await createSite(s, 'revoke');
    const res = await admin(s, 'POST', `/api/v1/sites/${site.id}/keys`);
    const { api_key: extra } = (await res.json()) as { api_key: string };
    const keyId = extra.split('_')[1] ?? '';
    const overview = (key: string) => api(s, 'GET', `/api/v1/sites/${site.id}/overview?${RANGE}`, key);
    expect((await overview(extra)).status).toBe(200);

    // Only the admin may revoke, and only through the key's own site.
    expect((await api(s, 'DELETE', `/api/v1/sites/${site.id}/keys/${keyId}`, site.api_key)).status).toBe(403);
    expect((await admin(s, 'DELETE', `/api/v1/sites/${a.id}/keys/${keyId}`)).status).toBe(404);
    expect((await overview(extra)).status).toBe(200);

    const del = await admin(s, 'DELETE', `/api/v1/sites/${site.id}/keys/${keyId}`);
    expect(del.status).toBe(200);
    expect(await del.json()).toEqual({ site_id: site.id, key_id: keyId, revoked: true });
    const after = await overview(extra);
    expect(after.status).toBe(401);
    expect(((await after.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
    expect((await overview(site.api_key)).status).toBe(200);
    expect((await admin(s, 'DELETE', `/api/v1/sites/${site.id}/keys/${keyId}`)).status).toBe(404);

    s = await s.restart(); // the revocation is stored, not only remembered
    expect((await overview(extra)).status).toBe(401);
    expect((await overview(site.api_key)).status).toBe(200);
  });
});

describe('security headers', () => {
  it('serves the dashboard with a Content-Security-Policy without unsafe-eval', async () => {
    const res = await fetch(`${s.url}/`);
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-eval');
    expect(csp.match(/script-src[^;]*/)?.[0]).not.toContain('unsafe-inline');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
  });

  it('sends the same headers on API and collect answers, errors included', async () => {
    for (const res of [
      await api(s, 'GET', `/api/v1/sites/${a.id}/overview?${RANGE}`, a.api_key),
      await postCollect(s, { nope: 1 }),
      await fetch(`${s.url}/no/such/path`),
    ]) {
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('content-security-policy')).not.toContain('unsafe-eval');
    }
  });
});

describe('GET /api/v1/sites/:siteId/events', () => {
  it("lists the site's stored events in [from, to), oldest first, at most `limit`", async () => {
    const site = await createSite(s, 'events');
    const t0 = Date.UTC(2026, 0, 1);
    const sentAt = Date.now();
    // ts = received - (sent_at - client ts): send client times relative to sent_at.
    const events = [3, 1, 2].map((h) => pageview({ id: `h${h}`, ts: sentAt - (3 - h) * 3_600_000 }));
    expect((await postCollect(s, batch(site.site_key, events, sentAt))).status).toBe(202);
    const list = async (q: string) => {
      const res = await api(s, 'GET', `/api/v1/sites/${site.id}/events?${q}`, site.api_key);
      expect(res.status).toBe(200);
      return ((await res.json()) as { events: { event_id: string; ts: number }[] }).events;
    };
    expect((await list(RANGE)).map((e) => e.event_id)).toEqual(['h1', 'h2', 'h3']);
    expect((await list(`${RANGE}&limit=2`)).map((e) => e.event_id)).toEqual(['h1', 'h2']);
    const [first] = await list(RANGE);
    const from = new Date((first?.ts ?? 0) + 1).toISOString();
    expect((await list(`from=${from}&to=2029-12-31`)).map((e) => e.event_id)).toEqual(['h2', 'h3']);
    expect(await list(`from=${new Date(t0).toISOString()}&to=2026-01-02`)).toEqual([]);
    const bad = await api(
      s,
      'GET',
      `/api/v1/sites/${site.id}/events?from=yesterday&to=x&limit=5000`,
      site.api_key,
    );
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('invalid_query');
  });
});
