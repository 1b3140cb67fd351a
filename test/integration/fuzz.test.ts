import { ERROR_STATUS, LIMITS } from '@funnelhouse/schemas';
import { select } from '@funnelhouse/server';
import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { mutate, mutation, text, validBody, withFreshIds } from '../fuzz/arbitraries.ts';
import { admin } from '../helpers/api.ts';
import { rawRequest } from '../helpers/raw-http.ts';
import { BROWSER_UA, createSite, startTestServer, type TestServer } from '../helpers/server.ts';

// Property-based fuzzing of the whole collect path over real HTTP. Bounded by counts: about
// 1 000 requests, each property with a timeout far above its work, since a loaded machine may
// run it several times slower. Each property posts to sites of its own and counts only their
// rows, so requests still in flight from another property (one that timed out) cannot change
// what it reads.
let s: TestServer;
let siteKeys: string[];
let siteIds: string[];
let requestNo = 0;
const protoNames = Object.getOwnPropertyNames(Object.prototype).sort();
const TIMEOUT_MS = 600_000;

beforeAll(async () => {
  s = await startTestServer();
});
beforeEach(async (ctx) => {
  const name = ctx.task.name.slice(0, 100);
  const plain = await createSite(s, `fuzz ${name}`);
  const strict = await createSite(s, `fuzz strict ${name}`);
  await admin(s, 'PATCH', `/api/v1/sites/${strict.id}`, {
    respect_dnt: true,
    allowed_hosts: ['shop.example'],
  });
  siteKeys = [plain.site_key, strict.site_key];
  siteIds = [plain.id, strict.id];
});
afterAll(() => s.destroy());

/** Rows of this property's sites. */
async function storedTotal(): Promise<number> {
  const [r] = await select<{ n: number | string }>(
    s.deps.store,
    'SELECT count() AS n FROM {db:Identifier}.events_v1 WHERE site_id IN {ids:Array(String)}',
    { ids: siteIds },
  );
  return Number(r?.n ?? 0);
}

const contentType = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('text/plain;charset=UTF-8', 'application/json') },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '',
      'text/html',
      'application/json; charset=utf-16',
      'TEXT/PLAIN',
      'multipart/form-data',
    ),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 40, unit: 'grapheme-ascii' }) },
);
const headers = fc.record({
  'content-type': contentType,
  'user-agent': fc.oneof({ weight: 4, arbitrary: fc.constant(BROWSER_UA) }, text(200)),
  dnt: fc.constantFrom('1', '0', ''),
});

interface Sent {
  body: Buffer;
  headers: Record<string, string>;
  method?: string;
  chunked?: boolean;
}

/**
 * Sends one request and checks the invariants: no 5xx, a known code whose status matches, a 4xx
 * stores nothing, a 202 stores exactly what it says it accepted, Object.prototype is untouched.
 */
async function check(req: Sent): Promise<number> {
  const cleaned = Object.fromEntries(
    Object.entries(req.headers).filter(([, v]) => v !== '' && /^[\t\x20-\x7e]*$/.test(v)),
  );
  const before = await storedTotal();
  const res = await rawRequest(s.url, {
    method: req.method ?? 'POST',
    path: '/collect',
    headers: cleaned,
    body: req.body,
    chunked: req.chunked ?? false,
  });
  const after = await storedTotal();
  expect(res.status, res.text).toBeLessThan(500);
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(protoNames);
  const answer = JSON.parse(res.text) as {
    accepted?: number;
    dropped?: number;
    dropped_by_reason?: Record<string, number>;
    rejected?: { index: number; code: string }[];
    error?: { code: string };
  };
  if (res.status >= 400) {
    const code = answer.error?.code as keyof typeof ERROR_STATUS;
    expect(ERROR_STATUS[code], `code ${code}`).toBe(res.status);
    expect(after).toBe(before);
  } else {
    expect(res.status).toBe(202);
    expect(after - before).toBe(answer.accepted);
    // Every event not stored is accounted for: a policy drop by reason, or a listed rejection.
    const policy = Object.values(answer.dropped_by_reason ?? {}).reduce((a, b) => a + b, 0);
    expect(answer.dropped).toBe(policy + (answer.rejected?.length ?? 0));
  }
  return res.status;
}

