import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin, api } from '../helpers/api.ts';
import { batch, pageview } from '../helpers/events.ts';
import { droppedFor } from '../helpers/metrics.ts';
import { countRows } from '../helpers/rows.ts';
import { createSite, postCollect, startTestServer, type TestServer } from '../helpers/server.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(() => s.destroy());

const RANGE = 'from=2020-01-01&to=2029-12-31'; // report ranges are at most 3660 days
const post = (key: string, url: string, headers: Record<string, string> = {}) =>
  fetch(`${s.url}/collect`, {
    method: 'POST',
    headers: {
      'content-type': 'text/plain',
      'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0.0.0 Safari/537.36',
      ...headers,
    },
    body: JSON.stringify(batch(key, [pageview({ url })])),
  });

describe('allowed hosts', () => {
  it('drops events from other hosts with a counted reason, and PATCH changes the list', async () => {
    const res = await admin(s, 'POST', '/api/v1/sites', { name: 'hosts', allowed_hosts: ['Shop.Example'] });
    const site = (await res.json()) as { id: string; site_key: string; allowed_hosts: string[] };
    expect(site.allowed_hosts).toEqual(['shop.example']);
    const before = await droppedFor(s, 'host_not_allowed');

    const ok = await post(site.site_key, 'https://shop.example/a');
    expect(await ok.json()).toEqual({ accepted: 1, dropped: 0, dropped_by_reason: {}, rejected: [] });
    for (const url of [
      'https://evil.example/a',
      'https://www.shop.example/',
      'https://shop.example.evil.test/',
    ]) {
      const r = await post(site.site_key, url);
      expect(r.status).toBe(202);
      expect(await r.json()).toEqual({
        accepted: 0,
        dropped: 1,
        dropped_by_reason: { host_not_allowed: 1 },
        rejected: [],
      });
    }
    expect(await countRows(s, site.id)).toBe(1);
    expect((await droppedFor(s, 'host_not_allowed')) - before).toBe(3);

    const patched = await admin(s, 'PATCH', `/api/v1/sites/${site.id}`, {
      allowed_hosts: ['shop.example', '*.shop.example'],
    });
    expect(patched.status).toBe(200);
    expect(((await patched.json()) as { allowed_hosts: string[] }).allowed_hosts).toEqual([
      'shop.example',
      '*.shop.example',
    ]);
    expect(await (await post(site.site_key, 'https://www.shop.example/')).json()).toEqual({
      accepted: 1,
      dropped: 0,
      dropped_by_reason: {},
      rejected: [],
    });

    s = await s.restart(); // the list is stored
    expect(await (await post(site.site_key, 'https://evil.example/')).json()).toEqual({
      accepted: 0,
      dropped: 1,
      dropped_by_reason: { host_not_allowed: 1 },
      rejected: [],
    });
    await admin(s, 'PATCH', `/api/v1/sites/${site.id}`, { allowed_hosts: [] });
    expect(await (await post(site.site_key, 'https://evil.example/')).json()).toEqual({
      accepted: 1,
      dropped: 0,
      dropped_by_reason: {},
      rejected: [],
    });
    expect(await countRows(s, site.id)).toBe(3);
  });

  it('validates PATCH bodies and guards them with the admin key', async () => {
    const site = await createSite(s);
    const path = `/api/v1/sites/${site.id}`;
    const code = async (r: Response) => [
      r.status,
      ((await r.json()) as { error?: { code: string } }).error?.code,
    ];
    expect(await code(await admin(s, 'PATCH', path, { allowed_hosts: ['not a host'] }))).toEqual([
      400,
      'invalid_body',
    ]);
    expect(await code(await admin(s, 'PATCH', path, { allowed_hosts: ['https://x.example/'] }))).toEqual([
      400,
      'invalid_body',
    ]);
    expect(await code(await admin(s, 'PATCH', path, { site_key: 'mine' }))).toEqual([400, 'invalid_body']);
    expect(await code(await admin(s, 'PATCH', path, { respect_dnt: 'yes' }))).toEqual([400, 'invalid_body']);
    expect(await code(await admin(s, 'PATCH', path, { scrub_emails: 1 }))).toEqual([400, 'invalid_body']);
    expect(await code(await admin(s, 'PATCH', '/api/v1/sites/nosuchsite00', { respect_dnt: true }))).toEqual([
      404,
      'not_found',
    ]);
    expect(await code(await api(s, 'PATCH', path, site.api_key, { respect_dnt: true }))).toEqual([
      403,
      'forbidden',
    ]);
  });
});

