import { request } from 'node:http';
import {
  FUNNEL_LIMITS,
  type FunnelDefinition,
  type FunnelStep,
  LIMITS,
  type StepAlternative,
} from '@funnelhouse/schemas';
import { createApp } from '@funnelhouse/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from '../helpers/api.ts';
import { ADMIN_KEY, createSite, startTestServer, type TestServer } from '../helpers/server.ts';

/**
 * Request bounds: every route stops reading a body at its limit (413), and funnel definitions are
 * bounded as a whole (`funnel_too_complex`), not only list by list.
 */
let s: TestServer;
let site: { id: string; api_key: string };
beforeAll(async () => {
  s = await startTestServer();
  site = await createSite(s, 'bounds');
});
afterAll(() => s.destroy());

interface Answer {
  status: number;
  body: string;
  /** Bytes of the body written when the answer arrived. */
  sent: number;
}

/**
 * Streams `total` bytes of JSON-looking text chunked (no Content-Length) and stops writing as
 * soon as an answer arrives.
 */
function sendChunked(path: string, method: string, key: string, total: number): Promise<Answer> {
  const url = new URL(path, s.url);
  const chunk = Buffer.alloc(64 * 1024, 'a');
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered = false;
    const req = request(url, {
      method,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    });
    req.on('response', (res) => {
      answered = true;
      const at = sent;
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => {
        body += d;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, sent: at }));
    });
    // Once the server answered and closed, further writes may fail: that is the point.
    req.on('error', (err) => (answered ? undefined : reject(err)));
    const pump = () => {
      while (!answered && sent < total) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      if (!answered) req.end();
    };
    req.write('{"x":"');
    pump();
  });
}

function limitOf(path: string): number {
  if (path === '/collect') return LIMITS.bodyBytes;
  if (/^\/api\/v1\/sites\/[^/]+\/events$/.test(path)) return LIMITS.serverBodyBytes;
  return LIMITS.apiBodyBytes;
}

describe('body limits', () => {
  it('answers 413 to a chunked body of twice the limit on every POST, PUT and PATCH route', async () => {
    const app = createApp({ ...s.deps, config: { ...s.deps.config, demo: true } });
    const routes = app.routes.filter((r) => ['POST', 'PUT', 'PATCH'].includes(r.method));
    const seen = new Set<string>();
    for (const r of routes) {
      if (seen.has(`${r.method} ${r.path}`)) continue;
      seen.add(`${r.method} ${r.path}`);
      const path = r.path.replace(':siteId', site.id).replace(/:(\w+)(\{[^}]*\})?/g, 'x');
      const key =
        path.startsWith(`/api/v1/sites/${site.id}/`) && !path.endsWith('/keys') ? site.api_key : ADMIN_KEY;
      const limit = limitOf(path);
      const a = await sendChunked(path, r.method, key, 2 * limit);
      expect({ route: `${r.method} ${r.path}`, status: a.status }).toEqual({
        route: `${r.method} ${r.path}`,
        status: 413,
      });
      expect(JSON.parse(a.body).error.code).toBe('payload_too_large');
    }
    expect(seen.size).toBeGreaterThanOrEqual(8);
  });

  it('stops reading at the limit: a 64 MB chunked body is answered long before it is all sent', async () => {
    const total = 64 * 1024 * 1024;
    const a = await sendChunked(`/api/v1/sites/${site.id}/funnels/query`, 'POST', site.api_key, total);
    expect(a.status).toBe(413);
    expect(a.sent).toBeLessThan(total / 4);
  });

  it('answers 413 at once when Content-Length is over the limit', async () => {
    const body = JSON.stringify({ name: 'x'.repeat(LIMITS.apiBodyBytes) });
    const res = await api(s, 'POST', '/api/v1/sites', ADMIN_KEY, JSON.parse(body));
    expect(res.status).toBe(413);
  });
});

