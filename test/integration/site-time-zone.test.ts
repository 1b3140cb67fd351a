import type { OverviewResponse, SiteSummary } from '@funnelhouse/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventRow, insertRows } from '../funnels/rows.ts';
import { admin, api } from '../helpers/api.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(() => s.destroy());

type Made = SiteSummary & { api_key: string };
type ErrorAnswer = { error: { code: string; issues?: { path: string; code: string }[] } };

// 2026-03-10 in Berlin is UTC+1 (summer time starts on 29 March): 00:30 Berlin is 23:30 UTC the day before.
const BERLIN_EARLY = Date.UTC(2026, 2, 9, 23, 30); // 10 March in Berlin, 9 March in UTC
const NOON = Date.UTC(2026, 2, 10, 12, 0); // 10 March in both
const UTC_LATE = Date.UTC(2026, 2, 10, 23, 30); // 10 March in UTC, 11 March in Berlin

async function seeded(made: { id: string }): Promise<void> {
  await insertRows(s.deps.store, [
    eventRow(made.id, { ts: BERLIN_EARLY, visitor_id: 'early', session_id: 'early' }),
    eventRow(made.id, { ts: NOON, visitor_id: 'noon', session_id: 'noon' }),
    eventRow(made.id, { ts: UTC_LATE, visitor_id: 'late', session_id: 'late' }),
  ]);
}

async function overview(made: Made, query: string): Promise<OverviewResponse> {
  const res = await api(s, 'GET', `/api/v1/sites/${made.id}/overview?${query}`, made.api_key);
  expect(res.status, query).toBe(200);
  return (await res.json()) as OverviewResponse;
}

/** The overview's zone, totals and daily rows: the parts that depend on the day bounds. */
const bounds = (o: OverviewResponse) => ({ tz: o.tz, totals: o.totals, daily: o.daily });

