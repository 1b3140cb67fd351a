/**
 * The webhook's durable state in `site_state_v1`: the configuration (kind `webhook`), one row per
 * delivery (kind `delivery`, key = delivery id) and one per logged attempt (kind `attempt`). A
 * delivery row is written before its first send; an attempt and the delivery's new state are
 * written together (one insert, one part) after it.
 *
 * The attempt log is a ring per site: the n-th attempt of a site (`seq`, counted from 0) goes to
 * the key `slot:<seq mod N>`, N = FUNNELHOUSE_WEBHOOK_LOG_ATTEMPTS, so it replaces the attempt
 * N before it and a site never holds more than N live attempt keys (older versions go at
 * merges). Keys of the earlier layout (`<delivery id>:<attempt>`) or a changed N are put back
 * into a ring of N when the worker first sees the site (`trimAttempts`).
 */
import { createHash } from 'node:crypto';
import type { Store } from '../clickhouse/client.ts';
import { insertSiteState, type SiteStateVersion } from '../queries/insertSiteState.ts';
import { listSiteState } from '../queries/listSiteState.ts';

export interface WebhookConfig {
  url: string;
  secret: string;
  inactivity_timeout: number;
  recovery_window: number;
  created_at: number;
  updated_at: number;
}

export type DeliveryEvent = 'cart.abandoned' | 'cart.recovered';

export interface Delivery {
  delivery_id: string;
  event: DeliveryEvent;
  cart_id: string;
  /** The exact body every attempt sends. */
  body: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  next_at: number;
  created_at: number;
  /** Order of creation within one scan (abandoned before recovered). */
  seq: number;
}

export interface Attempt {
  /** The site's attempt count before this one (absent in rows of the earlier key layout). */
  seq?: number;
  delivery_id: string;
  attempt: number;
  at: number;
  status_code: number | null;
  error: string | null;
  duration_ms: number;
}

/** The delivery id of (site, cart, event): the same on every scan, attempt and restart. */
export function deliveryId(site: string, cart: string, event: DeliveryEvent): string {
  return `dlv_${createHash('sha256').update(`${site}\n${cart}\n${event}`).digest('hex').slice(0, 32)}`;
}

const row = (site: string, kind: SiteStateVersion['kind'], key: string, value: unknown, at: number) => ({
  site_id: site,
  kind,
  key,
  value: JSON.stringify(value),
  updated_at: at,
  deleted: 0 as const,
});

export async function readWebhook(store: Store, site: string): Promise<WebhookConfig | undefined> {
  const [r] = await listSiteState(store, { site, kind: 'webhook', key: '' });
  return r ? (JSON.parse(r.value) as WebhookConfig) : undefined;
}

export async function listWebhooks(store: Store): Promise<{ site: string; config: WebhookConfig }[]> {
  const rows = await listSiteState(store, { site: '', kind: 'webhook', key: '' });
  return rows.map((r) => ({ site: r.site_id, config: JSON.parse(r.value) as WebhookConfig }));
}

export async function saveWebhook(store: Store, site: string, c: WebhookConfig | null): Promise<void> {
  const now = Date.now();
  await insertSiteState(store, [
    c ? row(site, 'webhook', '', c, c.updated_at) : { ...row(site, 'webhook', '', {}, now), deleted: 1 },
  ]);
}

export async function listDeliveries(store: Store, site: string): Promise<Delivery[]> {
  const rows = await listSiteState(store, { site, kind: 'delivery' });
  return rows
    .map((r) => JSON.parse(r.value) as Delivery)
    .sort((a, b) => a.created_at - b.created_at || a.seq - b.seq || (a.delivery_id < b.delivery_id ? -1 : 1));
}

export async function listAttempts(store: Store, site: string): Promise<Attempt[]> {
  return (await listAttemptRows(store, site)).map((r) => r.attempt);
}

async function listAttemptRows(store: Store, site: string) {
  const rows = await listSiteState(store, { site, kind: 'attempt' });
  return rows.map((r) => ({ key: r.key, version: r.updated_at, attempt: JSON.parse(r.value) as Attempt }));
}

/** The key of the attempt with sequence number `seq` in a log of `size` slots. */
export const attemptKey = (seq: number, size: number) => `slot:${String(seq % size).padStart(6, '0')}`;

/**
 * Makes the site's attempt log a ring of `size` slots and returns the next sequence number. When
 * the log is already one (the usual case) it only reads; otherwise (keys of the earlier layout,
 * or a changed size) it keeps the newest `size` attempts, renumbered in their order, in their
 * slots, and deletes every other key, all in one insert.
 */
export async function trimAttempts(store: Store, site: string, size: number): Promise<number> {
  const rows = await listAttemptRows(store, site);
  const inRing = (r: (typeof rows)[number]) =>
    r.attempt.seq !== undefined && r.key === attemptKey(r.attempt.seq, size);
  const next = rows.reduce((m, r) => Math.max(m, (r.attempt.seq ?? -1) + 1), 0);
  if (rows.every((r) => inRing(r) && (r.attempt.seq ?? 0) >= next - size)) return next;
  // Oldest first: the earlier layout (by time) before the numbered ones (by number).
  const order = [...rows].sort(
    (a, b) => (a.attempt.seq ?? -1) - (b.attempt.seq ?? -1) || a.attempt.at - b.attempt.at,
  );
  const kept = order.slice(Math.max(0, order.length - size)).map((r, seq) => ({ ...r.attempt, seq }));
  const keys = new Set(kept.map((a) => attemptKey(a.seq, size)));
  const version = rows.reduce((m, r) => Math.max(m, r.version + 1), Date.now());
  await insertSiteState(store, [
    ...kept.map((a) => row(site, 'attempt', attemptKey(a.seq, size), a, version)),
    ...rows
      .filter((r) => !keys.has(r.key))
      .map((r) => ({ ...row(site, 'attempt', r.key, {}, version), deleted: 1 as const })),
  ]);
  return kept.length;
}

/** New deliveries, recorded before any of them is sent. */
export async function insertDeliveries(store: Store, site: string, ds: readonly Delivery[]): Promise<void> {
  await insertSiteState(
    store,
    ds.map((d) => row(site, 'delivery', d.delivery_id, d, d.created_at)),
  );
}

/** One attempt (in the slot `key`, see `attemptKey`) and the delivery's state after it, in one insert. */
export async function recordAttempt(
  store: Store,
  site: string,
  d: Delivery,
  a: Attempt,
  key: string,
): Promise<void> {
  // A later version must sort after the earlier one even within the same millisecond.
  const at = Math.max(a.at + a.duration_ms, d.created_at + d.attempts);
  await insertSiteState(store, [
    row(site, 'attempt', key, a, at),
    row(site, 'delivery', d.delivery_id, d, at),
  ]);
}
