/**
 * The webhook's durable state in `site_state_v1`: the configuration (kind `webhook`), one row per
 * delivery (kind `delivery`, key = delivery id) and one per logged attempt (kind `attempt`). A
 * delivery row is written before its first send; an attempt and the delivery's new state are
 * written together (one insert, one part) after it.
 *
 * Deliveries are read whole, page by page in key order (`DELIVERY_PAGE` keys a query), never
 * capped: the scan must know every delivery id it has recorded, or it would announce a cart
 * twice. They are bounded by pruning, at the start of each pass (`pruneDeliveries`, one insert of
 * tombstones, `deleted` = 1): a scan at `now` looks only at carts created in
 * [`scanFrom` = max(webhook created_at − 7 d, now − 37 d), now], a bound that only moves forward,
 * and a delivery is created by a scan that found its cart, so its `created_at` is at or after the
 * cart's creation. A delivery that is finished (`delivered` or `failed`; nothing sends those
 * again) and created before `scanFrom` − `PRUNE_MARGIN_MS` (one day, against a clock set back)
 * belongs to a cart no scan will see again, so deleting it cannot bring the cart back; a
 * `pending` delivery is never deleted. (A cart id used again after more than the fold's 30-day
 * lookback without events is a new cart to the fold, `carts/fold-sql.ts`: once the old delivery
 * is pruned it is announced again, under the same delivery id.) The tombstones stay as small rows
 * without the body.
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
import { listSiteState, type SiteStateRow } from '../queries/listSiteState.ts';

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

const DAY = 86_400_000;
/** How long before the webhook was set up a scan still looks for carts (by creation time). */
export const SCAN_BEFORE_SETUP_MS = 7 * DAY;
/** The oldest cart (by creation time) a scan looks at, counted back from the scan's `now`. */
export const SCAN_MAX_AGE_MS = 37 * DAY;
/** How much older than the scan's lower bound a finished delivery must be to be deleted. */
export const PRUNE_MARGIN_MS = DAY;
/** Delivery (and attempt) rows read per query (`listDeliveries`, `pruneDeliveries`, `listAttempts`). */
export const DELIVERY_PAGE = 10_000;

/** The earliest creation time of the carts a scan at `now` looks at (never decreases with `now`). */
export const scanFrom = (cfg: Pick<WebhookConfig, 'created_at'>, now: number): number =>
  Math.max(cfg.created_at - SCAN_BEFORE_SETUP_MS, now - SCAN_MAX_AGE_MS);

/** Finished deliveries created before this are deleted by a pass at `now` (rule at the top). */
export const pruneBefore = (cfg: Pick<WebhookConfig, 'created_at'>, now: number): number =>
  scanFrom(cfg, now) - PRUNE_MARGIN_MS;

/** Whether a delivery may be deleted by a pass whose `pruneBefore` is `before`. */
export const isPrunable = (d: Delivery, before: number): boolean =>
  d.status !== 'pending' && d.created_at < before;

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

/** Every live row of one kind of a site's state, read `page` keys at a time, none left out. */
async function listAllRows(store: Store, site: string, kind: SiteStateVersion['kind'], page: number) {
  if (!Number.isInteger(page) || page < 1) throw new Error(`state page size ${page}: a positive integer`);
  const out: SiteStateRow[] = [];
  let after: string | undefined;
  for (;;) {
    const rows = await listSiteState(store, { site, kind, after, limit: page });
    out.push(...rows);
    const last = rows.at(-1);
    if (rows.length < page || !last) return out;
    after = last.key;
  }
}

/** Every delivery row of a site (latest versions) with its version. */
async function listDeliveryRows(store: Store, site: string, page: number) {
  return (await listAllRows(store, site, 'delivery', page)).map((r) => ({
    version: r.updated_at,
    delivery: JSON.parse(r.value) as Delivery,
  }));
}

/** Oldest first: by creation, then by order within the scan that made them. */
const byCreation = (a: Delivery, b: Delivery) =>
  a.created_at - b.created_at || a.seq - b.seq || (a.delivery_id < b.delivery_id ? -1 : 1);

/** All of a site's deliveries, oldest first. */
export async function listDeliveries(store: Store, site: string, page = DELIVERY_PAGE): Promise<Delivery[]> {
  return (await listDeliveryRows(store, site, page)).map((r) => r.delivery).sort(byCreation);
}

/**
 * Deletes the site's deliveries that `isPrunable` before `before` (one insert of tombstones, each
 * a version after the row it deletes) and returns the others, oldest first.
 */
export async function pruneDeliveries(
  store: Store,
  site: string,
  before: number,
  now: number,
  page = DELIVERY_PAGE,
): Promise<Delivery[]> {
  const rows = await listDeliveryRows(store, site, page);
  const gone: typeof rows = [];
  const kept: Delivery[] = [];
  for (const r of rows) {
    if (isPrunable(r.delivery, before)) gone.push(r);
    else kept.push(r.delivery);
  }
  if (gone.length > 0)
    await insertSiteState(
      store,
      gone.map((r) => ({
        ...row(site, 'delivery', r.delivery.delivery_id, {}, Math.max(now, r.version + 1)),
        deleted: 1 as const,
      })),
    );
  return kept.sort(byCreation);
}

export async function listAttempts(store: Store, site: string): Promise<Attempt[]> {
  return (await listAttemptRows(store, site)).map((r) => r.attempt);
}

async function listAttemptRows(store: Store, site: string) {
  const rows = await listAllRows(store, site, 'attempt', DELIVERY_PAGE);
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