describe('a site time zone', () => {
  it('is UTC unless set, is kept in the engine spelling and shows in the site list and key info', async () => {
    const plain = (await (await admin(s, 'POST', '/api/v1/sites', { name: 'plain' })).json()) as Made;
    expect(plain.time_zone).toBe('UTC');
    const res = await admin(s, 'POST', '/api/v1/sites', { name: 'berlin', time_zone: 'europe/berlin' });
    expect(res.status).toBe(201);
    const made = (await res.json()) as Made;
    expect(made.time_zone).toBe('Europe/Berlin');
    const list = (await (await admin(s, 'GET', '/api/v1/sites')).json()) as { sites: SiteSummary[] };
    expect(list.sites.find((x) => x.id === made.id)?.time_zone).toBe('Europe/Berlin');
    const key = (await (await api(s, 'GET', '/api/v1/key', made.api_key)).json()) as { site: SiteSummary };
    expect(key.site.time_zone).toBe('Europe/Berlin');
  });

  it('sets the day bounds of a report without tz; an explicit tz still wins', async () => {
    const res = await admin(s, 'POST', '/api/v1/sites', {
      name: 'created in Berlin',
      time_zone: 'Europe/Berlin',
    });
    const made = (await res.json()) as Made;
    await seeded(made);
    const day = 'from=2026-03-10&to=2026-03-10';
    const own = await overview(made, day);
    const berlin = await overview(made, `${day}&tz=Europe/Berlin`);
    const utc = await overview(made, `${day}&tz=UTC`);
    expect(own.tz).toBe('Europe/Berlin');
    expect(bounds(own)).toEqual(bounds(berlin));
    // Berlin's 10 March holds the early and the noon visitor; UTC's holds the noon and the late one.
    expect(own.totals.visitors).toBe(2);
    expect(utc.tz).toBe('UTC');
    expect(utc.totals.visitors).toBe(2);
    expect(bounds(utc)).not.toEqual(bounds(own));
    const segment = await overview(made, `${day}&path=/`);
    expect([segment.tz, segment.totals.visitors]).toEqual(['Europe/Berlin', 2]);
    // One event of each zone's day is outside the other's: a narrower window tells them apart.
    const lateInUtc = await overview(made, 'from=2026-03-10T23:00:00Z&to=2026-03-11T00:00:00Z&tz=UTC');
    expect(lateInUtc.totals.visitors).toBe(1);
    const elevenths = await overview(made, 'from=2026-03-11&to=2026-03-11');
    const eleventhsUtc = await overview(made, 'from=2026-03-11&to=2026-03-11&tz=UTC');
    expect([elevenths.totals.visitors, eleventhsUtc.totals.visitors]).toEqual([1, 0]);
  });

  it.each([
    'orders/summary?range=7d',
    'revenue?range=7d',
    'carts/abandonment?range=7d',
    'carts/abandoned?range=7d',
    'forecast?days=7',
  ])('%s answers in the site zone without tz, in the asked one with it', async (route) => {
    const res = await admin(s, 'POST', '/api/v1/sites', { name: route, time_zone: 'Asia/Tokyo' });
    const made = (await res.json()) as Made;
    const get = async (q: string) => {
      const r = await api(s, 'GET', `/api/v1/sites/${made.id}/${route}${q}`, made.api_key);
      expect(r.status, `${route}${q}`).toBe(200);
      return ((await r.json()) as { tz: string }).tz;
    };
    expect(await get('')).toBe('Asia/Tokyo');
    expect(await get('&tz=America/New_York')).toBe('America/New_York');
  });

  it('applies once a site is changed to a zone, and back', async () => {
    const made = (await (await admin(s, 'POST', '/api/v1/sites', { name: 'changed' })).json()) as Made;
    await seeded(made);
    const day = 'from=2026-03-09&to=2026-03-09';
    expect((await overview(made, day)).totals.visitors).toBe(1); // the early visitor: 9 March in UTC
    const patched = await admin(s, 'PATCH', `/api/v1/sites/${made.id}`, { time_zone: 'Europe/Berlin' });
    expect(patched.status).toBe(200);
    expect(((await patched.json()) as SiteSummary).time_zone).toBe('Europe/Berlin');
    const after = await overview(made, day);
    expect([after.tz, after.totals.visitors]).toEqual(['Europe/Berlin', 0]);
    expect(bounds(await overview(made, 'from=2026-03-10&to=2026-03-10'))).toEqual(
      bounds(await overview(made, 'from=2026-03-10&to=2026-03-10&tz=Europe/Berlin')),
    );
    expect((await overview(made, `${day}&tz=UTC`)).totals.visitors).toBe(1);
    await admin(s, 'PATCH', `/api/v1/sites/${made.id}`, { time_zone: 'UTC' });
    expect((await overview(made, day)).totals.visitors).toBe(1);
  });

  it('refuses a zone nobody knows with a 400 at time_zone, on create and on change', async () => {
    const created = await admin(s, 'POST', '/api/v1/sites', {
      name: 'nowhere',
      time_zone: 'Mars/Olympus_Mons',
    });
    expect(created.status).toBe(400);
    const cb = (await created.json()) as ErrorAnswer;
    expect(cb.error.code).toBe('invalid_body');
    expect(cb.error.issues?.map((i) => i.path)).toEqual(['time_zone']);
    const made = (await (await admin(s, 'POST', '/api/v1/sites', { name: 'kept' })).json()) as Made;
    const changed = await admin(s, 'PATCH', `/api/v1/sites/${made.id}`, { time_zone: 'Mars/Olympus_Mons' });
    expect(changed.status).toBe(400);
    expect(((await changed.json()) as ErrorAnswer).error.code).toBe('invalid_body');
    const key = (await (await api(s, 'GET', '/api/v1/key', made.api_key)).json()) as { site: SiteSummary };
    expect(key.site.time_zone).toBe('UTC');
  });
});
