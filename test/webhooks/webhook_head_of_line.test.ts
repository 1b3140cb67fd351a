import type { DeliveriesResponse, WebhookResponse } from '@funnelhouse/schemas';
import { createLogger, startWebhookWorker } from '@funnelhouse/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventRow, insertRows } from '../funnels/rows.ts';
import { api } from '../helpers/api.ts';
import { createSite, startTestServer, type TestServer } from '../helpers/server.ts';
import { startReceiver } from './receiver.ts';

/**
 * Hostile-corpus class `webhook_head_of_line` (`test/corpus/types.ts`): one site's receiver that
 * never answers, with many abandoned carts (anyone can make them through `/collect`), must not
 * delay the other sites' webhooks. The corpus runner sends one request and checks its answer,
 * so it cannot hold a receiver open while a worker passes: the class is this file.
 *
 * Real receivers on 127.0.0.1, real chdb; each test runs its own worker with a clock it sets, and
 * its sites are the only ones with a webhook while it runs. Everything is bounded by counts: the
 * waits poll a bounded number of times, the assertions are on what was received and recorded.
 */
let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({ FUNNELHOUSE_WEBHOOK_ALLOW_PRIVATE: '1', FUNNELHOUSE_WEBHOOK_POLL_MS: '0' });
}, 180_000);
afterAll(() => s.destroy());

const MIN = 60_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Polls `ok` up to `tries` times, 10 ms apart; returns whether it came true. */
async function until(ok: () => boolean | Promise<boolean>, tries = 1000): Promise<boolean> {
  for (let i = 0; i < tries; i++) {
    if (await ok()) return true;
    await sleep(10);
  }
  return false;
}
const cartOf = (b: Record<string, unknown>) => (b.cart as { cart_id: string }).cart_id;

/** `n` sites, in the order the worker visits them (by id), each without a webhook yet. */
async function sites(n: number) {
  const out = await Promise.all(Array.from({ length: n }, () => createSite(s)));
  return out.sort((a, b) => (a.id < b.id ? -1 : 1));
}

/** Gives `site` a webhook to `url` with `carts` abandoned carts; its setup time and its log. */
async function hook(site: { id: string; api_key: string }, url: string, carts: number) {
  const path = `/api/v1/sites/${site.id}/webhooks/recovery`;
  const res = await api(s, 'PUT', path, site.api_key, { url, inactivity_timeout: 1, recovery_window: 3600 });
  expect(res.status).toBe(201);
  const h = (await res.json()) as WebhookResponse;
  const t0 = Date.parse(h.created_at);
  await insertRows(
    s.deps.store,
    Array.from({ length: carts }, (_, i) =>
      eventRow(site.id, {
        ts: t0 + 1000 + i,
        type: 'add_to_cart',
        cart_id: `c${i}`,
        revenue: 5,
        currency: 'EUR',
      }),
    ),
  );
  const deliveries = async () =>
    (
      (await (
        await api(s, 'GET', `${path}/deliveries?limit=1000`, site.api_key)
      ).json()) as DeliveriesResponse
    ).deliveries;
  const remove = async () => expect((await api(s, 'DELETE', path, site.api_key)).status).toBe(204);
  return { t0, secret: h.secret as string, deliveries, remove };
}

function worker(clock: { now: number }, over: Partial<TestServer['config']['webhooks']>) {
  const config = {
    ...s.config.webhooks,
    pollMs: 0,
    maxAttempts: 10,
    retryMs: 1000,
    timeoutMs: 60_000,
    ...over,
  };
  return startWebhookWorker(s.deps.store, config, createLogger('silent'), { now: () => clock.now });
}

