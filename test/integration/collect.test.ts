import { type CollectEvent, type CollectResponse, LIMITS } from '@funnelhouse/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batch, pageview } from '../helpers/events.ts';
import { metricValue } from '../helpers/metrics.ts';
import { countRows, storedRows } from '../helpers/rows.ts';
import { createSite, postCollect, startTestServer, type TestServer } from '../helpers/server.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(() => s.destroy());

describe('POST /collect', () => {
  it('stores the same rows whether the batch is sent as text/plain or as JSON', async () => {
    const a = await createSite(s, 'plain');
    const b = await createSite(s, 'json');
    const sentAt = Date.now();
    const events = [
      pageview({
        id: 'e1',
        ts: sentAt - 1000,
        url: 'https://shop.example/p/1?utm_source=news&utm_medium=email&utm_campaign=spring',
        referrer: 'https://mail.google.com/',
        title: 'Product 1',
      }),
      {
        id: 'e2',
        type: 'purchase',
        ts: sentAt - 500,
        url: 'https://shop.example/thanks',
        visitor_id: 'v-1',
        session_id: 's-1',
        order_id: 'o-1',
        revenue: 59.9,
        currency: 'eur',
        items: [{ id: 'sku-1', name: 'Mug', price: 29.95, quantity: 2 }],
        exp: { 'cta-color': 'green' },
        props: { coupon: 'SPRING', first: true, n: 3 },
      },
    ] satisfies CollectEvent[];
    const r1 = await postCollect(s, batch(a.site_key, events, sentAt), { ip: '81.2.69.142' });
    const r2 = await postCollect(s, batch(b.site_key, events, sentAt), {
      ip: '81.2.69.142',
      contentType: 'application/json',
    });
    expect(r1.status).toBe(202);
    expect(r2.status).toBe(202);
    expect(await r1.json()).toEqual({ accepted: 2, dropped: 0, dropped_by_reason: {}, rejected: [] });

    const rowsA = await storedRows(s, a.id);
    const rowsB = await storedRows(s, b.id);
    expect(rowsA).toHaveLength(2);
    const strip = (rows: Record<string, unknown>[]) => rows.map(({ site_id, ts, ts_ms, ...r }) => r);
    expect(strip(rowsB)).toEqual(strip(rowsA));

    const [pv, purchase] = rowsA;
    expect(pv).toMatchObject({
      type: 'pageview',
      host: 'shop.example',
      path: '/p/1',
      title: 'Product 1',
      referrer_host: 'mail.google.com',
      channel: 'email',
      utm_source: 'news',
      utm_campaign: 'spring',
      browser: 'Chrome',
      os: 'Linux',
      device: 'desktop',
      country: 'GB',
    });
    expect(purchase).toMatchObject({
      order_id: 'o-1',
      revenue: 59.9,
      currency: 'EUR',
      experiments: { 'cta-color': 'green' },
      props: { coupon: 'SPRING', first: 'true', n: '3' },
    });
    expect((purchase as { items: unknown[] }).items).toEqual([
      { id: 'sku-1', name: 'Mug', price: 29.95, quantity: 2, category: '', variant: '' },
    ]);
  });

  it('corrects client clock skew from sent_at', async () => {
    const site = await createSite(s);
    const skew = 3_600_000; // client clock one hour fast
    const now = Date.now();
    const res = await postCollect(s, batch(site.site_key, [pageview({ ts: now + skew - 2000 })], now + skew));
    expect(res.status).toBe(202);
    const [row] = await storedRows(s, site.id);
    const ts = Number(row?.ts_ms);
    expect(ts).toBeGreaterThan(now - 2000 - 1000);
    expect(ts).toBeLessThan(now - 2000 + 1000);
  });

  it('drops bots with a counted reason and stores nothing for them', async () => {
    const site = await createSite(s);
    const res = await postCollect(s, batch(site.site_key, [pageview()]), {
      ua: 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
    });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({
      accepted: 0,
      dropped: 1,
      dropped_by_reason: { bot: 1 },
      rejected: [],
    });
    expect(await countRows(s, site.id)).toBe(0);
    const metrics = await (await fetch(`${s.url}/metrics`)).text();
    expect(metrics).toMatch(/funnelhouse_events_dropped_total\{reason="bot"\} [1-9]/);
  });

  it('tells a headless browser why nothing was stored', async () => {
    const site = await createSite(s);
    const res = await postCollect(s, batch(site.site_key, [pageview()]), {
      ua: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36',
    });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({
      accepted: 0,
      dropped: 1,
      dropped_by_reason: { bot: 1 },
      rejected: [],
    });
  });

  it('counts each drop reason of a mixed batch', async () => {
    const site = await createSite(s);
    const now = Date.now();
    const res = await postCollect(
      s,
      batch(site.site_key, [
        pageview({ id: 'fresh' }),
        pageview({ id: 'old', ts: now - 4 * 86_400_000 }),
        pageview({ id: 'fresh' }),
        pageview({ id: 'bad', url: 'nope' }),
      ]),
    );
    expect(await res.json()).toMatchObject({
      accepted: 1,
      dropped: 3,
      dropped_by_reason: { stale: 1, duplicate_id: 1 },
      rejected: [{ index: 3, code: 'invalid_event' }],
    });
  });

  it('never stores the client IP', async () => {
    const site = await createSite(s);
    await postCollect(s, batch(site.site_key, [pageview()]), { ip: '81.2.69.142' });
    const rows = await storedRows(s, site.id);
    expect(JSON.stringify(rows)).not.toContain('81.2.69.142');
    expect(rows[0]?.country).toBe('GB');
  });

  it('finds the country of an IPv6 client and stores neither address', async () => {
    const site = await createSite(s);
    // 2003::/19 is Deutsche Telekom's RIPE NCC allocation (DE); 2001:4860::/32 is Google's (US).
    await postCollect(s, batch(site.site_key, [pageview()]), { ip: '2003:e4:1f00:4a00::17' });
    await postCollect(s, batch(site.site_key, [pageview()]), { ip: '2001:4860:4860::8888' });
    const rows = await storedRows(s, site.id);
    expect(rows.map((r) => r.country).sort()).toEqual(['DE', 'US']);
    expect(JSON.stringify(rows)).not.toMatch(/2003:e4|2001:4860/i);
  });
});

