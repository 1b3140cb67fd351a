import type { DeliveriesResponse, WebhookResponse } from '@funnelhouse/schemas';
import type { EventRow } from '@funnelhouse/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventRow, insertRows } from '../funnels/rows.ts';
import { api } from '../helpers/api.ts';
import { createSite, startTestServer, type TestServer } from '../helpers/server.ts';
import { startReceiver } from './receiver.ts';

let s: TestServer;
beforeAll(async () => {
  // The worker does not poll by itself here: each test runs passes with `runOnce`. The receiver
  // is on 127.0.0.1, which only a server with private addresses allowed may post to.
  s = await startTestServer({
    FUNNELHOUSE_WEBHOOK_ALLOW_PRIVATE: '1',
    FUNNELHOUSE_WEBHOOK_POLL_MS: '0',
    FUNNELHOUSE_WEBHOOK_RETRY_MS: '20',
    FUNNELHOUSE_WEBHOOK_MAX_ATTEMPTS: '3',
    // Failures in a row on purpose: no breaker (its test is webhook_head_of_line.test.ts).
    FUNNELHOUSE_WEBHOOK_BREAKER_FAILURES: '0',
  });
}, 180_000);
afterAll(() => s.destroy());

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const item = { id: 'p1', name: 'Cup', price: 12, quantity: 2, category: '', variant: '' };

async function setup(url: string) {
  const site = await createSite(s);
  const res = await api(s, 'PUT', `/api/v1/sites/${site.id}/webhooks/recovery`, site.api_key, {
    url,
    inactivity_timeout: 1,
    recovery_window: 3600,
  });
  expect(res.status).toBe(201);
  const hook = (await res.json()) as WebhookResponse;
  expect(hook.secret).toMatch(/^whsec_/);
  const cart = (cart_id: string, over: Partial<EventRow> = {}) =>
    eventRow(site.id, {
      ts: Date.now(),
      source: 'browser',
      type: 'add_to_cart',
      cart_id,
      currency: 'EUR',
      items: [item],
      visitor_id: `v-${cart_id}`,
      user_id: `u-${cart_id}`,
      ...over,
    });
  return { site, hook, cart };
}

