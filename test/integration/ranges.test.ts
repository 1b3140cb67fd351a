import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventRow, insertRows } from '../funnels/rows.ts';
import { api } from '../helpers/api.ts';
import { batch, pageview } from '../helpers/events.ts';
import { droppedFor } from '../helpers/metrics.ts';
import { storedRows } from '../helpers/rows.ts';
import { createSite, postCollect, startTestServer, type TestServer } from '../helpers/server.ts';

let s: TestServer;
let site: { id: string; api_key: string; site_key: string };
beforeAll(async () => {
  s = await startTestServer();
  site = await createSite(s, 'ranges');
});
afterAll(() => s.destroy());

const ROUTES = ['events', 'schema', 'events/export', 'overview', 'orders/summary'];
type ErrorAnswer = { error: { code: string; issues?: { path: string; code: string }[] } };

describe('every report route refuses a backwards or huge range with the same 400', () => {
  it.each(ROUTES)('%s', async (route) => {
    for (const [from, to, path] of [
      ['2026-03-10', '2026-03-01', 'from'],
      ['2000-01-01', '2099-12-31', 'to'],
    ] as const) {
      const res = await api(
        s,
        'GET',
        `/api/v1/sites/${site.id}/${route}?from=${from}&to=${to}`,
        site.api_key,
      );
      expect(res.status, `${route} ${from}..${to}`).toBe(400);
      const body = (await res.json()) as ErrorAnswer;
      expect(body.error.code).toBe('invalid_query');
      expect(body.error.issues?.map((i) => [i.path, i.code])).toEqual([[path, 'invalid_range']]);
    }
  });
});

describe('the export of a wide range', () => {
  it('pages over the events only: both ends of a ten-year range come out, an empty range is empty', async () => {
    const wide = await createSite(s, 'wide');
    const first = Date.UTC(2017, 0, 1);
    const last = Date.UTC(2026, 11, 1, 23, 59, 59, 999);
    await insertRows(s.deps.store, [
      eventRow(wide.id, { ts: first, event_id: 'first' }),
      eventRow(wide.id, { ts: last, event_id: 'last' }),
    ]);
    const url = (id: string) =>
      `/api/v1/sites/${id}/events/export?from=2017-01-01&to=2026-12-01&format=ndjson`;
    const res = await api(s, 'GET', url(wide.id), wide.api_key);
    expect(res.status).toBe(200);
    const ids = (await res.text())
      .trimEnd()
      .split('\n')
      .map((l) => (JSON.parse(l) as { event_id: string }).event_id);
    expect(ids).toEqual(['first', 'last']);
    const empty = await api(s, 'GET', url(site.id), site.api_key);
    expect(empty.status).toBe(200);
    expect(await empty.text()).toBe('');
  });
});

describe('/collect answers what it stores', () => {
  it('ids that differ only in lone surrogates are one id: the second is dropped as duplicate_id', async () => {
    const other = await createSite(s, 'surrogates');
    const before = await droppedFor(s, 'duplicate_id');
    const events = [
      pageview({ id: 'sur-\ud800' }),
      pageview({ id: 'sur-\udbff' }),
      pageview({ id: 'plain' }),
    ];
    const res = await postCollect(s, batch(other.site_key, events));
    expect(await res.json()).toEqual({
      accepted: 2,
      dropped: 1,
      dropped_by_reason: { duplicate_id: 1 },
      rejected: [],
    });
    const rows = await storedRows(s, other.id);
    expect(rows.map((r) => r.event_id)).toEqual(['plain', 'sur-\ufffd']);
    expect((await droppedFor(s, 'duplicate_id')) - before).toBe(1);
  });
});

describe('relative ranges', () => {
  const q = (path: string, query: string) =>
    api(s, 'GET', `/api/v1/sites/${site.id}/${path}?${query}`, site.api_key);
  const day = (ms: number, tz: string) =>
    new Intl.DateTimeFormat('en-CA', {
      timeZone: tz,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    }).format(ms);

  it('resolve in the zone of the request and answer with the dates they stand for', async () => {
    const tz = 'Pacific/Kiritimati'; // UTC+14: "today" there is often tomorrow in UTC
    const today = day(Date.now(), tz);
    const res = await q('overview', `range=7d&tz=${tz}`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { from: string; to: string; daily: unknown[] };
    expect(body.to).toBe(today);
    expect(body.daily).toHaveLength(7);
    const orders = (await (await q('orders/summary', 'range=today')).json()) as { from: string; to: string };
    expect(orders).toMatchObject({ from: day(Date.now(), 'UTC'), to: day(Date.now(), 'UTC') });
    const funnel = await api(s, 'POST', `/api/v1/sites/${site.id}/funnels/query`, site.api_key, {
      definition: { steps: [{ match: [{ type: 'pageview' }] }, { match: [{ type: 'purchase' }] }] },
      range: 'month',
    });
    expect(((await funnel.json()) as { from: string }).from).toBe(`${day(Date.now(), 'UTC').slice(0, 7)}-01`);
  });

  it('refuse a range given with from/to, or no range at all, with a 400 naming the parameter', async () => {
    const both = await q('overview', 'range=7d&from=2026-03-01&to=2026-03-02');
    expect(both.status).toBe(400);
    expect(
      ((await both.json()) as { error: { issues: { path: string; code: string }[] } }).error.issues,
    ).toEqual([expect.objectContaining({ path: 'range', code: 'conflicting_range' })]);
    const none = await q('events', 'limit=5');
    expect(none.status).toBe(400);
    expect(((await none.json()) as { error: { issues: { path: string }[] } }).error.issues[0]?.path).toBe(
      'from',
    );
    expect((await q('overview', 'range=fortnight')).status).toBe(400);
  });
});
