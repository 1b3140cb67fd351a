import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batch, pageview } from '../helpers/events.ts';
import { metricValue } from '../helpers/metrics.ts';
import { countRows, storedRows } from '../helpers/rows.ts';
import { createSite, postCollect, startTestServer, type TestServer } from '../helpers/server.ts';
import { serverPageview } from '../helpers/server-events.ts';

// Low limits: 3 requests at once per address, 6 per site, refilled slowly (one per 20 s / 10 s);
// server events: 2 requests at once per API key, one more per 20 s.
let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({
    FUNNELHOUSE_RATE_LIMIT_IP: '0.05',
    FUNNELHOUSE_RATE_LIMIT_IP_BURST: '3',
    FUNNELHOUSE_RATE_LIMIT_SITE: '0.1',
    FUNNELHOUSE_RATE_LIMIT_SITE_BURST: '6',
    FUNNELHOUSE_RATE_LIMIT_SERVER_EVENTS: '0.05',
    FUNNELHOUSE_RATE_LIMIT_SERVER_EVENTS_BURST: '2',
  });
});
afterAll(() => s.destroy());

async function expectLimited(res: Response, maxWait: number) {
  expect(res.status).toBe(429);
  const body = (await res.json()) as { error: { code: string } };
  expect(body.error.code).toBe('rate_limited');
  const retry = Number(res.headers.get('retry-after'));
  expect(retry).toBeGreaterThanOrEqual(1);
  expect(retry).toBeLessThanOrEqual(maxWait);
}

describe('/collect rate limits', () => {
  it('limits each client address, answering 429 with Retry-After and storing nothing', async () => {
    const site = await createSite(s);
    for (let i = 0; i < 3; i++) {
      expect((await postCollect(s, batch(site.site_key, [pageview()]), { ip: '198.51.100.1' })).status).toBe(
        202,
      );
    }
    await expectLimited(await postCollect(s, batch(site.site_key, [pageview()]), { ip: '198.51.100.1' }), 20);
    // Invalid requests spend tokens too: the limit runs before the body is read.
    await expectLimited(await postCollect(s, undefined, { ip: '198.51.100.1', raw: '{' }), 20);
    expect((await postCollect(s, batch(site.site_key, [pageview()]), { ip: '198.51.100.2' })).status).toBe(
      202,
    );
    expect(await countRows(s, site.id)).toBe(4);
    expect(await metricValue(s, 'funnelhouse_requests_rejected_total', 'code="rate_limited"')).toBe(2);
  });

  it('limits each site across addresses, leaving other sites alone', async () => {
    const busy = await createSite(s);
    const quiet = await createSite(s);
    const ips = Array.from({ length: 7 }, (_, i) => `203.0.113.${i + 1}`);
    for (const ip of ips.slice(0, 6)) {
      expect((await postCollect(s, batch(busy.site_key, [pageview()]), { ip })).status).toBe(202);
    }
    await expectLimited(await postCollect(s, batch(busy.site_key, [pageview()]), { ip: ips[6] }), 10);
    expect((await postCollect(s, batch(quiet.site_key, [pageview()]), { ip: ips[6] })).status).toBe(202);
    expect(await countRows(s, busy.id)).toBe(6);
  });

  it('reads X-Forwarded-For from the right: a client cannot forge its address or dodge the limit', async () => {
    // The server trusts one proxy hop (the test helper sets FUNNELHOUSE_TRUST_PROXY=1): the
    // rightmost entry is the address that proxy saw; entries to its left are the client's own.
    const site = await createSite(s);
    for (let i = 0; i < 3; i++) {
      const forged = `81.2.69.${100 + i}, 5.9.0.1`;
      expect((await postCollect(s, batch(site.site_key, [pageview()]), { ip: forged })).status).toBe(202);
    }
    await expectLimited(
      await postCollect(s, batch(site.site_key, [pageview()]), { ip: '81.2.69.142, 5.9.0.1' }),
      20,
    );
    const rows = await storedRows(s, site.id);
    expect(rows.map((r) => r.country)).toEqual(['DE', 'DE', 'DE']);
  });
});

describe('server events API rate limit', () => {
  const post = (site: { id: string; api_key: string }, body: string) =>
    fetch(`${s.url}/api/v1/sites/${site.id}/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${site.api_key}`, 'content-type': 'application/json' },
      body,
    });
  const events = () => JSON.stringify({ events: [serverPageview(Date.now() - 1000)] });

  it('limits each API key, answering 429 with Retry-After and storing nothing, other keys unaffected', async () => {
    const busy = await createSite(s);
    const quiet = await createSite(s);
    for (let i = 0; i < 2; i++) expect((await post(busy, events())).status).toBe(200);
    await expectLimited(await post(busy, events()), 20);
    // A bad body spends a token too: the limit runs before the body is parsed.
    await expectLimited(await post(busy, '{'), 20);
    expect((await post(quiet, events())).status).toBe(200);
    expect(await countRows(s, busy.id)).toBe(2);
    expect(await countRows(s, quiet.id)).toBe(1);
  });

  it('spends no token of a site on requests without its key', async () => {
    const site = await createSite(s);
    for (let i = 0; i < 3; i++) {
      const res = await fetch(`${s.url}/api/v1/sites/${site.id}/events`, {
        method: 'POST',
        headers: { authorization: 'Bearer fhk_forged_key', 'content-type': 'application/json' },
        body: events(),
      });
      expect(res.status).toBe(401);
    }
    expect((await post(site, events())).status).toBe(200);
  });
});
