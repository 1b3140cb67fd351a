import type { CollectBody, CollectEvent } from '@funnelhouse/schemas/types';
import { on } from './guard.ts';
import { load, save } from './store.ts';
import { beacon, post } from './transport.ts';

let site: string;
let url: string;
/** Events not yet answered for, oldest first; the first ones may be on their way. */
let q: CollectEvent[];
let timer: ReturnType<typeof setTimeout> | 0 = 0;
let busy: unknown;
/** Failed sends in a row: > 0 means we are backing off. */
let fails = 0;
/** Events per batch: 100 (the server's `LIMITS.eventsPerBatch`), halved while isolating a refused event. */
let size = 100;

/*
 * The list is mirrored to storage (`fh_q`, at most 500 events, oldest dropped first) whenever
 * it changes, so a reload, a crash or a closed tab loses nothing: the next page adopts the list
 * and sends it with the same ids, and the server keeps one row per id.
 */
const set = (list: CollectEvent[]) => {
  q = list.slice(-500);
  save('q', q);
};

/**
 * A batch as JSON the server accepts: every string cut to its limit (2048 for URLs, else 500),
 * so a long title or text never gets a batch refused, and nulls (absent attributes) left out.
 */
const body = (events: CollectEvent[]) =>
  JSON.stringify({ site, sent_at: Date.now(), events } satisfies CollectBody, (k, v) =>
    typeof v === 'string' ? v.slice(0, /^(url|referrer|href)$/.test(k) ? 2048 : 500) : (v ?? undefined),
  );

const later = (ms: number) => {
  timer ||= setTimeout(flush, ms);
};

/** Sends the oldest batch, unless one is already on its way. */
function flush(): void {
  clearTimeout(timer);
  timer = 0;
  const batch = q.slice(0, size);
  if (busy || !batch[0]) return;
  busy = post(url, body(batch)).then(([status, retryMs]) => {
    busy = 0;
    const refused = status > 399 && status < 500 && status !== 429;
    if (refused && batch[1]) {
      // The server refuses a whole batch for one bad event: halve until that one is alone.
      size = batch.length >> 1;
      flush();
    } else if (refused || (status > 199 && status < 300)) {
      // Stored, or refused for good: never send these again.
      set(q.filter((e) => !batch.includes(e)));
      fails = 0;
      size = 100;
      later(0);
    } else {
      // Network failure, 429 or 5xx: the same events again, after exponential backoff with jitter.
      later(Math.max(retryMs, Math.min(1e3 * 2 ** fails++, 6e4) * (0.5 + Math.random() / 2)));
    }
  });
}

/** Adds one event; it leaves with the next batch, within a second. */
export function enqueue(ev?: CollectEvent): void {
  set(ev ? [...q, ev] : []);
  later(1e3);
}

/**
 * Starts the queue: adopts what earlier pages left in storage; sends when the browser comes
 * back online, and hands waiting events to `sendBeacon` when the page is hidden (tab switch,
 * close, or navigating away: the last moment a page can count on). While a send is on its way
 * or the server is failing, events stay in storage for the next page instead.
 */
export function startQueue(siteKey: string, endpoint: string): void {
  site = siteKey;
  url = endpoint;
  q = load('q') || [];
  later(1e3);
  on(window, 'online', flush);
  on(
    document,
    'visibilitychange',
    () =>
      document.hidden && !busy && !fails && q[0] && beacon(url, body(q.slice(0, 100))) && set(q.slice(100)),
  );
}
