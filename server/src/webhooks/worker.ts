/**
 * The recovery webhook worker (rules in `schemas/src/webhooks.ts` `WEBHOOK_RULES`): every poll,
 * for each site with a webhook, deletes the finished deliveries no scan can need again (rule in
 * `state.ts`), finds its abandoned and recovered carts with the cart fold, records a delivery
 * for each (cart, event) not yet recorded, then hands the site's pending deliveries to its lane,
 * and records each attempt. Everything it knows is in ClickHouse, so a restart (or a kill -9)
 * resumes where the last recorded answer left off.
 *
 * Sites are sent to side by side, so a receiver that never answers delays only its own site
 * (with N carts it once held every other site for N × the timeout):
 * - A site's lane (`lane.ts`) sends its due deliveries oldest first with at most
 *   `siteConcurrency` requests in flight, a cart's deliveries one after the other (abandoned
 *   before recovered); all lanes together hold at most `concurrency` requests (`slots.ts`, first
 *   come first served).
 * - A pass scans the sites one by one (ClickHouse work only) and starts a lane for each; it does
 *   not wait for the lanes. A site whose lane is still busy from an earlier pass is skipped (not
 *   scanned either, so one site's state is only ever touched by one task) and taken up by the
 *   first pass after its lane ends. `runOnce` waits for every lane.
 * - Each site has a circuit breaker (`breaker.ts`): after `breakerFailures` failed attempts in a
 *   row nothing is sent to the site for `breakerCooldownMs`, then one probe alone. Held-back
 *   deliveries stay pending, attempts and next attempt time untouched: no retry budget is spent.
 */
import { createHmac } from 'node:crypto';
import type { WebhookPayload } from '@funnelhouse/schemas';
import { listCarts } from '../carts/queries/listCarts.ts';
import { toCart } from '../carts/shape.ts';
import type { Store } from '../clickhouse/client.ts';
import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import { Breaker } from './breaker.ts';
import { postWebhook } from './deliver.ts';
import { cartQueue, drain, takeFirstDue } from './lane.ts';
import { Slots } from './slots.ts';
import {
  attemptKey,
  DELIVERY_PAGE,
  type Delivery,
  type DeliveryEvent,
  deliveryId,
  insertDeliveries,
  listWebhooks,
  pruneBefore,
  pruneDeliveries,
  recordAttempt,
  scanFrom,
  trimAttempts,
  type WebhookConfig,
} from './state.ts';

const PAGE = 1000;