describe('a refused envelope stores nothing; a bad event only itself', () => {
  const cases: [
    string,
    number,
    string,
    (key: string) => Parameters<typeof postCollect>[2] & { body?: unknown },
  ][] = [
    ['invalid_json', 400, 'not json', () => ({ raw: '{"site":' })],
    ['invalid_body', 400, 'sent_at in seconds', (k) => ({ body: batch(k, [pageview()], 1_700_000_000) })],
    ['invalid_body', 400, 'an empty events array', (k) => ({ body: batch(k, []) })],
    [
      'too_many_events',
      400,
      '101 events',
      (k) => ({
        body: batch(
          k,
          Array.from({ length: 101 }, () => pageview()),
        ),
      }),
    ],
    [
      'json_too_deep',
      400,
      'deep nesting',
      (k) => ({
        raw: JSON.stringify(batch(k, [pageview()])).replace(
          '"events"',
          `"x":${'['.repeat(20)}${']'.repeat(20)},"events"`,
        ),
      }),
    ],
    ['unknown_site_key', 401, 'unknown site key', () => ({ body: batch('nope', [pageview()]) })],
    [
      'payload_too_large',
      413,
      'a 300 KB body',
      (k) => ({ raw: JSON.stringify({ ...batch(k, [pageview()]), pad: 'x'.repeat(300_000) }) }),
    ],
    [
      'unsupported_media_type',
      415,
      'a form post',
      (k) => ({ body: batch(k, [pageview()]), contentType: 'application/x-www-form-urlencoded' }),
    ],
  ];

  it.each(cases)('%s (%i) for %s', async (code, status, _label, make) => {
    const site = await createSite(s);
    const { body, ...opts } = make(site.site_key);
    // One good event rides along in every bad batch: none of it may be stored.
    const res = await postCollect(s, body, opts);
    expect(res.status).toBe(status);
    const json = (await res.json()) as { error: { code: string; requestId: string } };
    expect(json.error.code).toBe(code);
    expect(json.error.requestId).not.toBe('');
    expect(await countRows(s, site.id)).toBe(0);
  });

  it('stores the valid events of a batch and rejects each bad one by index and code', async () => {
    const site = await createSite(s);
    const rejections = (code: string) =>
      metricValue(s, 'funnelhouse_events_rejected_total', `code="${code}"`);
    const [invalidBefore, longBefore] = [
      await rejections('invalid_event'),
      await rejections('property_value_too_long'),
    ];
    const res = await postCollect(
      s,
      batch(site.site_key, [
        pageview({ id: 'ok-1' }),
        // fh('track', 'signup', { note: <a long text> }): one property over the limit.
        pageview({
          id: 'long',
          type: 'custom',
          name: 'signup',
          props: { note: 'x'.repeat(LIMITS.valueLength + 1) },
        } as never),
        pageview({ id: 'ok-2' }),
        pageview({ id: 'typo', type: 'nope' } as never),
      ]),
    );
    expect(res.status).toBe(202);
    const json = (await res.json()) as CollectResponse;
    expect(json).toMatchObject({
      accepted: 2,
      dropped: 2,
      dropped_by_reason: {},
      rejected: [
        { index: 1, code: 'property_value_too_long', issues: [{ path: 'props.note' }] },
        { index: 3, code: 'invalid_event', issues: [{ path: 'type' }] },
      ],
    });
    expect((await storedRows(s, site.id)).map((r) => r.event_id)).toEqual(['ok-1', 'ok-2']);
    expect((await rejections('invalid_event')) - invalidBefore).toBe(1);
    expect((await rejections('property_value_too_long')) - longBefore).toBe(1);
  });

  it('answers 202 with every event rejected when none is valid, storing nothing', async () => {
    const site = await createSite(s);
    const res = await postCollect(
      s,
      batch(site.site_key, [pageview({ url: '' }), pageview({ ts: 1_700_000_000 })]),
    );
    expect(res.status).toBe(202);
    expect(await res.json()).toMatchObject({
      accepted: 0,
      dropped: 2,
      rejected: [
        { index: 0, code: 'invalid_event' },
        { index: 1, code: 'invalid_event' },
      ],
    });
    expect(await countRows(s, site.id)).toBe(0);
  });

  it('answers 405 to other methods', async () => {
    const res = await fetch(`${s.url}/collect`, { method: 'PUT', body: '{}' });
    expect(res.status).toBe(405);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('method_not_allowed');
  });

  it('allows cross-origin posts without credentials', async () => {
    const res = await fetch(`${s.url}/collect`, {
      method: 'OPTIONS',
      headers: { origin: 'https://shop.example', 'access-control-request-method': 'POST' },
    });
    expect(res.status).toBeLessThan(300);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
  });
});
