import type { FunnelDefinition, SavedFunnel } from '@funnelhouse/schemas';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batch, pageview } from '../helpers/events.ts';
import { ADMIN_KEY, postCollect, startTestServer, type TestServer } from '../helpers/server.ts';

type Json = Record<string, unknown>;
let s: TestServer;
let doc: Json;
let ajv: Ajv2020;
const checked = new Set<string>();

beforeAll(async () => {
  s = await startTestServer();
  doc = (await (await fetch(`${s.url}/api/v1/openapi.json`)).json()) as Json;
  // Refs in the document point at `#/components/…`; register the document under an id so that they
  // resolve from any sub-schema compiled on its own.
  const withId = JSON.parse(
    JSON.stringify(doc).replaceAll('"#/components/', '"openapi#/components/'),
  ) as Json;
  ajv = new Ajv2020({ strict: false, allErrors: true });
  ajv.addSchema({ ...withId, $id: 'openapi' });
  doc = withId;
});
afterAll(() => s.destroy());

/** Calls the server and validates the answer against the documented schema of its status. */
async function call(
  method: string,
  template: string,
  path: string,
  init: { key?: string; json?: unknown } = {},
) {
  const headers: Record<string, string> = {};
  if (init.key) headers.authorization = `Bearer ${init.key}`;
  if (init.json !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${s.url}${path}`, {
    method,
    headers,
    ...(init.json !== undefined ? { body: JSON.stringify(init.json) } : {}),
  });
  const op = ((doc.paths as Json)[template] as Json | undefined)?.[method.toLowerCase()] as Json | undefined;
  expect(op, `${method} ${template} is documented`).toBeDefined();
  const response = (op?.responses as Json | undefined)?.[String(res.status)] as Json | undefined;
  expect(response, `${method} ${template} documents status ${res.status}`).toBeDefined();
  const media = (response?.content as Json | undefined)?.['application/json'] as Json | undefined;
  const text = await res.text();
  if (media) {
    const validate = ajv.compile(media.schema as Json);
    const body = JSON.parse(text) as unknown;
    expect(validate(body) ? [] : validate.errors, `${method} ${template} ${res.status}`).toEqual([]);
  }
  checked.add(`${method} ${template}`);
  return {
    status: res.status,
    body: text ? (JSON.parse(text.startsWith('{') ? text : 'null') as Json) : null,
  };
}

const definition: FunnelDefinition = {
  steps: [{ match: [{ type: 'pageview' }] }, { match: [{ type: 'purchase' }], max_gap_seconds: 600 }],
};

describe('the OpenAPI document', () => {
  it('is OpenAPI 3.1 and every live response validates against it', async () => {
    expect(doc.openapi).toBe('3.1.0');
    await call('GET', '/healthz', '/healthz');
    await call('GET', '/readyz', '/readyz');
    const admin = { key: ADMIN_KEY };
    const created = await call('POST', '/api/v1/sites', '/api/v1/sites', {
      ...admin,
      json: { name: 'Docs' },
    });
    const site = created.body as { id: string; api_key: string; site_key: string };
    await call('POST', '/api/v1/sites', '/api/v1/sites', { ...admin, json: { name: '' } });
    await call('POST', '/api/v1/sites', '/api/v1/sites', { key: 'wrong', json: { name: 'x' } });
    await call('GET', '/api/v1/sites', '/api/v1/sites', admin);
    await call('POST', '/api/v1/sites/{siteId}/keys', `/api/v1/sites/${site.id}/keys`, admin);
    await call('POST', '/api/v1/sites/{siteId}/keys', '/api/v1/sites/nope/keys', admin);

    expect(
      (await postCollect(s, batch(site.site_key, [pageview(), pageview({ type: 'nope' } as never)]))).status,
    ).toBe(400);
    const res = await postCollect(s, batch(site.site_key, [pageview()]), { contentType: 'application/json' });
    expect(res.status).toBe(202);
    await call('POST', '/collect', '/collect', { json: batch(site.site_key, [pageview()]) });
    await call('POST', '/collect', '/collect', { json: batch('unknown', [pageview()]) });

    const key = { key: site.api_key };
    const day = new Date().toISOString().slice(0, 10);
    const sp = `/api/v1/sites/${site.id}`;
    await call('GET', '/api/v1/sites/{siteId}/overview', `${sp}/overview?from=${day}&to=${day}`, key);
    await call('GET', '/api/v1/sites/{siteId}/overview', `${sp}/overview?from=x&to=${day}`, key);
    await call('GET', '/api/v1/sites/{siteId}/overview', `${sp}/overview?from=${day}&to=${day}`);
    await call('GET', '/api/v1/sites/{siteId}/realtime', `${sp}/realtime?minutes=5`, key);
    await call('GET', '/api/v1/sites/{siteId}/schema', `${sp}/schema`, key);

    const q = '/api/v1/sites/{siteId}/funnels/query';
    const body = {
      definition,
      from: day,
      to: day,
      breakdown: { dimension: { column: 'device' } },
      trend: 'day',
      compare: true,
    };
    const r = await call('POST', q, `${sp}/funnels/query?explain=1`, { ...key, json: body });
    expect(r.status).toBe(200);
    await call('POST', q, `${sp}/funnels/query`, {
      ...key,
      json: { definition: { steps: [] }, from: day, to: day },
    });
    await call('POST', q, '/api/v1/sites/other/funnels/query', { ...key, json: body });

    const f = '/api/v1/sites/{siteId}/funnels';
    const saved = (await call('POST', f, `${sp}/funnels`, { ...key, json: { name: 'Buy', definition } }))
      .body as unknown as SavedFunnel;
    await call('GET', f, `${sp}/funnels`, key);
    await call('GET', `${f}/{funnelId}`, `${sp}/funnels/${saved.id}`, key);
    await call('PUT', `${f}/{funnelId}`, `${sp}/funnels/${saved.id}`, {
      ...key,
      json: { name: 'Buy 2', definition },
    });
    await call(
      'GET',
      `${f}/{funnelId}/results`,
      `${sp}/funnels/${saved.id}/results?from=${day}&to=${day}&breakdown=column:device&compare=1&trend=week`,
      key,
    );
    await call('GET', `${f}/{funnelId}/results`, `${sp}/funnels/${saved.id}/results?from=${day}`, key);
    await call('DELETE', `${f}/{funnelId}`, `${sp}/funnels/${saved.id}`, key);
    await call('GET', `${f}/{funnelId}`, `${sp}/funnels/${saved.id}`, key);

    // Every documented operation with a JSON answer was exercised.
    const documented = Object.entries(doc.paths as Json).flatMap(([p, item]) =>
      Object.keys(item as Json).map((m) => `${m.toUpperCase()} ${p}`),
    );
    const notJson = ['GET /metrics', 'GET /f.js', 'GET /api/v1/openapi.json', 'GET /api/docs'];
    expect(documented.filter((d) => !checked.has(d) && !notJson.includes(d))).toEqual([]);
  });

  it('is served with readable docs that load under the CSP (no inline or third-party script)', async () => {
    const page = await fetch(`${s.url}/api/docs`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await page.text();
    expect(html).toContain('<script src="/api/docs/docs.js"></script>');
    expect(html).not.toMatch(/<script>(?!<\/script>)/);
    const js = await fetch(`${s.url}/api/docs/docs.js`);
    expect(js.headers.get('content-type')).toContain('javascript');
    expect(await js.text()).toContain('/api/v1/openapi.json');
  });
});
