import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batch, pageview } from '../helpers/events.ts';
import { ADMIN_KEY, createSite, postCollect, startTestServer, type TestServer } from '../helpers/server.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(() => s.destroy());

const admin = { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' };

describe('sites admin API', () => {
  it('has the demo site after first start', async () => {
    const res = await fetch(`${s.url}/api/v1/sites`, { headers: admin });
    expect(res.status).toBe(200);
    const { sites } = (await res.json()) as { sites: { id: string; site_key: string }[] };
    expect(sites).toContainEqual(expect.objectContaining({ id: 'demo', site_key: 'demo' }));
    expect(s.generated.demoApiKey).toMatch(/^fhk_[a-z0-9]{12}_/);
  });

  it('creates a site with a public site key and a secret API key that are never listed again', async () => {
    const created = await createSite(s, 'Shop A');
    expect(created.site_key).toMatch(/^fhs_/);
    expect(created.api_key).toMatch(/^fhk_/);
    const list = await (await fetch(`${s.url}/api/v1/sites`, { headers: admin })).text();
    expect(list).toContain(created.site_key);
    expect(list).not.toContain(created.api_key);
    expect(list).toContain('Shop A');
  });

  it('refuses without the admin key and validates the body', async () => {
    expect((await fetch(`${s.url}/api/v1/sites`)).status).toBe(401);
    const site = await createSite(s);
    const withApiKey = await fetch(`${s.url}/api/v1/sites`, {
      headers: { authorization: `Bearer ${site.api_key}` },
    });
    expect(withApiKey.status).toBe(403);
    const bad = await fetch(`${s.url}/api/v1/sites`, { method: 'POST', headers: admin, body: '{"name":""}' });
    expect(bad.status).toBe(400);
    const body = (await bad.json()) as { error: { code: string; issues: { path: string }[] } };
    expect(body.error.code).toBe('invalid_body');
    expect(body.error.issues[0]?.path).toBe('name');
  });

  it('makes another API key for a site, which reads that site only', async () => {
    const a = await createSite(s, 'A');
    const b = await createSite(s, 'B');
    const res = await fetch(`${s.url}/api/v1/sites/${a.id}/keys`, { method: 'POST', headers: admin });
    expect(res.status).toBe(201);
    const { api_key } = (await res.json()) as { api_key: string };
    const day = new Date().toISOString().slice(0, 10);
    const get = (site: string) =>
      fetch(`${s.url}/api/v1/sites/${site}/overview?from=${day}&to=${day}`, {
        headers: { authorization: `Bearer ${api_key}` },
      });
    expect((await get(a.id)).status).toBe(200);
    const other = await get(b.id);
    const missing = await get('does-not-exist');
    expect(other.status).toBe(404);
    expect(missing.status).toBe(404);
    const strip = async (r: Response) => {
      const j = (await r.json()) as { error: { requestId?: string } };
      delete j.error.requestId;
      return j;
    };
    expect(await strip(other)).toEqual(await strip(missing));
  });
});

describe('health and metrics', () => {
  it('reports alive, ready, and Prometheus metrics for accepted, rejected and flushed events', async () => {
    expect(await (await fetch(`${s.url}/healthz`)).json()).toEqual({ ok: true });
    const ready = await fetch(`${s.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ready: true });

    const site = await createSite(s);
    await postCollect(s, batch(site.site_key, [pageview(), pageview()]));
    await postCollect(s, null, { raw: 'nope' });
    const res = await fetch(`${s.url}/metrics`);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(text).toMatch(/^funnelhouse_events_accepted_total [2-9]\d*$/m);
    expect(text).toMatch(/^funnelhouse_requests_rejected_total\{code="invalid_json"\} 1$/m);
    expect(text).toMatch(/^funnelhouse_flushed_rows_total [2-9]\d*$/m);
    expect(text).toMatch(/^funnelhouse_flush_duration_seconds_count [1-9]\d*$/m);
    expect(text).toMatch(/^funnelhouse_process_resident_memory_bytes \d+/m);
  });

  it('answers unknown paths with the error shape and sets security headers', async () => {
    const res = await fetch(`${s.url}/nope`);
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('not_found');
    const page = await fetch(`${s.url}/`);
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-eval');
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
  });
});