describe('Do Not Track and Global Privacy Control', () => {
  it('are ignored by default and honoured once the site enables respect_dnt', async () => {
    const site = await createSite(s);
    const url = 'https://shop.example/';
    expect(await (await post(site.site_key, url, { dnt: '1' })).json()).toEqual({
      accepted: 1,
      dropped: 0,
      dropped_by_reason: {},
      rejected: [],
    });

    const res = await admin(s, 'PATCH', `/api/v1/sites/${site.id}`, { respect_dnt: true });
    expect(((await res.json()) as { respect_dnt: boolean }).respect_dnt).toBe(true);
    const before = await droppedFor(s, 'dnt');
    const optOuts: Record<string, string>[] = [
      { dnt: '1' },
      { 'sec-gpc': '1' },
      { dnt: '1', 'sec-gpc': '1' },
    ];
    for (const h of optOuts) {
      const r = await post(site.site_key, url, h);
      expect(r.status).toBe(202);
      expect(await r.json()).toEqual({
        accepted: 0,
        dropped: 1,
        dropped_by_reason: { dnt: 1 },
        rejected: [],
      });
    }
    expect(await (await post(site.site_key, url, { dnt: '0' })).json()).toEqual({
      accepted: 1,
      dropped: 0,
      dropped_by_reason: {},
      rejected: [],
    });
    expect(await (await post(site.site_key, url)).json()).toEqual({
      accepted: 1,
      dropped: 0,
      dropped_by_reason: {},
      rejected: [],
    });
    expect((await droppedFor(s, 'dnt')) - before).toBe(3);
    expect(await countRows(s, site.id)).toBe(3);

    s = await s.restart(); // the setting is stored
    expect(await (await post(site.site_key, url, { 'sec-gpc': '1' })).json()).toEqual({
      accepted: 0,
      dropped: 1,
      dropped_by_reason: { dnt: 1 },
      rejected: [],
    });
  });
});

describe('erasure', () => {
  const send = (key: string, visitor: string, n: number) =>
    postCollect(
      s,
      batch(
        key,
        Array.from({ length: n }, () => pageview({ visitor_id: visitor, session_id: visitor })),
      ),
    );

  it("deletes one visitor's events of one site, with the API key or the admin key", async () => {
    const site = await createSite(s);
    const other = await createSite(s);
    await send(site.site_key, 'v-erase', 5);
    await send(site.site_key, 'v-keep', 3);
    await send(other.site_key, 'v-erase', 2);
    expect(await countRows(s, site.id)).toBe(8);

    // Another site's key cannot reach it, and nothing is deleted.
    const cross = await api(s, 'DELETE', `/api/v1/sites/${site.id}/visitors/v-erase`, other.api_key);
    expect(cross.status).toBe(404);
    expect(await countRows(s, site.id)).toBe(8);

    const res = await api(s, 'DELETE', `/api/v1/sites/${site.id}/visitors/v-erase`, site.api_key);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      site_id: site.id,
      visitor_id: 'v-erase',
      events_deleted: 5,
      remaining: 0,
    });
    expect(await countRows(s, site.id)).toBe(3);
    expect(await countRows(s, other.id)).toBe(2);

    const byAdmin = await admin(s, 'DELETE', `/api/v1/sites/${site.id}/visitors/v-keep`);
    expect(((await byAdmin.json()) as { events_deleted: number }).events_deleted).toBe(3);
    expect(await countRows(s, site.id)).toBe(0);
    expect((await admin(s, 'DELETE', '/api/v1/sites/nosuchsite00/visitors/v-keep')).status).toBe(404);
  });

  it("deletes a site's data and keys (admin only)", async () => {
    const site = await createSite(s);
    const other = await createSite(s);
    await send(site.site_key, 'v1', 4);
    await send(other.site_key, 'v1', 2);
    expect((await api(s, 'DELETE', `/api/v1/sites/${site.id}`, site.api_key)).status).toBe(403);
    expect(await countRows(s, site.id)).toBe(4);

    const res = await admin(s, 'DELETE', `/api/v1/sites/${site.id}`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ site_id: site.id, deleted: true, events_deleted: 4, remaining: 0 });
    expect(await countRows(s, site.id)).toBe(0);
    expect(await countRows(s, other.id)).toBe(2);
    expect((await postCollect(s, batch(site.site_key, [pageview()]))).status).toBe(401);
    expect((await api(s, 'GET', `/api/v1/sites/${site.id}/overview?${RANGE}`, site.api_key)).status).toBe(
      401,
    );
    const list = (await (await admin(s, 'GET', '/api/v1/sites')).json()) as { sites: { id: string }[] };
    expect(list.sites.map((x) => x.id)).not.toContain(site.id);
    expect((await admin(s, 'DELETE', `/api/v1/sites/${site.id}`)).status).toBe(404);

    s = await s.restart(); // still gone after a restart
    expect((await postCollect(s, batch(site.site_key, [pageview()]))).status).toBe(401);
    expect(await countRows(s, site.id)).toBe(0);
  });
});