const TYPES = ['pageview', 'add_to_cart', 'begin_checkout', 'purchase', 'click'] as const;
const steps = (n: number, alts: number, alt: (i: number, j: number) => StepAlternative): FunnelStep[] =>
  Array.from({ length: n }, (_, i) => ({ match: Array.from({ length: alts }, (_, j) => alt(i, j)) }));

/** The report's definition: every list within its own limit, 0.2 MB and 8,200 conditions in all. */
const reported: FunnelDefinition = {
  steps: steps(20, 10, (i, j) => ({
    type: TYPES[(i + j) % 5],
    filters: Array.from({ length: 20 }, (_, k) => ({
      property: `p${k}`,
      op: 'in' as const,
      values: [`v${i}-${j}-${k}`, 'x'],
    })),
  })),
};

/**
 * As large as the limits allow: 20 steps of 5 alternatives (100 in all), 500 conditions, 5,000
 * pattern characters.
 */
const largest: FunnelDefinition = {
  steps: steps(20, 5, (i, j) => ({
    type: TYPES[(i + j) % 5],
    // 60 regexes of 80 characters and 40 wildcards of 5.
    path:
      j < 3
        ? { op: 'regex', value: `^/p[a-z0-9]+/${'q'.repeat(67)}` }
        : { op: 'wildcard', value: `/p*${j}x` },
    filters: [{ column: 'country', op: 'in', values: ['DE', 'FR', 'US'] }],
  })),
};

describe('funnel definition size', () => {
  const day = new Date().toISOString().slice(0, 10);
  const ask = (definition: FunnelDefinition) =>
    api(s, 'POST', `/api/v1/sites/${site.id}/funnels/query`, site.api_key, {
      definition,
      from: day,
      to: day,
    });

  it('refuses the reported 0.2 MB definition with 400 funnel_too_complex', async () => {
    expect(JSON.stringify(reported).length).toBeGreaterThan(200_000);
    const res = await ask(reported);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('funnel_too_complex');
    expect(body.error.message).toContain('8200 conditions');
  });

  it('refuses it when saved too, and accepts and answers the largest allowed definition', async () => {
    const save = await api(s, 'POST', `/api/v1/sites/${site.id}/funnels`, site.api_key, {
      name: 'too big',
      definition: reported,
    });
    expect(save.status).toBe(400);
    expect(((await save.json()) as { error: { code: string } }).error.code).toBe('funnel_too_complex');
    expect(countTerms(largest)).toBe(FUNNEL_LIMITS.terms);
    expect(patternChars(largest)).toBe(FUNNEL_LIMITS.patternChars);
    const res = await ask(largest);
    expect(res.status).toBe(200);
  });

  it('refuses one alternative more than the limit', async () => {
    const over = structuredClone(largest);
    over.steps[0]?.match.push({ type: 'pageview' });
    over.steps[1]?.match[0]?.filters?.pop();
    expect(countTerms(over)).toBeLessThan(FUNNEL_LIMITS.terms);
    const res = await ask(over);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error).toMatchObject({ code: 'funnel_too_complex' });
    expect(body.error.message).toContain('101 alternatives');
  });

  it('refuses one condition more than the limit', async () => {
    const over = structuredClone(largest);
    over.steps[19]?.match[0]?.filters?.push({ column: 'device', op: 'eq', value: 'desktop' });
    expect(countTerms(over)).toBe(FUNNEL_LIMITS.terms + 1);
    const res = await ask(over);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('funnel_too_complex');
  });
});

/** Conditions as `FUNNEL_LIMITS.terms` counts them (written again here, independently). */
function countTerms(d: FunnelDefinition): number {
  let n = 0;
  for (const st of d.steps) {
    for (const a of st.match) {
      n += [a.type, a.name, a.url, a.path, a.form_id].filter(Boolean).length;
      for (const f of a.filters ?? []) n += f.op === 'in' ? f.values.length : 1;
    }
  }
  return n;
}

function patternChars(d: FunnelDefinition): number {
  return d.steps
    .flatMap((st) => st.match)
    .reduce((n, a) => n + (a.url?.value.length ?? 0) + (a.path?.value.length ?? 0), 0);
}
