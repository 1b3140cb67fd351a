import {
  type CollectEvent,
  ERROR_STATUS,
  EXPORT_COLUMNS,
  type FunnelDefinition,
  type SavedFunnel,
} from '@funnelhouse/schemas';
import { createApp } from '@funnelhouse/server';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batch, pageview } from '../helpers/events.ts';
import {
  ADMIN_KEY,
  BROWSER_UA,
  createSite,
  postCollect,
  startTestServer,
  type TestServer,
} from '../helpers/server.ts';

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

/**
 * Calls the server and validates the answer against the documented schema of its status and media
 * type: a JSON body as a whole, an NDJSON body line by line (the documented schema is that of a line).
 */
async function call(
  method: string,
  template: string,
  path: string,
  init: { key?: string; json?: unknown; contentType?: string } = {},
) {
  const headers: Record<string, string> = {};
  if (init.key) headers.authorization = `Bearer ${init.key}`;
  if (init.json !== undefined) headers['content-type'] = init.contentType ?? 'application/json';
  const res = await fetch(`${s.url}${path}`, {
    method,
    headers,
    ...(init.json !== undefined ? { body: JSON.stringify(init.json) } : {}),
  });
  const op = ((doc.paths as Json)[template] as Json | undefined)?.[method.toLowerCase()] as Json | undefined;
  expect(op, `${method} ${template} is documented`).toBeDefined();
  const response = (op?.responses as Json | undefined)?.[String(res.status)] as Json | undefined;
  expect(response, `${method} ${template} documents status ${res.status}`).toBeDefined();
  const text = await res.text();
  const type = res.headers.get('content-type')?.split(';')[0]?.trim() ?? '';
  const content = response?.content as Record<string, Json> | undefined;
  if (content || text) expect(Object.keys(content ?? {}), `${method} ${template} media`).toContain(type);
  const media = content?.[type];
  const values =
    type === 'application/json'
      ? [JSON.parse(text) as unknown]
      : type === 'application/x-ndjson'
        ? text.split('\n').flatMap((line) => (line ? [JSON.parse(line) as unknown] : []))
        : [];
  if (media && values.length > 0) {
    const validate = ajv.compile(media.schema as Json);
    for (const v of values) {
      expect(validate(v) ? [] : validate.errors, `${method} ${template} ${res.status}`).toEqual([]);
    }
  }
  checked.add(`${method} ${template}`);
  return {
    status: res.status,
    type,
    text,
    values,
    body: type === 'application/json' ? (values[0] as Json) : null,
  };
}

