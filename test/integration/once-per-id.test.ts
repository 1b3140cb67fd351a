import type { CollectEvent } from '@funnelhouse/schemas';
import { select } from '@funnelhouse/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batch, pageview } from '../helpers/events.ts';
import { storedRows } from '../helpers/rows.ts';
import { createSite, postCollect, startTestServer, type TestServer } from '../helpers/server.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(() => s.destroy());

const purchase = (id: string, revenue: number, ts = Date.now() - 1000): CollectEvent => ({
  id,
  type: 'purchase',
  ts,
  url: 'https://shop.example/thanks',
  visitor_id: 'v-1',
  session_id: 's-1',
  order_id: `o-${id}`,
  revenue,
  currency: 'EUR',
});

describe('once per event id, first stored version wins', () => {
  it('keeps the first revenue when a retry repeats the id with other values and a ts moved within the margin', async () => {
    const site = await createSite(s);
    const ts = Date.now() - 10 * 60_000;
    expect((await postCollect(s, batch(site.site_key, [purchase('order-1', 10, ts)]))).status).toBe(202);
    // A retry whose device clock was corrected by 4 minutes in between (margin: 5 minutes).
    const forged = purchase('order-1', 9999, ts - 4 * 60_000);
    const again = await postCollect(s, batch(site.site_key, [forged, pageview({ id: 'pv-2' })]));
    expect(again.status).toBe(202); // the client learns nothing: same answer as a first send
    const rows = await storedRows(s, site.id);
    expect(rows.map((r) => [r.event_id, r.revenue])).toEqual([
      ['order-1', 10],
      ['pv-2', 0],
    ]);
  });

  it('stores an id sent again with a ts beyond the margin as a new event (not a retry)', async () => {
    const site = await createSite(s);
    const ts = Date.now() - 60_000;
    await postCollect(s, batch(site.site_key, [purchase('order-2', 10, ts)]));
    await postCollect(s, batch(site.site_key, [purchase('order-2', 20, ts - 6 * 60_000)]));
    await postCollect(s, batch(site.site_key, [purchase('order-2', 30, ts - 50 * 3_600_000)]));
    const rows = await storedRows(s, site.id);
    expect(rows.map((r) => Number(r.revenue)).sort((a, b) => a - b)).toEqual([10, 20, 30]);
  });

  it('keeps the first of an id repeated inside one batch', async () => {
    const site = await createSite(s);
    const res = await postCollect(
      s,
      batch(site.site_key, [
        purchase('dup', 1),
        purchase('dup', 2),
        purchase('other', 3),
        purchase('dup', 4),
      ]),
    );
    expect(res.status).toBe(202);
    const rows = await storedRows(s, site.id);
    expect(rows.map((r) => [r.event_id, r.revenue])).toEqual([
      ['dup', 1],
      ['other', 3],
    ]);
  });

  it('treats the same id on two sites as two events', async () => {
    const a = await createSite(s);
    const b = await createSite(s);
    await postCollect(s, batch(a.site_key, [purchase('shared', 5)]));
    await postCollect(s, batch(b.site_key, [purchase('shared', 6)]));
    expect((await storedRows(s, a.id)).map((r) => r.revenue)).toEqual([5]);
    expect((await storedRows(s, b.id)).map((r) => r.revenue)).toEqual([6]);
  });

  it('counts dropped repeats in /metrics', async () => {
    const site = await createSite(s);
    const ev = purchase('m-1', 1);
    for (let i = 0; i < 3; i++) await postCollect(s, batch(site.site_key, [ev]));
    expect(await storedRows(s, site.id)).toHaveLength(1);
    const text = await (await fetch(`${s.url}/metrics`)).text();
    const dup = Number(/^funnelhouse_events_duplicate_total (\d+)/m.exec(text)?.[1]);
    expect(dup).toBeGreaterThanOrEqual(2);
  });

  it('has a bloom filter index on event_id for the stored-id check', async () => {
    const idx = await select<{ name: string; type: string }>(
      s.deps.store,
      `SELECT name, type FROM system.data_skipping_indices
       WHERE database = {db:String} AND table = 'events_v1'`,
      { db: s.deps.store.db },
    );
    expect(idx).toContainEqual({ name: 'event_id_bloom', type: 'bloom_filter' });
  });
});

describe('events_v1 settings for durability', () => {
  it('fsyncs every insert (the spool deletes segments once their insert returned)', async () => {
    const [row] = await select<{ create: string }>(
      s.deps.store,
      `SELECT create_table_query AS create FROM system.tables WHERE database = {db:String} AND name = 'events_v1'`,
      { db: s.deps.store.db },
    );
    expect(row?.create).toMatch(/fsync_after_insert = 1/);
    expect(row?.create).toMatch(/fsync_part_directory = 1/);
    expect(row?.create).toMatch(/non_replicated_deduplication_window = 10000/);
  });
});