describe('the recovery webhook', () => {
  it('announces each abandoned cart once, signed, and each recovery once more', async () => {
    const rx = await startReceiver();
    const { site, hook, cart } = await setup(rx.url);
    rx.setSecret(hook.secret as string);
    // The secret is shown once.
    const shown = (await (
      await api(s, 'GET', `/api/v1/sites/${site.id}/webhooks/recovery`, site.api_key)
    ).json()) as WebhookResponse;
    expect(shown.secret).toBeUndefined();
    expect(shown).toMatchObject({ url: rx.url, inactivity_timeout: 1 });

    await insertRows(s.deps.store, [cart('k1'), cart('k2'), cart('k3', { items: [], revenue: 0 })]);
    await s.webhooks.runOnce();
    expect(rx.got).toEqual([]); // younger than the timeout: open
    await sleep(1100);
    await s.webhooks.runOnce();
    await s.webhooks.runOnce();
    // k3 has no value: empty, never abandoned.
    expect(rx.got.map((g) => [g.event, (g.body.cart as { cart_id: string }).cart_id]).sort()).toEqual([
      ['cart.abandoned', 'k1'],
      ['cart.abandoned', 'k2'],
    ]);
    for (const g of rx.got) {
      expect(g.signatureOk).toBe(true);
      expect(g.body.delivery_id).toBe(g.id);
      expect(Math.abs(g.timestamp - Date.now() / 1000)).toBeLessThan(30);
    }
    expect(rx.got[0]?.body).toMatchObject({
      site_id: site.id,
      event: 'cart.abandoned',
      cart: { value: 24, currency: 'EUR', items: [item], status: 'abandoned' },
    });
    expect(rx.got[0]?.body.cart).toMatchObject({ visitor_id: expect.stringMatching(/^v-k/) });

    // k1 is bought: one cart.recovered, signed with the same secret.
    await insertRows(s.deps.store, [
      eventRow(site.id, {
        ts: Date.now(),
        source: 'server',
        type: 'purchase',
        cart_id: 'k1',
        order_id: 'o1',
        revenue: 24,
        currency: 'EUR',
      }),
    ]);
    await s.webhooks.runOnce();
    await s.webhooks.runOnce();
    const recovered = rx.got.filter((g) => g.event === 'cart.recovered');
    expect(recovered).toHaveLength(1);
    expect(recovered[0]?.body).toMatchObject({
      cart: { cart_id: 'k1', status: 'recovered', order: { order_id: 'o1', revenue: 24 } },
    });
    expect(recovered[0]?.signatureOk).toBe(true);
    expect(new Set(rx.got.map((g) => g.id)).size).toBe(3);
    expect(rx.got).toHaveLength(3);

    const log = (await (
      await api(s, 'GET', `/api/v1/sites/${site.id}/webhooks/recovery/deliveries`, site.api_key)
    ).json()) as DeliveriesResponse;
    expect(log.deliveries).toHaveLength(3);
    for (const d of log.deliveries)
      expect(d).toMatchObject({
        status: 'delivered',
        next_attempt_at: null,
        attempts: [{ attempt: 1, status_code: 200, error: null }],
      });
    await rx.close();
  });

  it('retries failures with backoff under the same delivery id, logs every attempt, gives up after the maximum', async () => {
    // k1's delivery fails twice then succeeds; k2's always fails.
    const cartOf = (b: Record<string, unknown>) => (b.cart as { cart_id: string }).cart_id;
    const rx = await startReceiver({
      answer: (n, _id, b) => (cartOf(b) === 'k2' ? 503 : n <= 2 ? 500 : 204),
    });
    const { site, hook, cart } = await setup(rx.url);
    rx.setSecret(hook.secret as string);
    await insertRows(s.deps.store, [cart('k1'), cart('k2', { ts: Date.now() - 1 })]);
    await sleep(1100);
    const deliveries = async () =>
      (
        (await (
          await api(s, 'GET', `/api/v1/sites/${site.id}/webhooks/recovery/deliveries`, site.api_key)
        ).json()) as DeliveriesResponse
      ).deliveries;
    // Passes until nothing is pending; bounded by a count of passes, not by time.
    for (let i = 0; i < 50; i++) {
      await s.webhooks.runOnce();
      const ds = await deliveries();
      if (ds.length === 2 && ds.every((d) => d.status !== 'pending')) break;
      await sleep(30);
    }
    const ds = await deliveries();
    const k1 = ds.find((d) => d.cart_id === 'k1');
    const k2 = ds.find((d) => d.cart_id === 'k2');
    expect(k1?.status).toBe('delivered');
    expect(k1?.attempts.map((a) => a.status_code)).toEqual([500, 500, 204]);
    expect(k2?.status).toBe('failed');
    expect(k2?.attempts.map((a) => a.status_code)).toEqual([503, 503, 503]);
    // Backoff: the second wait is about twice the first (20 ms, 40 ms).
    const at = (k1?.attempts ?? []).map((a) => Date.parse(a.at));
    expect((at[1] ?? 0) - (at[0] ?? 0)).toBeGreaterThanOrEqual(20);
    expect((at[2] ?? 0) - (at[1] ?? 0)).toBeGreaterThanOrEqual(40);
    expect(new Set(rx.got.filter((g) => g.id === k1?.delivery_id).map((g) => g.body.delivery_id))).toEqual(
      new Set([k1?.delivery_id]),
    );
    expect(rx.got.every((g) => g.signatureOk)).toBe(true);
    await rx.close();
  });

  it('logs a receiver that does not answer as an error, and validates the configuration', async () => {
    const site = await createSite(s);
    const path = `/api/v1/sites/${site.id}/webhooks/recovery`;
    expect((await api(s, 'GET', path, site.api_key)).status).toBe(404);
    for (const body of [
      { url: 'ftp://x' },
      { url: 'https://x', inactivity_timeout: 0 },
      { url: 'https://x', extra: 1 },
    ]) {
      const res = await api(s, 'PUT', path, site.api_key, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    const created = (await (
      await api(s, 'PUT', path, site.api_key, { url: 'http://127.0.0.1:9/closed', inactivity_timeout: 1 })
    ).json()) as WebhookResponse;
    // A second PUT keeps the secret unless asked to rotate it.
    const again = await api(s, 'PUT', path, site.api_key, {
      url: 'http://127.0.0.1:9/closed',
      inactivity_timeout: 1,
    });
    expect(again.status).toBe(200);
    expect(((await again.json()) as WebhookResponse).secret).toBeUndefined();
    const rotated = (await (
      await api(s, 'PUT', path, site.api_key, {
        url: 'http://127.0.0.1:9/closed',
        inactivity_timeout: 1,
        rotate_secret: true,
      })
    ).json()) as WebhookResponse;
    expect(rotated.secret).toMatch(/^whsec_/);
    expect(rotated.secret).not.toBe(created.secret);
    await insertRows(s.deps.store, [
      eventRow(site.id, { ts: Date.now(), type: 'add_to_cart', cart_id: 'z', revenue: 5, currency: 'EUR' }),
    ]);
    await sleep(1100);
    await s.webhooks.runOnce();
    const log = (await (
      await api(s, 'GET', `${path}/deliveries`, site.api_key)
    ).json()) as DeliveriesResponse;
    expect(log.deliveries[0]?.attempts[0]).toMatchObject({ status_code: null, error: expect.any(String) });
    expect(log.deliveries[0]?.status).toBe('pending');
    expect((await api(s, 'DELETE', path, site.api_key)).status).toBe(204);
    expect((await api(s, 'GET', path, site.api_key)).status).toBe(404);
  });
});