/** `METHOD /path/{param}` of every operation in the document. */
function documentedOperations(): string[] {
  return Object.entries(doc.paths as Json).flatMap(([p, item]) =>
    Object.keys(item as Json).map((m) => `${m.toUpperCase()} ${p}`),
  );
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
    const asAdmin = await call('GET', '/api/v1/key', '/api/v1/key', admin);
    expect(asAdmin.body).toEqual({ role: 'admin' });
    const asSite = await call('GET', '/api/v1/key', '/api/v1/key', { key: site.api_key });
    expect((asSite.body as { site: { id: string } }).site.id).toBe(site.id);
    expect((await call('GET', '/api/v1/key', '/api/v1/key', { key: site.site_key })).status).toBe(401);
    expect((await call('GET', '/api/v1/key', '/api/v1/key')).status).toBe(401);
    await call('POST', '/api/v1/sites/{siteId}/keys', `/api/v1/sites/${site.id}/keys`, admin);
    await call('POST', '/api/v1/sites/{siteId}/keys', '/api/v1/sites/nope/keys', admin);

    expect((await postCollect(s, batch(site.site_key, []))).status).toBe(400);
    // One bad event: a 202 that lists it in `rejected`, validated against the document.
    const partly = await call('POST', '/collect', '/collect', {
      json: batch(site.site_key, [pageview(), pageview({ type: 'nope' } as never)]),
    });
    // (Sent without a browser user agent: the good event is dropped as a bot.)
    expect(partly.body).toEqual({
      accepted: 0,
      dropped: 2,
      dropped_by_reason: { bot: 1 },
      rejected: [expect.objectContaining({ index: 1, code: 'invalid_event' })],
    });
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
    const corr = '/api/v1/sites/{siteId}/funnels/correlation';
    const asked = { definition, from: day, to: day, properties: ['channel', 'props.plan'], min_support: 1 };
    expect(
      (await call('POST', corr, `${sp}/funnels/correlation?explain=1`, { ...key, json: asked })).status,
    ).toBe(200);
    const refused = { ...asked, properties: ['plan'] };
    expect((await call('POST', corr, `${sp}/funnels/correlation`, { ...key, json: refused })).status).toBe(
      400,
    );

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
  });

  it('documents the site admin, raw data, erasure, orders and server events operations as they answer', async () => {
    await exerciseDataOperations();
  });

  it('documents the experiment operations as they answer', async () => {
    await exerciseExperimentOperations();
  });

  it('documents the cart operations as they answer', async () => {
    const site = await createSite(s, 'Carts');
    const key = { key: site.api_key };
    const c = '/api/v1/sites/{siteId}/carts';
    const sp = `/api/v1/sites/${site.id}/carts`;
    const day = new Date().toISOString().slice(0, 10);
    const range = `from=${day}&to=${day}`;
    await postCollect(
      s,
      batch(site.site_key, [
        pageview({
          type: 'add_to_cart',
          cart_id: 'k1',
          items: [{ id: 'p1', price: 3, quantity: 2 }],
          currency: 'EUR',
        } as Partial<CollectEvent>),
      ]),
    );
    const r = await call('GET', `${c}/abandonment`, `${sp}/abandonment?${range}&breakdown=device`, key);
    expect(r.body?.totals).toMatchObject({ carts: 1, open: 1 });
    const later = new Date(Date.now() + 2 * 3_600_000).toISOString();
    const list = await call('GET', `${c}/abandoned`, `${sp}/abandoned?${range}&as_of=${later}`, key);
    expect(list.body?.carts).toMatchObject([{ cart_id: 'k1', value: 6, status: 'abandoned' }]);
    expect((await call('GET', `${c}/abandoned`, `${sp}/abandoned?${range}&format=csv`, key)).type).toBe(
      'text/csv',
    );
    expect(
      (await call('GET', `${c}/abandonment`, `${sp}/abandonment?${range}&breakdown=variant`, key)).status,
    ).toBe(400);
    const rev = await call(
      'GET',
      '/api/v1/sites/{siteId}/revenue',
      `/api/v1/sites/${site.id}/revenue?${range}&breakdown=channel`,
      key,
    );
    expect(rev.body?.totals).toMatchObject({ visitors: 1, orders: 0 });
    const ratesT = '/api/v1/sites/{siteId}/settings/currency-rates';
    const ratesP = `/api/v1/sites/${site.id}/settings/currency-rates`;
    await call('GET', ratesT, ratesP, key);
    await call('PUT', ratesT, ratesP, { ...key, json: { reporting_currency: 'EUR', rates: { USD: 0.9 } } });
    expect((await call('PUT', ratesT, ratesP, { ...key, json: { reporting_currency: 'EUR' } })).status).toBe(
      400,
    );
    const converted = await call(
      'GET',
      '/api/v1/sites/{siteId}/revenue',
      `/api/v1/sites/${site.id}/revenue?${range}`,
      key,
    );
    expect(converted.body?.totals).toMatchObject({ reporting: { currency: 'EUR' } });
    const attr = await call(
      'GET',
      '/api/v1/sites/{siteId}/attribution',
      `/api/v1/sites/${site.id}/attribution?${range}&dimension=utm_source`,
      key,
    );
    expect(attr.body?.models).toHaveLength(6);
    const products = await call(
      'GET',
      '/api/v1/sites/{siteId}/products',
      `/api/v1/sites/${site.id}/products?${range}&breakdown=device&explain=1`,
      key,
    );
    expect(products.body?.rows).toMatchObject([
      // An open cart: nothing bought or abandoned yet, so no amount in any currency.
      {
        item_id: 'p1',
        value: 'desktop',
        carts: 1,
        by_currency: [],
        reporting: { currency: 'EUR', revenue: 0 },
      },
    ]);
    const productsCsv = await call(
      'GET',
      '/api/v1/sites/{siteId}/products',
      `/api/v1/sites/${site.id}/products?${range}&format=csv`,
      key,
    );
    expect(productsCsv.type).toBe('text/csv');
    // Every other answer with money carries its converted figures, as documented.
    const cr = await call('GET', `${c}/abandonment`, `${sp}/abandonment?${range}&breakdown=device`, key);
    expect(cr.body?.totals).toMatchObject({ reporting: { currency: 'EUR', missing_rates: [] } });
    const cl = await call('GET', `${c}/abandoned`, `${sp}/abandoned?${range}&as_of=${later}`, key);
    expect(cl.body?.carts).toMatchObject([{ reporting: { currency: 'EUR', value: 6, order_revenue: null } }]);
    await call('DELETE', ratesT, ratesP, key);
    const fc = await call(
      'GET',
      '/api/v1/sites/{siteId}/forecast',
      `/api/v1/sites/${site.id}/forecast?days=3&target_orders=5`,
      key,
    );
    expect(fc.body?.horizon).toMatchObject({ days: 3 });
    const hookT = '/api/v1/sites/{siteId}/webhooks/recovery';
    const hookP = `/api/v1/sites/${site.id}/webhooks/recovery`;
    expect((await call('GET', hookT, hookP, key)).status).toBe(404);
    expect((await call('PUT', hookT, hookP, { ...key, json: { url: 'https://crm.example/x' } })).status).toBe(
      201,
    );
    expect((await call('PUT', hookT, hookP, { ...key, json: { url: 'https://crm.example/y' } })).status).toBe(
      200,
    );
    expect((await call('PUT', hookT, hookP, { ...key, json: { url: 'nope' } })).status).toBe(400);
    const refused = await call('PUT', hookT, hookP, { ...key, json: { url: 'http://169.254.169.254/x' } });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ error: { code: 'refused_address' } });
    await call('GET', hookT, hookP, key);
    await call('GET', `${hookT}/deliveries`, `${hookP}/deliveries`, key);
    await call('DELETE', hookT, hookP, key);
    // The documented examples are valid answers too.
    for (const path of [
      `${c}/abandonment`,
      `${c}/abandoned`,
      '/api/v1/sites/{siteId}/revenue',
      '/api/v1/sites/{siteId}/attribution',
      '/api/v1/sites/{siteId}/products',
      '/api/v1/sites/{siteId}/forecast',
      '/api/v1/sites/{siteId}/webhooks/recovery/deliveries',
    ]) {
      const op = ((doc.paths as Json)[path] as Json).get as { responses: Record<string, Json> };
      const media = op.responses['200']?.content as Record<string, { schema: Json; example: unknown }>;
      const validate = ajv.compile(media['application/json']?.schema as Json);
      expect(validate(media['application/json']?.example) ? [] : validate.errors, path).toEqual([]);
    }
  });

  it('documents the paths operation as it answers', async () => {
    const site = await createSite(s, 'Paths');
    const key = { key: site.api_key };
    const t = '/api/v1/sites/{siteId}/paths';
    const p = `/api/v1/sites/${site.id}/paths`;
    const day = new Date().toISOString().slice(0, 10);
    await postCollect(s, batch(site.site_key, [pageview()]));
    const body = { start: { page: '/' }, direction: 'after', node: 'path', from: day, to: day };
    const r = await call('POST', t, `${p}?explain=1`, { ...key, json: body });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ depth: 3, width: 5, nodes: [{ id: 'n0', kind: 'start' }] });
    expect((await call('POST', t, p, { ...key, json: { ...body, depth: 6 } })).status).toBe(400);
    expect((await call('POST', t, '/api/v1/sites/other/paths', { ...key, json: body })).status).toBe(404);
    const op = ((doc.paths as Json)[t] as Json).post as { requestBody: { content: Record<string, Json> } };
    const media = op.requestBody.content['application/json'] as Json;
    const validate = ajv.compile(media.schema as Json);
    expect(validate(media.example) ? [] : validate.errors).toEqual([]);
  });

  it('had every documented operation with a JSON or NDJSON answer exercised by the tests above', () => {
    const notJson = ['GET /metrics', 'GET /f.js', 'GET /api/v1/openapi.json', 'GET /api/docs'];
    expect(documentedOperations().filter((d) => !checked.has(d) && !notJson.includes(d))).toEqual([]);
  });

  it('documents every API route the app registers, and registers every documented one', () => {
    // With the demo on, so that its routes are registered too (and shown to be left out on purpose).
    const app = createApp({ ...s.deps, config: { ...s.deps.config, demo: true } });
    const isAsset = (p: string) =>
      p === '/' ||
      p === '/f.js' ||
      p === '/favicon.ico' ||
      p === '/demo' ||
      p.startsWith('/demo/') ||
      p.startsWith('/assets/') ||
      p.startsWith('/api/docs');
    const registered = new Set<string>();
    for (const r of app.routes) {
      if (r.method === 'ALL' || isAsset(r.path)) continue;
      // Hono writes `:name` or `:name{regex}`; OpenAPI writes `{name}`.
      registered.add(`${r.method} ${r.path.replace(/:(\w+)(\{[^}]*\})?/g, '{$1}')}`);
    }
    expect(registered).toContain('GET /api/v1/sites/{siteId}/funnels/{funnelId}/results');
    expect(registered.size).toBeGreaterThanOrEqual(25);
    const documented = documentedOperations().filter((d) => !isAsset(d.split(' ')[1] ?? ''));
    expect(
      [...registered].filter((r) => !documented.includes(r)),
      'registered, not documented',
    ).toEqual([]);
    expect(
      documented.filter((d) => !registered.has(d)),
      'documented, not registered',
    ).toEqual([]);
  });

  it('gives every operation a unique, verb-first camelCase operationId', () => {
    const ids = Object.entries(doc.paths as Json).flatMap(([p, item]) =>
      Object.entries(item as Record<string, Json>).map(([m, op]) => ({
        op: `${m} ${p}`,
        id: op.operationId,
      })),
    );
    expect(ids.length).toBeGreaterThanOrEqual(40);
    expect(ids.filter((o) => typeof o.id !== 'string').map((o) => o.op)).toEqual([]);
    const verbs =
      /^(get|list|create|update|delete|revoke|send|export|erase|collect|query|save|replace|plan|set)[A-Z][A-Za-z]*$/;
    expect(ids.filter((o) => !verbs.test(String(o.id))).map((o) => `${o.op}: ${o.id}`)).toEqual([]);
    const seen = new Map<unknown, string>();
    const duplicates = ids.filter((o) => seen.has(o.id) || !seen.set(o.id, o.op));
    expect(duplicates.map((o) => `${o.id}: ${seen.get(o.id)} and ${o.op}`)).toEqual([]);
  });

  it("shows, in each documented error's example, a code that its status really has", async () => {
    const validate = ajv.compile({ $ref: 'openapi#/components/schemas/Error' });
    const shown = new Map<string, string>();
    for (const [p, item] of Object.entries(doc.paths as Json)) {
      for (const [m, op] of Object.entries(item as Record<string, Json>)) {
        for (const [status, r] of Object.entries(op.responses as Record<string, Json>)) {
          const media = (r.content as Record<string, Json> | undefined)?.['application/json'];
          const isError = String((media?.schema as Json | undefined)?.$ref).endsWith('/schemas/Error');
          if (Number(status) < 400 || !isError) continue;
          const example = media?.example as { error: { code: keyof typeof ERROR_STATUS } } | undefined;
          const where = `${m} ${p} ${status}`;
          expect(example, where).toBeDefined();
          expect(validate(example) ? [] : validate.errors, where).toEqual([]);
          expect(
            ERROR_STATUS[example?.error.code ?? 'internal_error'],
            `${where} ${example?.error.code}`,
          ).toBe(Number(status));
          shown.set(where, String(example?.error.code));
        }
      }
    }
    const overview = 'get /api/v1/sites/{siteId}/overview';
    expect(shown.get(`${overview} 401`)).toBe('unauthorized');
    expect(shown.get(`${overview} 403`)).toBe('wrong_key_kind');
    expect(shown.get(`${overview} 404`)).toBe('not_found');
    expect(shown.get(`${overview} 400`)).toBe('invalid_query');
    expect(shown.get('post /api/v1/sites/{siteId}/funnels/query 400')).toBe('invalid_body');
    expect(shown.get('get /api/v1/sites 403')).toBe('forbidden');
    expect(shown.get('post /collect 401')).toBe('unknown_site_key');
    expect(shown.get('post /api/v1/sites/{siteId}/events 429')).toBe('rate_limited');
    // The 403 now documented on report routes is the one the server gives the admin key there.
    const site = await createSite(s, 'Kinds');
    const sp = `/api/v1/sites/${site.id}/overview`;
    const wrong = await call('GET', '/api/v1/sites/{siteId}/overview', sp, { key: ADMIN_KEY });
    expect(wrong.body).toMatchObject({ error: { code: 'wrong_key_kind' } });
  });

  it('is served with an interactive reference that loads under the CSP (no inline or third-party script)', async () => {
    const page = await fetch(`${s.url}/api/docs`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await page.text();
    expect(html).toContain('<script src="/api/docs/swagger-ui-bundle.js"></script>');
    expect(html).toContain('<script src="/api/docs/init.js"></script>');
    expect(html).not.toMatch(/<script>(?!<\/script>)/);
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    const js = await fetch(`${s.url}/api/docs/init.js`);
    expect(js.headers.get('content-type')).toContain('javascript');
    expect(await js.text()).toContain('/api/v1/openapi.json');
    expect((await fetch(`${s.url}/api/docs/swagger-ui.css`)).status).toBe(200);
    expect((await fetch(`${s.url}/api/docs/nope.js`)).status).toBe(404);
  });
});