const encode = (v: unknown) => Buffer.from(JSON.stringify(v) ?? 'undefined', 'utf8');
const fresh = (v: unknown) => withFreshIds(v, `r${++requestNo}`);

describe('fuzzing POST /collect (never a 5xx, a 4xx stores nothing, a 202 stores what it accepted)', () => {
  it(
    'valid bodies with random headers',
    async () => {
      await fc.assert(
        fc.asyncProperty(validBody(['$']), headers, async (b, h) => {
          const body = { ...b, site: siteKeys[b.events.length % 2] };
          await check({ body: encode(fresh(body)), headers: h });
        }),
        { numRuns: 150 },
      );
    },
    TIMEOUT_MS,
  );

  it(
    'mutated valid bodies',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          validBody(['$']),
          fc.array(mutation, { minLength: 1, maxLength: 3 }),
          async (b, ms) => {
            let body: unknown = { ...b, site: siteKeys[0] };
            for (const m of ms) body = mutate(body, m);
            await check({
              body: encode(fresh(body)),
              headers: { 'content-type': 'text/plain', 'user-agent': BROWSER_UA },
            });
          },
        ),
        { numRuns: 350 },
      );
    },
    TIMEOUT_MS,
  );

  it(
    'valid bodies with their text cut, spliced or flipped',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          validBody(['$']),
          fc.nat(),
          fc.nat({ max: 40 }),
          fc.string({ maxLength: 8, unit: 'binary' }),
          async (b, at, cut, insert) => {
            const textBody = JSON.stringify(fresh({ ...b, site: siteKeys[0] }));
            const i = at % (textBody.length + 1);
            const spliced = textBody.slice(0, i) + insert + textBody.slice(i + cut);
            await check({
              body: Buffer.from(spliced, 'utf8'),
              headers: { 'content-type': 'application/json', 'user-agent': BROWSER_UA },
            });
          },
        ),
        { numRuns: 200 },
      );
    },
    TIMEOUT_MS,
  );

  it(
    'arbitrary JSON values and arbitrary bytes',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            fc.jsonValue().map(encode),
            fc.uint8Array({ maxLength: 4096 }).map((a) => Buffer.from(a)),
            fc.string({ unit: 'binary', maxLength: 2000 }).map((t) => Buffer.from(t, 'utf8')),
            fc.string({ unit: 'binary', maxLength: 200 }).map((t) => Buffer.from(t, 'latin1')),
          ),
          fc.constantFrom('POST', 'POST', 'POST', 'PUT', 'GET'),
          async (body, method) => {
            await check({
              method,
              body: method === 'GET' ? Buffer.alloc(0) : body,
              headers: { 'content-type': 'text/plain', 'user-agent': BROWSER_UA },
            });
          },
        ),
        { numRuns: 200 },
      );
    },
    TIMEOUT_MS,
  );

  it(
    'bodies around the size limit: 413 exactly when larger than the limit, chunked or not',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: LIMITS.bodyBytes - 300, max: LIMITS.bodyBytes + 300 }),
          fc.boolean(),
          async (size, chunked) => {
            const base = JSON.stringify(
              fresh({
                site: siteKeys[0],
                sent_at: Date.now(),
                events: [{ id: 'x', type: 'pageview', ts: Date.now(), url: 'https://shop.example/' }],
              }),
            );
            // An unknown top-level key pads the body to `size` bytes; the schema ignores it.
            const padded = base.replace('{', `{"pad":"${'x'.repeat(Math.max(0, size - base.length - 9))}",`);
            const body = Buffer.from(padded, 'utf8');
            const status = await check({
              body,
              headers: { 'content-type': 'text/plain', 'user-agent': BROWSER_UA },
              chunked,
            });
            expect(status).toBe(body.length > LIMITS.bodyBytes ? 413 : 202);
          },
        ),
        { numRuns: 40 },
      );
    },
    TIMEOUT_MS,
  );

  it('leaves the server healthy', async () => {
    expect((await fetch(`${s.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${s.url}/readyz`)).status).toBe(200);
  });
});
