import type { DeliveriesResponse } from '@funnelhouse/schemas';
import { select } from '@funnelhouse/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventRow, insertRows } from '../funnels/rows.ts';
import { api } from '../helpers/api.ts';
import { createSite, startTestServer, type TestServer } from '../helpers/server.ts';
import { startReceiver } from './receiver.ts';

/** The delivery log keeps the last FUNNELHOUSE_WEBHOOK_LOG_ATTEMPTS attempts per site (10 here). */
const LOG = 10;
let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({
    FUNNELHOUSE_WEBHOOK_ALLOW_PRIVATE: '1', // the receiver is on 127.0.0.1
    FUNNELHOUSE_WEBHOOK_POLL_MS: '0',
    FUNNELHOUSE_WEBHOOK_RETRY_MS: '10',
    FUNNELHOUSE_WEBHOOK_MAX_ATTEMPTS: '4',
    FUNNELHOUSE_WEBHOOK_LOG_ATTEMPTS: String(LOG),
    FUNNELHOUSE_WEBHOOK_BREAKER_FAILURES: '0', // every attempt fails here on purpose
  });
}, 180_000);
afterAll(() => s.destroy());

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Attempt rows of a site in the table: live ones, and every key ever written (deleted or not). */
async function attemptRows(site: string) {
  const [r] = await select<{ live: string; keys: string }>(
    s.deps.store,
    `SELECT countIf(deleted = 0) AS live, count() AS keys
     FROM {db:Identifier}.site_state_v1 FINAL
     WHERE site_id = {site:String} AND kind = 'attempt'`,
    { site },
  );
  return { live: Number(r?.live), keys: Number(r?.keys) };
}

async function setupFailing(carts: number) {
  const rx = await startReceiver({ answer: () => 500 });
  const site = await createSite(s);
  const path = `/api/v1/sites/${site.id}/webhooks/recovery`;
  expect(
    (await api(s, 'PUT', path, site.api_key, { url: rx.url, inactivity_timeout: 1, recovery_window: 3600 }))
      .status,
  ).toBe(201);
  const now = Date.now();
  await insertRows(
    s.deps.store,
    Array.from({ length: carts }, (_, i) =>
      eventRow(site.id, { ts: now - i, type: 'add_to_cart', cart_id: `c${i}`, revenue: 5, currency: 'EUR' }),
    ),
  );
  await sleep(1100);
  const deliveries = async () =>
    (
      (await (
        await api(s, 'GET', `${path}/deliveries?limit=1000`, site.api_key)
      ).json()) as DeliveriesResponse
    ).deliveries;
  return { rx, site, deliveries };
}

async function settle(deliveries: () => Promise<DeliveriesResponse['deliveries']>, n: number) {
  // Bounded by a count of passes, not by time.
  for (let i = 0; i < 80; i++) {
    await s.webhooks.runOnce();
    const ds = await deliveries();
    if (ds.length === n && ds.every((d) => d.status === 'failed')) return ds;
    await sleep(15);
  }
  return deliveries();
}

describe('the delivery log bound', () => {
  it('keeps the last N attempts of a site, the newest, and no more keys than N', async () => {
    // 6 carts × 4 attempts = 24 attempts, more than twice the log.
    const { rx, site, deliveries } = await setupFailing(6);
    const ds = await settle(deliveries, 6);
    expect(ds.map((d) => d.status)).toEqual(Array(6).fill('failed'));
    expect(rx.got).toHaveLength(24);
    const logged = ds.flatMap((d) => d.attempts.map((a) => ({ id: d.delivery_id, ...a })));
    expect(logged).toHaveLength(LOG);
    // The ones kept are the 10 newest the receiver saw (by delivery id and attempt number).
    const seen = new Map<string, number>();
    const received = rx.got.map((g) => {
      const n = (seen.get(g.id) ?? 0) + 1;
      seen.set(g.id, n);
      return `${g.id}#${n}`;
    });
    expect(logged.map((a) => `${a.id}#${a.attempt}`).sort()).toEqual(received.slice(-LOG).sort());
    expect(await attemptRows(site.id)).toEqual({ live: LOG, keys: LOG });
    await rx.close();
  });

  it('trims a log written in the earlier layout (one key per attempt) to the newest N', async () => {
    const { rx, site, deliveries } = await setupFailing(1);
    // 15 attempts of the earlier layout, as a server before the ring wrote them.
    const old = Array.from({ length: 15 }, (_, i) => ({
      site_id: site.id,
      kind: 'attempt',
      key: `dlv_old:${String(i + 1).padStart(3, '0')}`,
      value: JSON.stringify({
        delivery_id: 'dlv_old',
        attempt: i + 1,
        at: 1_700_000_000_000 + i * 1000,
        status_code: 500,
        error: null,
        duration_ms: 3,
      }),
      updated_at: 1_700_000_000_000 + i * 1000,
      deleted: 0,
    }));
    await s.deps.store.ch.insert({
      table: `${s.deps.store.db}.site_state_v1`,
      values: old,
      format: 'JSONEachRow',
    });
    expect(await attemptRows(site.id)).toEqual({ live: 15, keys: 15 });
    // A fresh worker (a restart) sees the site: the 10 newest old attempts move into the ring,
    // then its own 4 attempts replace the 4 oldest of them.
    s = await s.restart();
    const ds = await settle(deliveries, 1);
    expect(ds[0]?.attempts.map((a) => a.status_code)).toEqual([500, 500, 500, 500]);
    const counts = await attemptRows(site.id);
    expect(counts.live).toBe(LOG);
    const rows = await select<{ value: string }>(
      s.deps.store,
      `SELECT value FROM {db:Identifier}.site_state_v1 FINAL
       WHERE site_id = {site:String} AND kind = 'attempt' AND deleted = 0`,
      { site: site.id },
    );
    const oldKept = rows
      .map((r) => JSON.parse(r.value) as { delivery_id: string; attempt: number })
      .filter((a) => a.delivery_id === 'dlv_old')
      .map((a) => a.attempt)
      .sort((a, b) => a - b);
    expect(oldKept).toEqual([10, 11, 12, 13, 14, 15]);
    await rx.close();
  });
});