const DAY_MS = 86_400_000;

/**
 * Each operation added after the funnels: success and the documented errors, on a site with a
 * browser click and a server purchase (so that arrays, maps and money columns are not all empty).
 */
async function exerciseDataOperations(): Promise<void> {
  const site = await createSite(s, 'Data');
  const key = { key: site.api_key };
  const sp = `/api/v1/sites/${site.id}`;
  const now = Date.now();
  const from = new Date(now - DAY_MS).toISOString().slice(0, 10);
  const to = new Date(now).toISOString().slice(0, 10);
  const range = `from=${from}&to=${to}`;
  const click = pageview({
    type: 'click',
    visitor_id: 'v-doc',
    el: { tag: 'A', id: 'buy', classes: 'btn', text: 'Buy', href: 'https://shop.example/cart' },
    props: { plan: 'pro' },
    exp: { hero: 'b' },
  } as never);
  expect((await postCollect(s, batch(site.site_key, [click]))).status).toBe(202);

  const ev = '/api/v1/sites/{siteId}/events';
  const purchase = {
    id: 'doc-order-1',
    type: 'purchase',
    ts: now - 5000,
    url: 'https://shop.example/thanks',
    visitor_id: 'v-doc',
    order_id: 'ord-1',
    revenue: 31.5,
    currency: 'EUR',
    items: [{ id: 'sku-1', name: 'Mug', price: 31.5, quantity: 1 }],
    user_agent: BROWSER_UA,
    country: 'DE',
  };
  const bad = { id: 'bad', type: 'pageview', ts: now, url: 'not a url' };
  const sent = await call('POST', ev, `${sp}/events`, {
    ...key,
    json: { events: [purchase, purchase, bad] },
  });
  expect(sent.body).toMatchObject({ accepted: 2, duplicates: 1, rejected: 1 });
  expect((await call('POST', ev, `${sp}/events`, { ...key, json: { events: [] } })).status).toBe(400);
  const plain = { ...key, json: { events: [purchase] }, contentType: 'text/plain' };
  expect((await call('POST', ev, `${sp}/events`, plain)).status).toBe(415);
  expect((await call('POST', ev, `${sp}/events`, { json: { events: [purchase] } })).status).toBe(401);

  const listed = await call('GET', ev, `${sp}/events?${range}`, key);
  expect(listed.body?.events).toHaveLength(2);
  expect((await call('GET', ev, `${sp}/events?${range}&limit=0`, key)).status).toBe(400);

  const ex = '/api/v1/sites/{siteId}/events/export';
  const nd = await call('GET', ex, `${sp}/events/export?${range}`, key);
  expect(nd.type).toBe('application/x-ndjson');
  expect(nd.values).toHaveLength(2);
  for (const line of nd.values) expect(Object.keys(line as Json)).toEqual([...EXPORT_COLUMNS]);
  const csv = await call('GET', ex, `${sp}/events/export?${range}&format=csv`, key);
  expect(csv.type).toBe('text/csv');
  expect(csv.text.split('\n')[0]).toBe(EXPORT_COLUMNS.join(','));
  expect((await call('GET', ex, `${sp}/events/export?from=${to}&to=${from}`, key)).status).toBe(400);

  const os = '/api/v1/sites/{siteId}/orders/summary';
  const orders = await call('GET', os, `${sp}/orders/summary?${range}`, key);
  expect(orders.body?.totals).toMatchObject({ orders: 1, server_only: 1 });
  expect(orders.body?.reporting).toBeNull();
  const rates = `${sp}/settings/currency-rates`;
  await call('PUT', '/api/v1/sites/{siteId}/settings/currency-rates', rates, {
    ...key,
    json: { reporting_currency: 'JPY', rates: {} },
  });
  const converted = await call('GET', os, `${sp}/orders/summary?${range}`, key);
  expect(converted.body?.reporting).toMatchObject({ currency: 'JPY', orders: 0, revenue: 0 });
  await call('DELETE', '/api/v1/sites/{siteId}/settings/currency-rates', rates, key);
  expect((await call('GET', os, `${sp}/orders/summary?${range}&tz=Nowhere/None`, key)).status).toBe(400);

  await exerciseAdminOperations(site, sp);
}

