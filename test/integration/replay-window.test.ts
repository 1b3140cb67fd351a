import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storedRows } from '../helpers/rows.ts';
import { createSite, startTestServer, type TestServer } from '../helpers/server.ts';
import { postEvents, serverPageview } from '../helpers/server-events.ts';

// Server events accepted up to 100 years back (the schema's floor is 2000-01-01), so an import
// of old data can be re-sent: the once-per-id lookup follows each row's own day.
let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({ FUNNELHOUSE_SERVER_EVENT_MAX_AGE_DAYS: '36500' });
});
afterAll(() => s.destroy());

describe('once per id, by the row time', () => {
  it('answers duplicate for a re-sent event at the same ts, long ago or recent, and stores one with a new ts', async () => {
    const site = await createSite(s);
    const old = Date.UTC(2001, 5, 1, 12);
    const recent = Date.now() - 3 * 86_400_000;
    const batch = [serverPageview(old, { id: 'old-1' }), serverPageview(recent, { id: 'recent-1' })];
    expect((await postEvents(s, site.id, site.api_key, batch)).body.results.map((r) => r.status)).toEqual([
      'stored',
      'stored',
    ]);
    const again = await postEvents(s, site.id, site.api_key, batch);
    expect(again.body.results.map((r) => r.status)).toEqual(['duplicate', 'duplicate']);
    // The same id an hour from its stored time, in a request of its own: a new event.
    const moved = await postEvents(s, site.id, site.api_key, [
      serverPageview(recent + 60 * 60_000, { id: 'old-1' }),
    ]);
    expect(moved.body.results.map((r) => r.status)).toEqual(['stored']);
    const rows = await storedRows(s, site.id);
    expect(rows.map((r) => r.event_id)).toEqual(['old-1', 'old-1', 'recent-1']);
    expect(rows.map((r) => Number(r.ts_ms)).sort((a, b) => a - b)).toEqual([
      old,
      recent,
      recent + 60 * 60_000,
    ]);
  });
});
