import { rmSync, writeFileSync } from 'node:fs';
import type { CollectEvent, OrdersSummaryResponse } from '@funnelhouse/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batch } from '../helpers/events.ts';
import { storedRows } from '../helpers/rows.ts';
import { createSite, postCollect, startTestServer, type TestServer } from '../helpers/server.ts';
import { daysAgo, postEvents } from '../helpers/server-events.ts';

// Real acknowledgement timing (answered once fsynced in the spool, not once in ClickHouse), and a
// switch that makes inserts fail while a flag file exists, so rows can be held in the spool.
let s: TestServer;
let flag: string;
beforeAll(async () => {
  s = await startTestServer({ FUNNELHOUSE_TEST_ACK_AFTER_STORE: '0', FUNNELHOUSE_TEST_FAIL_INSERTS: '1' });
  flag = `${s.dataDir}/test-fail-inserts`;
});
afterAll(async () => {
  rmSync(flag, { force: true });
  await s.destroy();
});

const paid = (id: string, revenue: number): CollectEvent => ({
  id,
  type: 'purchase',
  ts: Date.now() - 1000,
  url: 'https://shop.example/thanks',
  visitor_id: 'v-1',
  session_id: 's-1',
  order_id: 'ord-1042',
  revenue,
  currency: 'EUR',
});

async function orders(site: { id: string; api_key: string }): Promise<OrdersSummaryResponse> {
  const q = `from=${daysAgo(1).day}&to=${daysAgo(0).day}`;
  const res = await fetch(`${s.url}/api/v1/sites/${site.id}/orders/summary?${q}`, {
    headers: { authorization: `Bearer ${site.api_key}` },
  });
  return (await res.json()) as OrdersSummaryResponse;
}

describe('event ids from the browser and from the site’s servers', () => {
  it('a page visitor cannot take the id of a later server event: the webhook row is stored', async () => {
    const site = await createSite(s);
    // The attacker posts the README's own id pattern with a tiny revenue, before the webhook.
    expect((await postCollect(s, batch(site.site_key, [paid('ord-1042-paid', 0.01)]))).status).toBe(202);
    await s.deps.ingest.drained();
    const { body } = await postEvents(s, site.id, site.api_key, [paid('ord-1042-paid', 59.9)]);
    expect(body.results.map((r) => r.status)).toEqual(['stored']);

    const rows = await storedRows(s, site.id);
    expect(rows.map((r) => [r.source, r.revenue]).sort()).toEqual([
      ['browser', 0.01],
      ['server', 59.9],
    ]);
    const sum = await orders(site);
    expect(sum.totals).toEqual({ orders: 1, browser_only: 0, server_confirmed: 1, server_only: 0 });
    expect(sum.by_currency[0]?.revenue).toBe(59.9);
    // Two rows, one per space: reports count both events.
    const q = `from=${daysAgo(1).day}&to=${daysAgo(0).day}`;
    const res = await fetch(`${s.url}/api/v1/sites/${site.id}/overview?${q}`, {
      headers: { authorization: `Bearer ${site.api_key}` },
    });
    expect(((await res.json()) as { totals: { events: number } }).totals.events).toBe(2);
  });

  it('a browser event cannot drop a server row either, in the other order or in one flush', async () => {
    const site = await createSite(s);
    writeFileSync(flag, ''); // hold everything in the spool, so both land in one flush batch
    await postEvents(s, site.id, site.api_key, [paid('same-id', 59.9)]);
    await postCollect(s, batch(site.site_key, [paid('same-id', 0.01)]));
    rmSync(flag);
    const rows = await storedRows(s, site.id);
    expect(rows.map((r) => [r.source, r.revenue]).sort()).toEqual([
      ['browser', 0.01],
      ['server', 59.9],
    ]);
  });

  it('answers duplicate for a server event sent again before the first was flushed', async () => {
    const site = await createSite(s);
    writeFileSync(flag, '');
    const first = await postEvents(s, site.id, site.api_key, [paid('hook-1', 10)]);
    const again = await postEvents(s, site.id, site.api_key, [paid('hook-1', 99)]);
    expect(first.body.results.map((r) => r.status)).toEqual(['stored']);
    expect(again.body.results.map((r) => r.status)).toEqual(['duplicate']);
    expect(s.deps.ingest.unflushed.size).toBeGreaterThan(0);
    rmSync(flag);
    const rows = await storedRows(s, site.id);
    expect(rows.map((r) => r.revenue)).toEqual([10]);
    expect(s.deps.ingest.unflushed.size).toBe(0);
  });

  it('after a restart, waits for the replayed spool before answering, so a re-send is a duplicate', async () => {
    const site = await createSite(s);
    writeFileSync(flag, '');
    await postEvents(s, site.id, site.api_key, [paid('hook-2', 10)]);
    s = await s.restart(); // the row is still in the spool: replayed by the new process
    const again = postEvents(s, site.id, site.api_key, [paid('hook-2', 99)]);
    await new Promise((r) => setTimeout(r, 300));
    rmSync(flag);
    expect((await again).body.results.map((r) => r.status)).toEqual(['duplicate']);
    const rows = await storedRows(s, site.id);
    expect(rows.map((r) => r.revenue)).toEqual([10]);
  });
});
