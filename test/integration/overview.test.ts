import type { CollectEvent, FunnelResult, OverviewResponse, RevenueResponse } from '@funnelhouse/schemas';
import { generateTraffic, postTraffic, type Traffic } from '@funnelhouse/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batch, pageview } from '../helpers/events.ts';
import { expectedOverview, localDay } from '../helpers/overview-oracle.ts';
import { createSite, postCollect, startTestServer, type TestServer } from '../helpers/server.ts';

const DAY = 86_400_000;
let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(() => s.destroy());

type Site = Awaited<ReturnType<typeof createSite>>;

function api(path: string, key?: string): Promise<Response> {
  return fetch(`${s.url}${path}`, { headers: key ? { authorization: `Bearer ${key}` } : {} });
}

async function overview(site: Site, query: Record<string, string>): Promise<OverviewResponse> {
  const res = await api(`/api/v1/sites/${site.id}/overview?${new URLSearchParams(query)}`, site.api_key);
  expect(res.status).toBe(200);
  return (await res.json()) as OverviewResponse;
}

describe('overview of seeded traffic', () => {
  let site: Site;
  let traffic: Traffic;
  let sent: Awaited<ReturnType<typeof postTraffic>>;
  const now = Date.now();

  beforeAll(async () => {
    site = await createSite(s, 'seeded');
    traffic = generateTraffic({ seed: 7, visitors: 300, now });
    sent = await postTraffic(traffic.visitors, { url: s.url, siteKey: site.site_key, concurrency: 32 });
  });

  it('accepts every event of people and drops every crawler event', async () => {
    const people = traffic.visitors.filter((v) => !v.bot).flatMap((v) => v.events);
    const crawlers = traffic.visitors.filter((v) => v.bot).flatMap((v) => v.events);
    expect(crawlers.length).toBeGreaterThan(0);
    expect(sent).toMatchObject({ failures: [], accepted: people.length, dropped: crawlers.length });
    const o = await overview(site, { from: localDay(now - 3 * DAY, 'UTC'), to: localDay(now, 'UTC') });
    expect(o.totals.events).toBe(people.length);
  });

  it.each(['UTC', 'America/New_York', 'Asia/Kolkata'])(
    'equals counts computed from the generated events, days in %s',
    async (tz) => {
      const q = { firstDay: localDay(now - 3 * DAY, tz), lastDay: localDay(now, tz), tz, limit: 100 };
      const o = await overview(site, { from: q.firstDay, to: q.lastDay, tz, limit: '100' });
      const want = expectedOverview(traffic, q);
      expect(o.totals).toEqual(want.totals);
      expect(o.events_by_type).toEqual(want.events_by_type);
      expect(o.daily).toEqual(want.daily);
      expect(o.top).toEqual(want.top);
      // The seeded traffic spans several values of every report (so equality above says something).
      for (const rows of Object.values(o.top)) expect(rows.length).toBeGreaterThan(1);
      expect(o.daily.filter((d) => d.events > 0).length).toBeGreaterThan(1);
    },
  );

  it('visitors by channel: overview, revenue and a one-step funnel over every event give the same numbers', async () => {
    const tz = 'UTC';
    const range = { from: localDay(now - 3 * DAY, tz), to: localDay(now, tz), tz };
    const o = await overview(site, { ...range, limit: '100' });
    const channels = Object.fromEntries(o.top.channels.map((r) => [r.value, r.visitors]));
    // First touch: each visitor once, so the rows add up to the visitors (every event has a channel).
    expect(o.top.channels.reduce((n, r) => n + r.visitors, 0)).toBe(o.totals.visitors);
    expect(o.top.channels.reduce((n, r) => n + r.pageviews, 0)).toBe(o.totals.pageviews);
    expect(Object.keys(channels).length).toBeGreaterThan(2);

    const rev = await api(
      `/api/v1/sites/${site.id}/revenue?${new URLSearchParams({ ...range, breakdown: 'channel', limit: '100' })}`,
      site.api_key,
    );
    expect(rev.status).toBe(200);
    const groups = ((await rev.json()) as RevenueResponse).breakdown?.groups ?? [];
    expect(Object.fromEntries(groups.map((g) => [g.value, g.visitors]))).toEqual(channels);

    // A funnel whose one step is any event (any with a channel, i.e. every one): every visitor enters at its first event, so the
    // breakdown by the step's channel is first touch too. (A funnel starting at a later step
    // counts its entrants by their entry's channel: a different question, labelled as such.)
    const anyEvent = { match: [{ filters: [{ column: 'channel', op: 'neq', value: '' }] }] };
    const funnel = await fetch(`${s.url}/api/v1/sites/${site.id}/funnels/query`, {
      method: 'POST',
      headers: { authorization: `Bearer ${site.api_key}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        definition: { steps: [anyEvent, anyEvent], window_seconds: 7 * 86_400 },
        ...range,
        breakdown: { dimension: { column: 'channel' }, limit: 50 },
      }),
    });
    expect(funnel.status, await funnel.clone().text()).toBe(200);
    const f = (await funnel.json()) as FunnelResult;
    expect(Object.fromEntries((f.breakdown ?? []).map((g) => [g.value, g.steps[0]?.units]))).toEqual(
      channels,
    );
  });

  it.each<Record<string, string>>([
    { channel: 'organic_search' },
    { path: '/cart' },
    { country: 'DE', device: 'mobile' },
    { path: '/checkout', utm_source: 'google' },
    { browser: 'no such browser' },
  ])('narrowed to the sessions of a segment %o, equals the oracle', async (segment) => {
    const tz = 'UTC';
    const q = { firstDay: localDay(now - 3 * DAY, tz), lastDay: localDay(now, tz), tz, limit: 100, segment };
    const o = await overview(site, { from: q.firstDay, to: q.lastDay, tz, limit: '100', ...segment });
    const want = expectedOverview(traffic, q);
    expect(o.totals).toEqual(want.totals);
    expect(o.events_by_type).toEqual(want.events_by_type);
    expect(o.daily).toEqual(want.daily);
    expect(o.top).toEqual(want.top);
    const all = expectedOverview(traffic, { ...q, segment: {} });
    // The segments say something: each keeps some sessions and drops others (but the empty one).
    if (segment.browser) expect(o.totals.sessions).toBe(0);
    else expect(o.totals.sessions).toBeGreaterThan(0);
    expect(o.totals.sessions).toBeLessThan(all.totals.sessions);
  });

  it('counts only the days of a narrower range, and cuts top lists at limit', async () => {
    const tz = 'Europe/Berlin';
    const day = localDay(now - DAY, tz);
    const o = await overview(site, { from: day, to: day, tz, limit: '3' });
    const want = expectedOverview(traffic, { firstDay: day, lastDay: day, tz, limit: 3 });
    expect(o.totals).toEqual(want.totals);
    expect(o.totals.events).toBeGreaterThan(0);
    expect(o.daily).toEqual(want.daily);
    expect(o.top).toEqual(want.top);
    expect(o.top.pages).toHaveLength(3);
  });

  it('limit=0 gives the same totals and days with empty top lists, from the counts query alone', async () => {
    const tz = 'Europe/Berlin';
    const range = { from: localDay(now - 3 * DAY, tz), to: localDay(now, tz), tz };
    const full = await overview(site, { ...range, explain: '1' });
    const bare = await overview(site, { ...range, limit: '0', explain: '1' });
    expect(bare.totals).toEqual(full.totals);
    expect(bare.daily).toEqual(full.daily);
    expect(bare.events_by_type).toEqual(full.events_by_type);
    expect(full.top.pages.length).toBeGreaterThan(0);
    for (const list of Object.values(bare.top)) expect(list).toEqual([]);
    const names = (o: OverviewResponse) => (o.explain ?? []).map((r) => r.name).sort();
    expect(names(full)).toEqual(['getOverviewCounts', 'getTopValues']);
    expect(names(bare)).toEqual(['getOverviewCounts']);
  });

  it('counts exactly the events between two instants', async () => {
    // Half a second past whole seconds: stored times are whole seconds plus the network delay.
    const from = Math.floor((now - 6 * 3_600_000) / 1000) * 1000 + 500;
    const to = Math.floor((now - 3_600_000) / 1000) * 1000 + 500;
    const tz = 'America/New_York';
    const o = await overview(site, {
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
      tz,
      limit: '100',
    });
    const firstDay = localDay(from, tz);
    const lastDay = localDay(to - 1, tz);
    const want = expectedOverview(traffic, { firstDay, lastDay, tz, limit: 100, window: [from, to] });
    expect(o.totals.events).toBeGreaterThan(0);
    expect(o.totals).toEqual(want.totals);
    expect(o.events_by_type).toEqual(want.events_by_type);
    expect(o.daily).toEqual(want.daily);
    expect(o.top).toEqual(want.top);
  });
});

/** The latest instant at or before `t` that starts a calendar day in `tz` (binary search). */
function lastMidnight(t: number, tz: string): number {
  const day = localDay(t, tz);
  let lo = t - 2 * DAY; // on an earlier day
  let hi = t; // on `day`
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (localDay(mid, tz) === day) hi = mid;
    else lo = mid;
  }
  return hi;
}

describe('time zones', () => {
  it('puts events just before and at local midnight on their local days', async () => {
    const tz = 'America/New_York';
    const site = await createSite(s, 'midnight');
    const midnight = lastMidnight(Date.now() - 120_000, tz);
    const dayBefore = localDay(midnight - 1000, tz);
    const dayAfter = localDay(midnight, tz);
    expect(dayBefore).not.toBe(dayAfter);
    // Whole seconds: the sub-second delay between sending and receiving cannot cross midnight.
    for (const [visitor, ts] of [
      ['v-late', midnight - 1000],
      ['v-early', midnight],
    ] as const) {
      const res = await postCollect(
        s,
        batch(site.site_key, [pageview({ ts, visitor_id: visitor, session_id: `s-${visitor}` })]),
      );
      expect(res.status).toBe(202);
    }

    const local = await overview(site, { from: dayBefore, to: dayAfter, tz });
    expect(local.daily.map((d) => [d.day, d.visitors, d.pageviews])).toEqual([
      [dayBefore, 1, 1],
      [dayAfter, 1, 1],
    ]);
    // In UTC both instants (04:00/05:00 UTC, give or take a second) fall on one day.
    const utcDay = localDay(midnight, 'UTC');
    const utc = await overview(site, { from: utcDay, to: utcDay });
    expect(utc.daily).toEqual([{ day: utcDay, visitors: 2, sessions: 2, pageviews: 2, events: 2 }]);
    // A range of the later local day alone leaves out the event a second before its midnight.
    const after = await overview(site, { from: dayAfter, to: dayAfter, tz });
    expect(after.totals).toEqual({ visitors: 1, sessions: 1, pageviews: 1, events: 1 });
  });
});

describe('retries', () => {
  it('counts an event sent twice (same id) once', async () => {
    const site = await createSite(s, 'retries');
    const now = Date.now();
    const view = pageview({ id: 'retry-pv', ts: now - 5000, url: 'https://shop.example/products/1' });
    const add = {
      ...pageview({ id: 'retry-add', ts: now - 3000 }),
      type: 'add_to_cart',
      items: [{ id: 'sku-1', price: 10 }],
    } as CollectEvent;
    for (const events of [[view, add], [add], [view, add]]) {
      // A later retry has a later sent_at: the server sees the same events again, a little later.
      expect((await postCollect(s, batch(site.site_key, events))).status).toBe(202);
    }
    const day = localDay(now, 'UTC');
    const o = await overview(site, { from: day, to: day });
    expect(o.totals).toEqual({ visitors: 1, sessions: 1, pageviews: 1, events: 2 });
    expect(o.events_by_type).toEqual({ pageview: 1, add_to_cart: 1 });
    expect(o.daily).toEqual([{ day, visitors: 1, sessions: 1, pageviews: 1, events: 2 }]);
    expect(o.top.pages).toEqual([{ value: '/products/1', visitors: 1, pageviews: 1 }]);
  });
});

describe('realtime', () => {
  it('counts visitors with events in the last N minutes, by event time', async () => {
    const site = await createSite(s, 'realtime');
    const now = Date.now();
    // All three batches arrive now; only their events' own times differ.
    for (const [visitor, ago] of [
      ['v-now', 60_000],
      ['v-now', 30_000],
      ['v-ten-minutes', 600_000],
      ['v-hours', 3 * 3_600_000],
    ] as const) {
      const ev = pageview({ ts: now - ago, visitor_id: visitor, session_id: `s-${visitor}` });
      expect((await postCollect(s, batch(site.site_key, [ev], now))).status).toBe(202);
    }
    const read = async (q = '') => {
      const res = await api(`/api/v1/sites/${site.id}/realtime${q}`, site.api_key);
      expect(res.status).toBe(200);
      return res.json();
    };
    expect(await read()).toEqual({ site_id: site.id, minutes: 5, visitors: 1 });
    expect(await read('?minutes=15')).toEqual({ site_id: site.id, minutes: 15, visitors: 2 });
    const bad = await api(`/api/v1/sites/${site.id}/realtime?minutes=0`, site.api_key);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as ErrorJson).error.issues?.[0]?.path).toBe('minutes');
  });
});

interface ErrorJson {
  error: { code: string; message: string; requestId: string; issues?: { path: string; code: string }[] };
}

describe('authentication', () => {
  let a: Site;
  let b: Site;
  const q = `?from=${localDay(Date.now(), 'UTC')}&to=${localDay(Date.now(), 'UTC')}`;
  beforeAll(async () => {
    a = await createSite(s, 'A');
    b = await createSite(s, 'B');
  });

  const expectError = async (res: Response, status: number, code: string) => {
    expect(res.status).toBe(status);
    const body = (await res.json()) as ErrorJson;
    expect(body.error.code).toBe(code);
    return body;
  };

  it.each(['overview', 'realtime'])('guards %s with the site API key', async (report) => {
    // realtime takes no range: a range in its query string is an unknown key (400).
    const path = (id: string) => `/api/v1/sites/${id}/${report}${report === 'overview' ? q : ''}`;
    await expectError(await api(path(a.id)), 401, 'unauthorized');
    await expectError(await api(path(a.id), 'fhk_not_a_key'), 401, 'unauthorized');
    const siteKey = await expectError(await api(path(a.id), a.site_key), 403, 'wrong_key_kind');
    expect(siteKey.error.message).toMatch(/public site key.*secret API key/);
    expect((await api(path(a.id), a.api_key)).status).toBe(200);
    const viaHeader = await fetch(`${s.url}${path(a.id)}`, { headers: { 'x-api-key': a.api_key } });
    expect(viaHeader.status).toBe(200);
  });

  it('answers a key for site A asking about site B exactly as for a site that does not exist', async () => {
    const other = await api(`/api/v1/sites/${b.id}/overview${q}`, a.api_key);
    const missing = await api(`/api/v1/sites/nosuchsite00/overview${q}`, a.api_key);
    const otherBody = await expectError(other, 404, 'not_found');
    const missingBody = await expectError(missing, 404, 'not_found');
    const shape = (r: Response, body: ErrorJson) => ({
      status: r.status,
      type: r.headers.get('content-type'),
      keys: Object.keys(body.error).sort(),
      code: body.error.code,
      message: body.error.message,
    });
    expect(shape(other, otherBody)).toEqual(shape(missing, missingBody));
  });

  it('does not take the admin key as an analytics key, and says which key to use', async () => {
    const { ADMIN_KEY } = await import('../helpers/server.ts');
    for (const path of [`/api/v1/sites/${a.id}/overview${q}`, `/api/v1/sites/${a.id}/realtime`]) {
      const body = await expectError(await api(path, ADMIN_KEY), 403, 'wrong_key_kind');
      expect(body.error.message).toMatch(/admin key.*reads no reports.*secret API key/);
    }
  });
});

describe('invalid overview queries', () => {
  let site: Site;
  beforeAll(async () => {
    site = await createSite(s, 'queries');
  });

  it.each([
    ['from', { to: '2026-03-01' }],
    ['from', { from: 'yesterday', to: '2026-03-01' }],
    ['from', { from: '2026-02-30', to: '2026-03-01' }],
    ['to', { from: '2026-03-01', to: '2026-13-01' }],
    ['to', { from: '2026-03-01', to: '2026-03-01T25:00:00Z' }],
    ['to', { from: '2026-03-01', to: '1' }],
    ['tz', { from: '2026-03-01', to: '2026-03-02', tz: 'Mars/Olympus_Mons' }],
    // Intl (ICU) still knows the SystemV zones; tzdata, and so ClickHouse, dropped them.
    ['tz', { from: '2026-03-01', to: '2026-03-02', tz: 'SystemV/EST5' }],
    ['from', { from: '2026-03-05', to: '2026-03-01' }],
    ['from', { from: '2026-03-01T12:00:00Z', to: '2026-03-01T10:00:00Z' }],
    ['limit', { from: '2026-03-01', to: '2026-03-02', limit: '-1' }],
    ['limit', { from: '2026-03-01', to: '2026-03-02', limit: '101' }],
    ['to', { from: '2000-01-01', to: '2026-03-01' }],
  ])('400 invalid_query at %s for %j', async (path, query) => {
    const res = await api(`/api/v1/sites/${site.id}/overview?${new URLSearchParams(query)}`, site.api_key);
    expect(res.status).toBe(400);
    const body = (await res.json()) as ErrorJson;
    expect(body.error.code).toBe('invalid_query');
    expect(body.error.issues?.map((i) => i.path)).toContain(path);
  });

  it('takes time zones in any case, as Intl does, and answers with their proper spelling', async () => {
    const o = await overview(site, { from: '2026-03-01', to: '2026-03-02', tz: 'america/new_york' });
    expect(o.tz).toBe('America/New_York');
    expect((await overview(site, { from: '2026-03-01', to: '2026-03-01', tz: 'utc' })).tz).toBe('UTC');
  });

  it('accepts ISO instants with an offset', async () => {
    const o = await overview(site, { from: '2026-03-01T10:00:00+01:00', to: '2026-03-01T12:30:00Z' });
    expect(o.totals.events).toBe(0);
    expect(o.daily.map((d) => d.day)).toEqual(['2026-03-01']);
  });
});