/** Erasure, site changes, key revocation and site deletion on the site made above. */
async function exerciseAdminOperations(site: { id: string; api_key: string }, sp: string): Promise<void> {
  const admin = { key: ADMIN_KEY };
  const key = { key: site.api_key };
  const vis = '/api/v1/sites/{siteId}/visitors/{visitorId}';
  const erased = await call('DELETE', vis, `${sp}/visitors/v-doc`, key);
  expect(erased.body).toMatchObject({ events_deleted: 2, remaining: 0 });
  expect((await call('DELETE', vis, '/api/v1/sites/nosuchsite00/visitors/v-doc', admin)).status).toBe(404);
  expect((await call('DELETE', vis, `${sp}/visitors/v-doc`)).status).toBe(401);

  const one = '/api/v1/sites/{siteId}';
  const changed = await call('PATCH', one, sp, { ...admin, json: { respect_dnt: true } });
  expect(changed.body?.respect_dnt).toBe(true);
  expect((await call('PATCH', one, sp, { ...admin, json: { nope: 1 } })).status).toBe(400);
  expect((await call('PATCH', one, sp, { ...key, json: { name: 'x' } })).status).toBe(403);
  expect((await call('PATCH', one, '/api/v1/sites/nosuchsite00', { ...admin, json: {} })).status).toBe(404);

  const made = await call('POST', '/api/v1/sites/{siteId}/keys', `${sp}/keys`, admin);
  const keyId = String(made.body?.api_key).split('_')[1];
  const listed = await call('GET', '/api/v1/sites/{siteId}/keys', `${sp}/keys`, admin);
  expect(listed.body?.keys).toContainEqual(expect.objectContaining({ id: keyId, last_used_at: null }));
  const revoke = '/api/v1/sites/{siteId}/keys/{keyId}';
  expect((await call('DELETE', revoke, `${sp}/keys/${keyId}`, admin)).body).toMatchObject({ revoked: true });
  expect((await call('DELETE', revoke, `${sp}/keys/${keyId}`, admin)).status).toBe(404);

  expect((await postCollect(s, batch(String(changed.body?.site_key), [pageview()]))).status).toBe(202);
  const gone = await call('DELETE', one, sp, admin);
  expect(gone.body).toMatchObject({ deleted: true, events_deleted: 1, remaining: 0 });
  expect((await call('DELETE', one, sp, admin)).status).toBe(404);
  expect((await call('DELETE', one, sp)).status).toBe(401);
}

