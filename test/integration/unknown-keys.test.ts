import type { FunnelDefinition } from '@funnelhouse/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin, api } from '../helpers/api.ts';
import { createSite, startTestServer, type TestServer } from '../helpers/server.ts';

/**
 * A typo must not change the numbers silently: every query string and every JSON body of the API
 * refuses keys it does not know with a 400 naming the key's path (`unrecognized_keys`). Query
 * routes are walked from the OpenAPI document, so a new route is covered without touching this.
 */
let s: TestServer;
let site: { id: string; api_key: string };
let funnelId: string;
const definition: FunnelDefinition = {
  steps: [{ match: [{ type: 'pageview' }] }, { match: [{ type: 'purchase' }] }],
};

beforeAll(async () => {
  s = await startTestServer();
  site = await createSite(s, 'typos');
  const saved = await api(s, 'POST', `/api/v1/sites/${site.id}/funnels`, site.api_key, {
    name: 'f',
    definition,
  });
  funnelId = ((await saved.json()) as { id: string }).id;
});
afterAll(() => s.destroy());

type Issues = { error: { code: string; issues?: { path: string; code: string }[] } };
async function expectUnknown(res: Response, path: string, code = 'invalid_body') {
  expect(res.status, path).toBe(400);
  const body = (await res.json()) as Issues;
  expect(body.error.code).toBe(code);
  expect(body.error.issues).toContainEqual(expect.objectContaining({ path, code: 'unrecognized_keys' }));
}

const today = new Date().toISOString().slice(0, 10);
/** A valid query string for each route with query parameters; the walk adds one unknown key. */
const VALID: Record<string, Record<string, string>> = {
  from: { from: today, to: today },
  minutes: { minutes: '5' },
};