describe('a receiver that never answers', () => {
  it('holds only its own site’s share: another site is delivered while its requests hang', async () => {
    const [a, b] = await sites(2);
    if (!a || !b) throw new Error('two sites');
    const rxA = await startReceiver({ hold: true }); // A comes first in every pass
    const rxB = await startReceiver();
    const A = await hook(a, rxA.url, 20);
    const B = await hook(b, rxB.url, 1);
    rxA.setSecret(A.secret);
    rxB.setSecret(B.secret);
    const clock = { now: Math.max(A.t0, B.t0) + MIN };
    const w = worker(clock, { concurrency: 4, siteConcurrency: 2, breakerFailures: 0 });
    const pass = w.runOnce();
    try {
      const bDelivered = async () => (await B.deliveries())[0]?.status === 'delivered';
      expect(await until(() => rxB.got.length === 1), 'B received while A hangs').toBe(true);
      expect(await until(bDelivered, 100), 'and recorded as delivered').toBe(true);
      expect(await until(() => rxA.open === 2)).toBe(true);
      // Within the same pass: A has its two requests held open, none answered, nothing more sent.
      expect(rxB.got).toHaveLength(1);
      expect(rxA.got).toHaveLength(2);
      expect(rxA.maxOpen).toBe(2);
      expect((await A.deliveries()).every((d) => d.status === 'pending' && d.attempts.length === 0)).toBe(
        true,
      );
    } finally {
      rxA.release();
      await pass;
    }
    await w.stop();
    // Released, A's deliveries go out in the same pass, each once, never more than two at a time.
    expect(new Set(rxA.got.map((g) => cartOf(g.body))).size).toBe(20);
    expect(rxA.got).toHaveLength(20);
    expect(rxA.maxOpen).toBe(2);
    expect((await A.deliveries()).every((d) => d.status === 'delivered')).toBe(true);
    expect([...rxA.got, ...rxB.got].every((g) => g.signatureOk)).toBe(true);
    await A.remove();
    await B.remove();
    await rxA.close();
    await rxB.close();
  }, 180_000);

  it('leaves no more requests in flight than the overall bound, however many sites hang', async () => {
    const [x, y] = await sites(2);
    if (!x || !y) throw new Error('two sites');
    const rx = await startReceiver({ hold: true }); // both sites post to it
    const X = await hook(x, `${rx.url}?site=x`, 4);
    const Y = await hook(y, `${rx.url}?site=y`, 4);
    const clock = { now: Math.max(X.t0, Y.t0) + MIN };
    const w = worker(clock, { concurrency: 3, siteConcurrency: 2, breakerFailures: 0 });
    const pass = w.runOnce();
    try {
      expect(await until(() => rx.open === 3), 'three held at once').toBe(true);
      await until(() => rx.open > 3, 30); // a fourth would come now if it could
      expect(rx.open).toBe(3);
      expect(rx.maxOpen).toBe(3);
    } finally {
      rx.release();
      await pass;
    }
    await w.stop();
    expect(rx.got).toHaveLength(8);
    expect(rx.maxOpen).toBe(3);
    for (const site of [X, Y])
      expect((await site.deliveries()).every((d) => d.status === 'delivered')).toBe(true);
    await X.remove();
    await Y.remove();
    await rx.close();
  }, 180_000);
});

describe('the receiver’s circuit breaker', () => {
  it('opens after K failures in a row: nothing is sent until the cool-down, then one probe; no retry budget spent', async () => {
    const K = 3;
    const COOL = 10 * MIN;
    const [a, b] = await sites(2);
    if (!a || !b) throw new Error('two sites');
    let answer = 500;
    const rxA = await startReceiver({ answer: () => answer });
    const rxB = await startReceiver();
    const A = await hook(a, rxA.url, 8);
    const B = await hook(b, rxB.url, 1);
    rxA.setSecret(A.secret);
    rxB.setSecret(B.secret);
    const t = Math.max(A.t0, B.t0) + MIN;
    const clock = { now: t };
    // One request at a time to a site, so the counts are exact; retries due a second later.
    const w = worker(clock, { siteConcurrency: 1, breakerFailures: K, breakerCooldownMs: COOL });
    const at = async (time: number) => {
      clock.now = time;
      await w.runOnce();
    };
    const attempts = async () =>
      Object.fromEntries(
        (await A.deliveries()).map((d) => [d.cart_id, d.attempts.map((x) => x.status_code)]),
      );

    await at(t); // c0, c1, c2 fail: open
    expect(rxA.got).toHaveLength(K);
    expect(rxB.got).toHaveLength(1);
    const opened = await A.deliveries();
    expect(opened.every((d) => d.status === 'pending')).toBe(true);

    await at(t + COOL - 1); // every retry due, still open
    expect(rxA.got).toHaveLength(K);
    // Held back, not attempted: attempts and next attempt time as they were.
    expect(await A.deliveries()).toEqual(opened);

    await at(t + COOL); // half-open: one probe (the oldest due, c0), which fails: open again
    expect(rxA.got).toHaveLength(K + 1);
    expect(cartOf(rxA.got[K]?.body ?? {})).toBe('c0');
    await at(t + 2 * COOL - 1);
    expect(rxA.got).toHaveLength(K + 1);

    answer = 200; // the receiver is back: the probe succeeds and the rest follow in that pass
    await at(t + 2 * COOL);
    await w.stop();
    expect(rxA.got).toHaveLength(K + 1 + 8);
    expect(await attempts()).toEqual({
      c0: [500, 500, 200],
      c1: [500, 200],
      c2: [500, 200],
      c3: [200],
      c4: [200],
      c5: [200],
      c6: [200],
      c7: [200],
    });
    expect((await A.deliveries()).every((d) => d.status === 'delivered')).toBe(true);
    expect(rxB.got).toHaveLength(1);
    await A.remove();
    await B.remove();
    await rxA.close();
    await rxB.close();
  }, 180_000);
});