/** Experiment definitions and results on a site with exposures to both variants and an order. */
async function exerciseExperimentOperations(): Promise<void> {
  const site = await createSite(s, 'Experiments');
  const key = { key: site.api_key };
  const sp = `/api/v1/sites/${site.id}`;
  const now = Date.now();
  const exposure = (visitor_id: string, variant: string) =>
    pageview({ type: 'exposure', name: 'hero', variant, visitor_id, ts: now - 60_000 } as never);
  const events = [
    exposure('v-a1', 'a'),
    exposure('v-a2', 'a'),
    exposure('v-b1', 'b'),
    exposure('v-b2', 'b'),
    pageview({
      type: 'purchase',
      visitor_id: 'v-b1',
      order_id: 'x-1',
      revenue: 12.5,
      currency: 'EUR',
      ts: now - 30_000,
    } as never),
  ];
  expect((await postCollect(s, batch(site.site_key, events))).status).toBe(202);
  const e = '/api/v1/sites/{siteId}/experiments';
  const definition = {
    key: 'hero',
    name: 'Hero',
    variants: [
      { key: 'a', weight: 1 },
      { key: 'b', weight: 1 },
    ],
    control: 'a',
    status: 'running',
    primary_metric: { kind: 'conversion', event: { type: 'purchase' }, window_seconds: 3600 },
    secondary_metrics: [{ kind: 'revenue_per_visitor' }, { kind: 'average_order_value', cap: 100 }],
  };
  expect((await call('POST', e, `${sp}/experiments`, { ...key, json: definition })).status).toBe(201);
  expect((await call('POST', e, `${sp}/experiments`, { ...key, json: definition })).status).toBe(409);
  await call('POST', e, `${sp}/experiments`, { ...key, json: { ...definition, control: 'z' } });
  await call('GET', e, `${sp}/experiments`, key);
  await call('GET', `${e}/{key}`, `${sp}/experiments/hero`, key);
  await call('GET', `${e}/{key}`, `${sp}/experiments/nope`, key);
  const { key: _k, ...fields } = definition;
  await call('PUT', `${e}/{key}`, `${sp}/experiments/hero`, { ...key, json: { ...fields, name: 'Hero 2' } });
  const day = new Date(now).toISOString().slice(0, 10);
  const r = await call(
    'GET',
    `${e}/{key}/results`,
    `${sp}/experiments/hero/results?from=${day}&to=${day}&explain=1`,
    key,
  );
  expect((r.body as { variants: { units: number }[] }).variants.map((v) => v.units)).toEqual([2, 2]);
  await call('GET', `${e}/{key}/results`, `${sp}/experiments/hero/results?from=${day}`, key);
  const opts = 'cuped=1&sequential=1&over_time=1&breakdown=column:device';
  await call(
    'GET',
    `${e}/{key}/results`,
    `${sp}/experiments/hero/results?from=${day}&to=${day}&${opts}`,
    key,
  );
  await call('DELETE', `${e}/{key}`, `${sp}/experiments/hero`, key);
  const plan = '/api/v1/sites/{siteId}/experiment-plan';
  await call('GET', plan, `${sp}/experiment-plan?baseline_rate=0.04&mde_relative=0.1&daily_units=1500`, key);
  await call('GET', plan, `${sp}/experiment-plan?mde_relative=0.1`, key);
}