describe('unknown keys', () => {
  it('are refused in the query string of every route that takes one', async () => {
    const doc = (await (await fetch(`${s.url}/api/v1/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { parameters?: { name: string; in: string }[] }>>;
    };
    const walked: string[] = [];
    for (const [template, item] of Object.entries(doc.paths)) {
      const op = item.get;
      const names = (op?.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
      if (names.length === 0) continue;
      const base = names.includes('from') ? VALID.from : names.includes('minutes') ? VALID.minutes : {};
      const path = template.replace('{siteId}', site.id).replace('{funnelId}', funnelId);
      const q = new URLSearchParams({ ...base, windw: '7' });
      await expectUnknown(await api(s, 'GET', `${path}?${q}`, site.api_key), 'windw', 'invalid_query');
      walked.push(template);
    }
    expect(walked.length).toBeGreaterThanOrEqual(7);
  });

  it('in a query string are answered with the nearest known parameter, when one is close', async () => {
    const overview = (q: string) => api(s, 'GET', `/api/v1/sites/${site.id}/overview?${q}`, site.api_key);
    type Body = { error: { code: string; message: string; issues: { path: string; message: string }[] } };
    const typo = await overview('rnage=7d');
    expect(typo.status).toBe(400);
    const body = (await typo.json()) as Body;
    expect(body.error).toMatchObject({
      code: 'invalid_query',
      message: 'Unknown query parameter "rnage"; did you mean "range"?',
    });
    expect(body.error.issues).toContainEqual(
      expect.objectContaining({
        path: 'rnage',
        code: 'unrecognized_keys',
        message: 'unknown query parameter "rnage"; did you mean "range"?',
        suggestion: 'range',
      }),
    );
    const two = (await (await overview('range=7d&limt=5&qqqq=1')).json()) as Body;
    expect(two.error.message).toBe(
      'Unknown query parameter "limt"; did you mean "limit"?; Unknown query parameter "qqqq"',
    );
    const far = (await (await overview('zzzzzz=1')).json()) as Body;
    expect(far.error.message).toBe('Unknown query parameter "zzzzzz"');
    expect(far.error.issues[0]).not.toHaveProperty('suggestion');
    // A refined schema (the plan's cross-field rules) still knows its keys.
    const plan = `/api/v1/sites/${site.id}/experiment-plan?baseline_rat=0.04&mde_relative=0.1`;
    expect(((await (await api(s, 'GET', plan, site.api_key)).json()) as Body).error.message).toBe(
      'Unknown query parameter "baseline_rat"; did you mean "baseline_rate"?',
    );
  });

  it('are refused in every JSON body, at any depth, naming the path', async () => {
    const q = { from: today, to: today };
    const query = (body: unknown) =>
      api(s, 'POST', `/api/v1/sites/${site.id}/funnels/query`, site.api_key, body);
    // The finding: `window: {seconds: 1}` was ignored and the default 14 days used.
    await expectUnknown(
      await query({ definition: { ...definition, window: { seconds: 1 } }, ...q }),
      'definition.window',
    );
    await expectUnknown(
      await query({ definition, ...q, breakdwon: { dimension: { column: 'country' } } }),
      'breakdwon',
    );
    const step = { match: [{ type: 'pageview', paht: { op: 'exact', value: '/' } }] };
    await expectUnknown(
      await query({ definition: { steps: [step, definition.steps[1]] }, ...q }),
      'definition.steps.0.match.0.paht',
    );
    const filter = {
      match: [{ type: 'purchase', filters: [{ column: 'revenue', op: 'gt', value: 1, vaule: 2 }] }],
    };
    await expectUnknown(
      await query({ definition: { steps: [definition.steps[0], filter] }, ...q }),
      'definition.steps.1.match.0.filters.0.vaule',
    );
    await expectUnknown(
      await api(s, 'POST', `/api/v1/sites/${site.id}/funnels`, site.api_key, {
        name: 'x',
        definition,
        nmae: 'y',
      }),
      'nmae',
    );
    await expectUnknown(
      await api(s, 'PUT', `/api/v1/sites/${site.id}/funnels/${funnelId}`, site.api_key, {
        name: 'x',
        definition,
        x: 1,
      }),
      'x',
    );
    const experiment = {
      key: 'e1',
      name: 'e',
      variants: [
        { key: 'a', weight: 1 },
        { key: 'b', weight: 1 },
      ],
      control: 'a',
      status: 'draft',
      primary_metric: { kind: 'revenue_per_visitor' },
    };
    const experiments = `/api/v1/sites/${site.id}/experiments`;
    await expectUnknown(
      await api(s, 'POST', experiments, site.api_key, {
        ...experiment,
        secondary_metrics: [
          { kind: 'conversion', event: { type: 'purchase', nmae: 'x' }, window_seconds: 60 },
        ],
      }),
      'secondary_metrics.0.event.nmae',
    );
    await expectUnknown(
      await api(s, 'POST', experiments, site.api_key, {
        ...experiment,
        primary_metric: { kind: 'orders_per_visitor', cpa: 3 },
      }),
      'primary_metric.cpa',
    );
    await expectUnknown(
      await admin(s, 'POST', '/api/v1/sites', { name: 'shop', allowed_host: ['a.example'] }),
      'allowed_host',
    );
    await expectUnknown(
      await admin(s, 'PATCH', `/api/v1/sites/${site.id}`, { respect_dtn: true }),
      'respect_dtn',
    );
    const events = await fetch(`${s.url}/api/v1/sites/${site.id}/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${site.api_key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ events: [], sorce: 'import' }),
    });
    await expectUnknown(events, 'sorce');
  });

  it('still accept every documented key', async () => {
    const ok = await api(s, 'POST', `/api/v1/sites/${site.id}/funnels/query`, site.api_key, {
      definition: { ...definition, window_seconds: 3600, order: 'ordered', unit: 'visitor' },
      from: today,
      to: today,
      tz: 'UTC',
      breakdown: { dimension: { column: 'country' }, at_step: 1, limit: 5 },
      cohorts: 'mature',
      compare: true,
      trend: 'day',
    });
    expect(ok.status).toBe(200);
  });
});
