import type { OverviewResponse, ServerEventsResponse } from '@funnelhouse/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batch, pageview } from '../helpers/events.ts';
import { countRows, storedRows } from '../helpers/rows.ts';
import { BROWSER_UA, createSite, postCollect, startTestServer, type TestServer } from '../helpers/server.ts';
import { DAY_MS, daysAgo, postEvents, serverPageview } from '../helpers/server-events.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(() => s.destroy());

async function overview(siteId: string, key: string, from: string, to: string): Promise<OverviewResponse> {
  const res = await fetch(`${s.url}/api/v1/sites/${siteId}/overview?from=${from}&to=${to}`, {
    headers: { authorization: `Bearer ${key}` },
  });
  expect(res.status).toBe(200);
  return (await res.json()) as OverviewResponse;
}

describe('POST /api/v1/sites/:siteId/events', () => {
  it('stores historical events on their own dates, and the overview shows them there', async () => {
    const site = await createSite(s);
    const old = daysAgo(400);
    const recent = daysAgo(3);
    const events = [
      serverPageview(old.ms, { visitor_id: 'a' }),
      serverPageview(old.ms + 60_000, { visitor_id: 'b', url: 'https://shop.example/p/1' }),
      serverPageview(recent.ms, { visitor_id: 'a' }),
    ];
    const { status, body } = await postEvents(s, site.id, site.api_key, events);
    expect(status).toBe(200);
    expect(body).toMatchObject({ accepted: 3, duplicates: 0, rejected: 0 });
    expect(body.results.map((r) => r.status)).toEqual(['stored', 'stored', 'stored']);

    const ov = await overview(site.id, site.api_key, daysAgo(401).day, recent.day);
    expect(ov.totals).toMatchObject({ pageviews: 3, visitors: 2 });
    const byDay = Object.fromEntries(ov.daily.map((d) => [d.day, d.pageviews]));
    expect(byDay[old.day]).toBe(2);
    expect(byDay[recent.day]).toBe(1);
    expect(ov.daily.reduce((n, d) => n + d.pageviews, 0)).toBe(3);
    // A range without those days sees none of them.
    const other = await overview(site.id, site.api_key, daysAgo(300).day, daysAgo(10).day);
    expect(other.totals.pageviews).toBe(0);

    const rows = await storedRows(s, site.id);
    expect(rows.map((r) => r.source)).toEqual(['server', 'server', 'server']);
    expect(rows.map((r) => Number(r.ts_ms)).sort()).toEqual(events.map((e) => e.ts).sort());
  });

  it('judges each event on its own: bad ones are rejected with a reason, good ones stored', async () => {
    const site = await createSite(s);
    const now = Date.now();
    const events = [
      serverPageview(now - 1000, { id: 'ok-1' }),
      { id: 'bad-url', type: 'pageview', ts: now, url: 'not a url' },
      serverPageview(now - 800 * DAY_MS, { id: 'too-old' }),
      serverPageview(now + 3_600_000, { id: 'future' }),
      serverPageview(now + 60_000, { id: 'small-skew' }),
      serverPageview(now - 2000, { id: 'ok-1' }),
      'not an object',
    ];
    const { status, body } = await postEvents(s, site.id, site.api_key, events);
    expect(status).toBe(200);
    expect(body).toMatchObject({ accepted: 3, duplicates: 1, rejected: 4 });
    const codes = body.results.map((r) => (r.status === 'rejected' ? r.code : r.status));
    expect(codes).toEqual([
      'stored',
      'invalid_event',
      'too_old',
      'in_future',
      'stored',
      'duplicate',
      'invalid_event',
    ]);
    const bad = body.results[1];
    expect(bad?.status === 'rejected' && bad.issues?.[0]?.path).toBe('url');
    const rows = await storedRows(s, site.id);
    expect(rows.map((r) => r.event_id)).toEqual(['ok-1', 'small-skew']);
    // A time within the tolerated skew is clamped to the time it was received: never in the future.
    const skewed = rows.find((r) => r.event_id === 'small-skew');
    expect(Number(skewed?.ts_ms)).toBeLessThanOrEqual(Date.now());
  });

  it('judges property limits event by event: the broken ones rejected with their code, the rest stored', async () => {
    const site = await createSite(s);
    const now = Date.now() - 1000;
    const manyProps = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v']));
    // Strings: JSON.stringify of an object literal would not write a `__proto__` key.
    const events = [
      JSON.stringify(serverPageview(now, { id: 'ok-a' })),
      JSON.stringify(serverPageview(now, { id: 'many', props: manyProps })),
      JSON.stringify(serverPageview(now, { id: 'long-value', props: { p: 'x'.repeat(1001) } })),
      JSON.stringify(serverPageview(now, { id: 'long-key', props: { ['k'.repeat(65)]: 'v' } })),
      JSON.stringify(serverPageview(now, { id: 'reserved' })).replace('{', '{"props":{"__proto__":"x"},'),
      JSON.stringify(
        serverPageview(now, {
          id: 'many-exp',
          exp: Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`e${i}`, 'a'])),
        }),
      ),
      JSON.stringify(serverPageview(now, { id: 'ok-b', props: { plan: 'pro' } })),
    ];
    const res = await fetch(`${s.url}/api/v1/sites/${site.id}/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${site.api_key}`, 'content-type': 'application/json' },
      body: `{"events":[${events.join(',')}]}`,
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as ServerEventsResponse;
    expect(body).toMatchObject({ accepted: 2, duplicates: 0, rejected: 5 });
    expect(body.results.map((r) => [r.index, r.id, r.status === 'rejected' ? r.code : r.status])).toEqual([
      [0, 'ok-a', 'stored'],
      [1, 'many', 'too_many_properties'],
      [2, 'long-value', 'property_value_too_long'],
      [3, 'long-key', 'property_key_too_long'],
      [4, 'reserved', 'reserved_property_key'],
      [5, 'many-exp', 'too_many_properties'],
      [6, 'ok-b', 'stored'],
    ]);
    const value = body.results[2];
    expect(value?.status === 'rejected' && value.issues?.[0]?.path).toBe('props.p');
    const rows = await storedRows(s, site.id);
    expect(rows.map((r) => r.event_id).sort()).toEqual(['ok-a', 'ok-b']);
  });

  it('judges a large batch in chunks, giving the event loop a turn between them', async () => {
    const site = await createSite(s);
    const old = Date.now() - 800 * DAY_MS;
    // 1,000 events, each judged (too old, counted one by one as dropped) and none stored.
    const events = Array.from({ length: 1000 }, (_, i) => serverPageview(old, { id: `c${i}` }));
    const dropped = s.deps.metrics.dropped;
    const count = async () =>
      (await dropped.get()).values.find((v) => v.labels.reason === 'too_old')?.value ?? 0;
    const before = await count();
    // A ticker in this process (the server's process): each turn of the loop it reads how many
    // events the route has judged so far. Counted, never timed: without turns between chunks it
    // would only ever see `before` and `before + 1000`.
    const seen = new Set<number>();
    let stop = false;
    const tick = () => {
      void count().then((n) => seen.add(n));
      if (!stop) setImmediate(tick);
    };
    setImmediate(tick);
    const { status, body } = await postEvents(s, site.id, site.api_key, events);
    stop = true;
    expect(status).toBe(200);
    expect(body.rejected).toBe(1000);
    const midway = [...seen].filter((n) => n > before && n < before + 1000);
    // 1,000 events in chunks of 50: 19 turns, each seen by the ticker at a chunk boundary.
    expect(midway.length).toBeGreaterThanOrEqual(10);
    for (const n of midway) expect((n - before) % 50).toBe(0);
  });

  it('is idempotent by event id: a re-sent batch stores nothing new, the first version wins', async () => {
    const site = await createSite(s);
    const ts = daysAgo(30).ms;
    const first = [serverPageview(ts, { id: 'e1', title: 'first' }), serverPageview(ts, { id: 'e2' })];
    expect((await postEvents(s, site.id, site.api_key, first)).body.accepted).toBe(2);
    const again = [serverPageview(ts, { id: 'e1', title: 'second' }), serverPageview(ts, { id: 'e3' })];
    const { body } = await postEvents(s, site.id, site.api_key, again);
    expect(body.results.map((r) => r.status)).toEqual(['duplicate', 'stored']);
    // Concurrent retries of one batch are serialised: still one row per id.
    await Promise.all(Array.from({ length: 4 }, () => postEvents(s, site.id, site.api_key, first)));
    const rows = await storedRows(s, site.id);
    expect(rows.map((r) => r.event_id)).toEqual(['e1', 'e2', 'e3']);
    expect(rows[0]?.title).toBe('first');
  });

  it('enriches user agent and country only when given, and never stores the ip', async () => {
    const site = await createSite(s);
    const ts = Date.now() - 5000;
    const events = [
      serverPageview(ts, { id: 'bare' }),
      serverPageview(ts, { id: 'ua-ip', user_agent: BROWSER_UA, ip: '81.2.69.142' }),
      serverPageview(ts, { id: 'country', country: 'de', ip: '81.2.69.142' }),
      serverPageview(ts, { id: 'no-visitor', visitor_id: undefined, user_id: 'u-9' }),
    ];
    expect((await postEvents(s, site.id, site.api_key, events, 'import')).body.accepted).toBe(4);
    const rows = Object.fromEntries((await storedRows(s, site.id)).map((r) => [r.event_id, r]));
    expect(rows.bare).toMatchObject({ browser: '', os: '', device: '', country: '', source: 'import' });
    expect(rows['ua-ip']).toMatchObject({ browser: 'Chrome', os: 'Linux', device: 'desktop', country: 'GB' });
    expect(rows.country).toMatchObject({ country: 'DE' });
    expect(rows['no-visitor']).toMatchObject({ visitor_id: 'user:u-9', user_id: 'u-9' });
    expect(JSON.stringify(rows)).not.toContain('81.2.69.142');
  });

  it('refuses a site key, a secret key of another site, and a missing key, storing nothing', async () => {
    const site = await createSite(s, 'mine');
    const other = await createSite(s, 'theirs');
    const events = [serverPageview(Date.now())];
    const siteKey = await postEvents(s, site.id, site.site_key, events);
    expect(siteKey.status).toBe(403);
    expect(siteKey.body.error?.code).toBe('wrong_key_kind');
    const foreign = await postEvents(s, site.id, other.api_key, events);
    expect(foreign.status).toBe(404);
    expect(foreign.body.error?.code).toBe('not_found');
    const none = await fetch(`${s.url}/api/v1/sites/${site.id}/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ events }),
    });
    expect(none.status).toBe(401);
    expect(await countRows(s, site.id)).toBe(0);
    expect(await countRows(s, other.id)).toBe(0);
  });

  it('refuses a bad envelope as a whole', async () => {
    const site = await createSite(s);
    const post = (body: string, type = 'application/json') =>
      fetch(`${s.url}/api/v1/sites/${site.id}/events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${site.api_key}`, 'content-type': type },
        body,
      });
    const cases: [string, string, number, string][] = [
      ['{"events":', 'application/json', 400, 'invalid_json'],
      ['{"events":[]}', 'application/json', 400, 'invalid_body'],
      [
        JSON.stringify({ events: Array.from({ length: 1001 }, () => ({})) }),
        'application/json',
        400,
        'too_many_events',
      ],
      [JSON.stringify({ events: [serverPageview(Date.now())] }), 'text/plain', 415, 'unsupported_media_type'],
    ];
    for (const [body, type, status, code] of cases) {
      const res = await post(body, type);
      expect(res.status).toBe(status);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe(code);
    }
    expect(await countRows(s, site.id)).toBe(0);
  });

  it('leaves /collect as it was: browser rows, skew correction, bots dropped', async () => {
    const site = await createSite(s);
    const res = await postCollect(s, batch(site.site_key, [pageview()]));
    expect(await res.json()).toEqual({ accepted: 1, dropped: 0, dropped_by_reason: {}, rejected: [] });
    const [row] = await storedRows(s, site.id);
    expect(row?.source).toBe('browser');
  });
});
