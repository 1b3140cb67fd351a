import type { FunnelDefinition } from '@funnelhouse/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from '../helpers/api.ts';
import { createSite, startTestServer, type TestServer } from '../helpers/server.ts';

let s: TestServer;
let site: { id: string; api_key: string };
beforeAll(async () => {
  s = await startTestServer();
  site = await createSite(s, 'patterns');
});
afterAll(() => s.destroy());

const range = { from: '2026-03-01', to: '2026-03-31' };
const withPath = (path: FunnelDefinition['steps'][number]['match'][number]['path']): FunnelDefinition => ({
  steps: [{ match: [{ type: 'pageview', path }] }, { match: [{ type: 'purchase' }] }],
});

type ErrorAnswer = { error: { code: string; issues?: { path: string; code: string; message: string }[] } };

// Patterns JavaScript's RegExp accepts and RE2 (the engine's regex library) refuses.
const RE2_ONLY = ['\\y', '\\Z', '\\cA', '[^]', '[]', 'a{1001}', '(a{1000}){1000}'];

describe('funnel definitions are checked with the engine’s rules at the door', () => {
  it.each(RE2_ONLY)(
    'refuses the RE2-only pattern %s with a 400 naming its path, and saves nothing',
    async (p) => {
      expect(() => new RegExp(p)).not.toThrow();
      const definition = withPath({ op: 'regex', value: p });
      const q = await api(s, 'POST', `/api/v1/sites/${site.id}/funnels/query`, site.api_key, {
        definition,
        ...range,
      });
      expect(q.status).toBe(400);
      const body = (await q.json()) as ErrorAnswer;
      expect(body.error.code).toBe('invalid_body');
      expect(body.error.issues?.map((i) => [i.path, i.code])).toEqual([
        ['definition.steps.0.match.0.path.value', 'invalid_regex'],
      ]);
      const save = await api(s, 'POST', `/api/v1/sites/${site.id}/funnels`, site.api_key, {
        name: 'bad',
        definition,
      });
      expect(save.status).toBe(400);
      const list = (await (await api(s, 'GET', `/api/v1/sites/${site.id}/funnels`, site.api_key)).json()) as {
        funnels: unknown[];
      };
      expect(list.funnels).toEqual([]);
    },
  );

  it('accepts a pattern RE2 compiles, and names only the bad one among several', async () => {
    const good = withPath({ op: 'regex', value: '^/p/[0-9]+$' });
    const ok = await api(s, 'POST', `/api/v1/sites/${site.id}/funnels/query`, site.api_key, {
      definition: good,
      ...range,
    });
    expect(ok.status).toBe(200);
    const mixed: FunnelDefinition = {
      steps: [
        { match: [{ path: { op: 'regex', value: '^/p/' } }, { url: { op: 'regex', value: 'a{2000}' } }] },
        { match: [{ type: 'purchase' }] },
      ],
    };
    const res = await api(s, 'POST', `/api/v1/sites/${site.id}/funnels/query`, site.api_key, {
      definition: mixed,
      ...range,
    });
    const body = (await res.json()) as ErrorAnswer;
    expect(body.error.issues?.map((i) => i.path)).toEqual(['definition.steps.0.match.1.url.value']);
    expect(body.error.issues?.[0]?.message).toContain('invalid repetition size');
  });

  it('answers 400, not 500, for a funnel saved with a bad pattern before the check existed', async () => {
    const definition = withPath({ op: 'regex', value: '[^]' });
    await s.deps.store.ch.insert({
      table: `${s.deps.store.db}.funnels_v1`,
      format: 'JSONEachRow',
      values: [
        {
          site_id: site.id,
          funnel_id: 'legacy',
          name: 'legacy',
          definition: JSON.stringify(definition),
          created_at: Date.now(),
          updated_at: Date.now(),
          deleted: 0,
        },
      ],
    });
    const res = await api(
      s,
      'GET',
      `/api/v1/sites/${site.id}/funnels/legacy/results?from=${range.from}&to=${range.to}`,
      site.api_key,
    );
    expect(res.status).toBe(400);
    expect(((await res.json()) as ErrorAnswer).error.code).toBe('invalid_query');
  });

  it.each([2 ** 53, -(2 ** 60), 1e300])(
    'refuses gt/lt with a number past ±2^53 (%d) as a 400',
    async (value) => {
      const definition: FunnelDefinition = {
        steps: [
          { match: [{ type: 'purchase', filters: [{ column: 'revenue', op: 'gt', value }] }] },
          { match: [{}] },
        ],
      };
      const res = await api(s, 'POST', `/api/v1/sites/${site.id}/funnels/query`, site.api_key, {
        definition,
        ...range,
      });
      expect(res.status).toBe(400);
      const body = (await res.json()) as ErrorAnswer;
      expect(body.error.code).toBe('invalid_body');
      expect(body.error.issues?.[0]?.path).toContain('filters.0.value');
    },
  );
});