/** The signature header value of one attempt: HMAC-SHA256 over `timestamp.body`. */
export function signature(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** Delay before attempt `n + 1` after `n` failed ones: base · 2^(n−1), at most an hour. */
export const backoff = (base: number, n: number) => Math.min(base * 2 ** Math.max(0, n - 1), 3_600_000);

export interface WebhookWorker {
  /** Runs one scan-and-send pass now (tests); resolves when it and every site's sends are done. */
  runOnce(): Promise<void>;
  /** Stops polling and waits for the pass in progress. */
  stop(): Promise<void>;
}

export interface WebhookWorkerOptions {
  /** The clock (ms since the epoch); `Date.now` unless a test sets the time. */
  now?: () => number;
  /** Delivery rows read per query (`state.ts` `DELIVERY_PAGE`); small in tests of the paging. */
  deliveryPage?: number;
}

export function startWebhookWorker(
  store: Store,
  config: Config['webhooks'],
  log: Logger,
  opts: WebhookWorkerOptions = {},
): WebhookWorker {
  const clock = opts.now ?? Date.now;
  const deliveryPage = opts.deliveryPage ?? DELIVERY_PAGE;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  /** Per site, the sequence number of its next attempt in the log's ring (`state.ts`). */
  const nextSeq = new Map<string, number>();
  /** The sites whose deliveries are being sent, each with its lane (one at a time per site). */
  const lanes = new Map<string, Promise<void>>();
  /** Requests in flight, all sites together. */
  const slots = new Slots(config.concurrency);
  /** Per site, its receiver's breaker and the webhook version it belongs to. */
  const breakers = new Map<string, { version: number; breaker: Breaker }>();

  async function scan(site: string, cfg: WebhookConfig, now: number): Promise<Delivery[]> {
    // Finished deliveries of carts out of this scan's reach are deleted first (rule in `state.ts`).
    const known = await pruneDeliveries(store, site, pruneBefore(cfg, now), now, deliveryPage);
    const have = new Set(known.map((d) => d.delivery_id));
    const timeoutMs = cfg.inactivity_timeout * 1000;
    const scope = {
      range: { site, fromMs: scanFrom(cfg, now), toMs: now + 1, tz: 'UTC' },
      asOfMs: now,
      timeoutMs,
      windowMs: cfg.recovery_window * 1000,
    };
    const fresh: Delivery[] = [];
    for (const status of ['abandoned', 'recovered'] as const) {
      for (let offset = 0; ; offset += PAGE) {
        const rows = await listCarts(store.analytics, scope, {
          status,
          sort: 'created',
          order: 'asc',
          limit: PAGE,
          offset,
        });
        for (const r of rows) {
          if (r.abandoned_ms < cfg.created_at) continue;
          const cart = toCart(r);
          const events: DeliveryEvent[] =
            status === 'recovered' ? ['cart.abandoned', 'cart.recovered'] : ['cart.abandoned'];
          for (const event of events) {
            const id = deliveryId(site, r.cart_id, event);
            if (have.has(id)) continue;
            have.add(id);
            const payload: WebhookPayload = {
              delivery_id: id,
              event,
              site_id: site,
              occurred_at:
                event === 'cart.abandoned'
                  ? (cart.abandoned_at as string)
                  : (cart.order?.purchased_at as string),
              cart,
            };
            fresh.push({
              delivery_id: id,
              event,
              cart_id: r.cart_id,
              body: JSON.stringify(payload),
              status: 'pending',
              attempts: 0,
              next_at: now,
              created_at: now,
              seq: fresh.length,
            });
          }
        }
        if (rows.length < PAGE) break;
      }
    }
    if (fresh.length > 0) await insertDeliveries(store, site, fresh);
    return [...known, ...fresh];
  }

  /** Sends one delivery and records the attempt; whether the receiver took it (2xx). */
  async function send(site: string, cfg: WebhookConfig, d: Delivery): Promise<boolean> {
    const at = clock();
    const timestamp = Math.floor(at / 1000);
    // A refused address counts as a failed attempt: retried by the rules like any other failure
    // (the URL or its DNS may be fixed meanwhile), so at most FUNNELHOUSE_WEBHOOK_MAX_ATTEMPTS.
    const { status_code, error } = await postWebhook(cfg.url, {
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Funnelhouse-Webhook/1',
        'funnelhouse-delivery': d.delivery_id,
        'funnelhouse-event': d.event,
        'funnelhouse-timestamp': String(timestamp),
        'funnelhouse-signature': signature(cfg.secret, timestamp, d.body),
      },
      body: d.body,
      timeoutMs: config.timeoutMs,
      allowPrivate: config.allowPrivate,
    });
    const attempt = d.attempts + 1;
    const ok = status_code !== null && status_code >= 200 && status_code < 300;
    const next: Delivery = {
      ...d,
      attempts: attempt,
      status: ok ? 'delivered' : attempt >= config.maxAttempts ? 'failed' : 'pending',
      next_at: ok ? 0 : clock() + backoff(config.retryMs, attempt),
    };
    const duration_ms = clock() - at;
    // Taken before the insert: the site's other senders must not get the same slot.
    const seq = nextSeq.get(site) ?? 0;
    nextSeq.set(site, seq + 1);
    await recordAttempt(
      store,
      site,
      next,
      { seq, delivery_id: d.delivery_id, attempt, at, status_code, error, duration_ms },
      attemptKey(seq, config.logAttempts),
    );
    log.debug('webhook attempt', { site, delivery: d.delivery_id, attempt, status_code, error });
    return ok;
  }

  /** The site's breaker, new when the webhook was set up again (another URL, perhaps). */
  function breakerOf(site: string, cfg: WebhookConfig): Breaker {
    const have = breakers.get(site);
    if (have && have.version === cfg.updated_at) return have.breaker;
    const breaker = new Breaker(config.breakerFailures, config.breakerCooldownMs);
    breakers.set(site, { version: cfg.updated_at, breaker });
    return breaker;
  }

  /** Sends through the shared slots and tells the breaker; false when the lane must stop. */
  async function attempt(site: string, cfg: WebhookConfig, d: Delivery, probe: boolean): Promise<boolean> {
    const breaker = breakerOf(site, cfg);
    // Stopping while in line for a slot: not sent.
    const ok = await slots.run(async () => (stopped ? undefined : send(site, cfg, d)));
    if (ok === undefined) return false;
    const change = breaker.record(ok, clock(), probe);
    if (change === 'opened')
      log.warn('webhook receiver breaker open: no request to the site until the cool-down ends', {
        site,
        failures: breaker.consecutiveFailures,
        cooldown_ms: config.breakerCooldownMs,
        probe,
      });
    else if (change === 'closed') log.info('webhook receiver breaker closed', { site });
    return breaker.state(clock()) === 'closed';
  }

  /**
   * One site's lane (`lane.ts`): its pending deliveries, oldest first, a cart's one after the
   * other, sent by `siteConcurrency` senders while the breaker is closed; after the cool-down,
   * the oldest due one alone first, as the probe.
   */
  async function deliver(site: string, cfg: WebhookConfig, pending: Delivery[]): Promise<void> {
    const queue = cartQueue(pending);
    const due = (d: Delivery) => d.next_at <= clock();
    const state = breakerOf(site, cfg).state(clock());
    if (state === 'open') {
      log.debug('webhook breaker open: deliveries held back', { site, held: pending.filter(due).length });
      return;
    }
    if (state === 'half-open') {
      const probe = takeFirstDue(queue, due);
      if (!probe || stopped || !(await attempt(site, cfg, probe, true))) return;
    }
    await drain(queue, {
      senders: config.siteConcurrency,
      due,
      send: (d) => attempt(site, cfg, d, false),
      stopped: () => stopped,
    });
  }

  async function pass(): Promise<void> {
    const now = clock();
    const hooks = await listWebhooks(store);
    const sites = new Set(hooks.map((h) => h.site));
    for (const site of breakers.keys()) if (!sites.has(site)) breakers.delete(site);
    for (const { site, config: cfg } of hooks) {
      if (stopped) return;
      if (lanes.has(site)) continue; // still sending what an earlier pass found
      try {
        const all = await scan(site, cfg, now);
        if (!nextSeq.has(site)) nextSeq.set(site, await trimAttempts(store, site, config.logAttempts));
        const pending = all.filter((d) => d.status === 'pending');
        if (pending.length === 0) continue;
        const lane = deliver(site, cfg, pending)
          .catch((err) => log.warn('webhook send failed', { site, error: (err as Error).message }))
          .finally(() => lanes.delete(site));
        lanes.set(site, lane);
      } catch (err) {
        log.warn('webhook pass failed', { site, error: (err as Error).message });
      }
    }
  }

  const allLanes = async () => {
    await Promise.all(lanes.values());
  };

  function schedule(): void {
    if (stopped || config.pollMs === 0) return;
    timer = setTimeout(() => {
      running = running.then(pass).finally(schedule);
    }, config.pollMs);
  }
  schedule();

  return {
    runOnce() {
      running = running.then(pass).then(allLanes);
      return running;
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
      await allLanes();
    },
  };
}

/** The worker of a node that sends no webhooks (`FUNNELHOUSE_ROLE=ingest`). */
export function idleWebhooks(): WebhookWorker {
  return { runOnce: () => Promise.resolve(), stop: () => Promise.resolve() };
}
