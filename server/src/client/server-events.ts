import type { ServerEventSource, ServerEventsResponse } from '@funnelhouse/schemas';

/** The server refused a request in a way a retry cannot fix (bad key, bad envelope, …). */
export class ServerEventsError extends Error {
  override name = 'ServerEventsError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface PostOptions {
  /** `import` for historical loads, `server` (default) for live events. */
  source?: ServerEventSource;
  /** Attempts for failures worth retrying (network, 429, 5xx). Default 6. */
  attempts?: number;
  /** Delay before retry n (1-based). Default 250 ms × 2^(n-1), at most 10 s, or Retry-After. */
  backoffMs?: (attempt: number) => number;
}

const RETRYABLE = new Set([408, 429, 500, 502, 503, 504]);

/**
 * Posts one batch to `POST {url}/api/v1/sites/{siteId}/events` and returns the per-event results.
 * Retries are safe because the API is idempotent by event id (a re-sent event is a `duplicate`).
 * `events` may be objects, or already serialised JSON texts (the importer serialises once).
 *
 * @example
 * const r = await postServerEvents('http://localhost:8787', 'demo', apiKey, [
 *   { id: 'ord-1-paid', type: 'purchase', ts: Date.now(), url: 'https://shop.example/thanks',
 *     order_id: 'ord-1', revenue: 59.9, currency: 'EUR' },
 * ]);
 */
export async function postServerEvents(
  url: string,
  siteId: string,
  apiKey: string,
  events: readonly (object | string)[],
  opts: PostOptions = {},
): Promise<ServerEventsResponse> {
  const body = `{"source":${JSON.stringify(opts.source ?? 'server')},"events":[${events
    .map((e) => (typeof e === 'string' ? e : JSON.stringify(e)))
    .join(',')}]}`;
  const attempts = opts.attempts ?? 6;
  const backoff = opts.backoffMs ?? ((n: number) => Math.min(250 * 2 ** (n - 1), 10_000));
  const endpoint = `${url.replace(/\/+$/, '')}/api/v1/sites/${encodeURIComponent(siteId)}/events`;
  for (let attempt = 1; ; attempt++) {
    let retryAfterMs: number | undefined;
    try {
      const res = await fetch(endpoint, {
        method: 'POST',
        headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
        body,
      });
      if (res.ok) return (await res.json()) as ServerEventsResponse;
      const err = await errorOf(res);
      if (!RETRYABLE.has(res.status) || attempt >= attempts) throw err;
      const ra = Number(res.headers.get('retry-after'));
      retryAfterMs = Number.isFinite(ra) && ra > 0 ? ra * 1000 : undefined;
    } catch (err) {
      if (err instanceof ServerEventsError && (!RETRYABLE.has(err.status) || attempt >= attempts)) throw err;
      if (!(err instanceof ServerEventsError) && attempt >= attempts) throw err;
    }
    await new Promise((r) => setTimeout(r, retryAfterMs ?? backoff(attempt)));
  }
}

async function errorOf(res: Response): Promise<ServerEventsError> {
  const text = await res.text();
  try {
    const e = (JSON.parse(text) as { error?: { code?: string; message?: string } }).error;
    return new ServerEventsError(res.status, e?.code ?? 'unknown', e?.message ?? text.slice(0, 200));
  } catch {
    return new ServerEventsError(res.status, 'unknown', text.slice(0, 200));
  }
}
