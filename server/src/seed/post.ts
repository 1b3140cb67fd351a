import { type CollectBody, type CollectEvent, type CollectResponse, LIMITS } from '@funnelhouse/schemas';
import type { SimVisitor } from './generate.ts';

export interface PostOptions {
  /** Base URL of the server, e.g. http://localhost:8787. */
  url: string;
  siteKey: string;
  /** Visitors posted at the same time (each visitor's batches go one after another). */
  concurrency?: number;
  /** The sender's clock, read for every batch's `sent_at`. */
  clock?: () => number;
}

export interface PostResult {
  requests: number;
  sent: number;
  accepted: number;
  dropped: number;
  /** Batches the server refused, with its status and error code. */
  failures: { status: number; code: string }[];
  ms: number;
}

/** A visitor's events as `/collect` batches: at most `LIMITS.eventsPerBatch` each, in order. */
export function batchesOf(events: readonly CollectEvent[]): CollectEvent[][] {
  const out: CollectEvent[][] = [];
  for (let i = 0; i < events.length; i += LIMITS.eventsPerBatch) {
    out.push(events.slice(i, i + LIMITS.eventsPerBatch));
  }
  return out;
}

/**
 * Posts visitors' events through the real `POST /collect`, as a browser would: `text/plain`
 * bodies, the visitor's user agent, and its address in X-Forwarded-For (the server honours it
 * only with FUNNELHOUSE_TRUST_PROXY=1). A batch the server refuses is recorded and ends that
 * visitor. A request the network lost (a kept-alive socket the server closed as it was reused)
 * is sent again, up to `SEND_ATTEMPTS` times in all: its event ids are counted once, so a resend
 * never doubles anything; a network error beyond that rejects the whole run.
 */
export async function postTraffic(visitors: readonly SimVisitor[], opts: PostOptions): Promise<PostResult> {
  const started = performance.now();
  const result: PostResult = { requests: 0, sent: 0, accepted: 0, dropped: 0, failures: [], ms: 0 };
  let next = 0;
  const worker = async () => {
    while (next < visitors.length) {
      const v = visitors[next++] as SimVisitor;
      await postVisitor(v, opts, result);
    }
  };
  const workers = Math.max(1, Math.min(opts.concurrency ?? 16, visitors.length));
  await Promise.all(Array.from({ length: workers }, worker));
  result.ms = performance.now() - started;
  return result;
}

async function postVisitor(v: SimVisitor, opts: PostOptions, result: PostResult): Promise<void> {
  const clock = opts.clock ?? Date.now;
  for (const events of batchesOf(v.events)) {
    const body: CollectBody = { site: opts.siteKey, sent_at: clock(), events };
    const res = await sendCollect(`${opts.url.replace(/\/+$/, '')}/collect`, {
      method: 'POST',
      headers: {
        'content-type': 'text/plain;charset=UTF-8',
        'user-agent': v.userAgent,
        'x-forwarded-for': v.ip,
      },
      body: JSON.stringify(body),
    });
    result.requests++;
    result.sent += events.length;
    if (res.status !== 202) {
      const json = (await res.json().catch(() => ({}))) as { error?: { code?: string } };
      result.failures.push({ status: res.status, code: json.error?.code ?? '' });
      return;
    }
    const r = (await res.json()) as CollectResponse;
    result.accepted += r.accepted;
    result.dropped += r.dropped;
  }
}

/** Sends of one batch at most: the first and two resends after a network error. */
export const SEND_ATTEMPTS = 3;

/** `fetch`, sent again after a network error (fetch's TypeError), at most `SEND_ATTEMPTS` times. */
async function sendCollect(url: string, init: RequestInit): Promise<Response> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fetch(url, init);
    } catch (err) {
      if (!(err instanceof TypeError) || attempt >= SEND_ATTEMPTS) throw err;
    }
  }
}
