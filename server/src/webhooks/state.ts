/**
 * The webhook's durable state in `site_state_v1`: the configuration (kind `webhook`), one row per
 * delivery (kind `delivery`, key = delivery id) and one per attempt (kind `attempt`, key =
 * delivery id and attempt number). A delivery row is written before its first send; an attempt
 * and the delivery's new state are written together (one insert, one part) after it.
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
  const rows = await listSiteState(store, { site, kind: 'attempt' });
  return rows.map((r) => JSON.parse(r.value) as Attempt);
}

/** New deliveries, recorded before any of them is sent. */
export async function insertDeliveries(store: Store, site: string, ds: readonly Delivery[]): Promise<void> {
  await insertSiteState(
    store,
    ds.map((d) => row(site, 'delivery', d.delivery_id, d, d.created_at)),
  );
}

/** One attempt and the delivery's state after it, in one insert. */
export async function recordAttempt(store: Store, site: string, d: Delivery, a: Attempt): Promise<void> {
  // A later version must sort after the earlier one even within the same millisecond.
  const at = Math.max(a.at + a.duration_ms, d.created_at + d.attempts);
  await insertSiteState(store, [
    row(site, 'attempt', `${d.delivery_id}:${String(a.attempt).padStart(3, '0')}`, a, at),
    row(site, 'delivery', d.delivery_id, d, at),
  ]);
}
