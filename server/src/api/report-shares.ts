import type { Context, MiddlewareHandler } from 'hono';
import { inLane, type Store, withSignal } from '../clickhouse/client.ts';
import { ApiError } from '../errors.ts';
import { presentedKey } from '../sites/auth.ts';

/** Seconds a refused client is asked to wait: reports usually answer within a second or two. */
export const REPORT_RETRY_AFTER_SECONDS = 2;

/** Report requests one site and one API key may have running or waiting at once. */
export interface ShareLimits {
  perSite: number;
  perKey: number;
}

/**
 * Each site's (and each API key's) share of the reports. Two bounds work together:
 * - here, at the door, the report requests of one site and of one key that are running or
 *   waiting: one more is refused before it costs any work (`429 report_capacity`, `Retry-After`),
 *   so the queue of one site is bounded and a busy site learns it must slow down;
 * - in the reports pool (`clickhouse/pool.ts`), the connections one site's queries hold at once,
 *   handed round-robin to the sites with queries waiting, so another site's report runs on the
 *   connections the busy one may not take instead of queueing behind it.
 * Counts are kept only for sites and keys with requests in flight.
 */
export class ReportShares {
  readonly #bySite = new Map<string, number>();
  readonly #byKey = new Map<string, number>();

  constructor(readonly limits: ShareLimits) {}

  /** Takes a place for one report of `site` asked with `key`; the returned function gives it back. */
  admit(site: string, key: string): () => void {
    const scope =
      (this.#bySite.get(site) ?? 0) >= this.limits.perSite
        ? 'site'
        : (this.#byKey.get(key) ?? 0) >= this.limits.perKey
          ? 'API key'
          : undefined;
    if (scope)
      throw new ApiError(
        'report_capacity',
        `This ${scope} has as many reports running or waiting as it may: retry once one has answered`,
        undefined,
        { 'retry-after': String(REPORT_RETRY_AFTER_SECONDS) },
      );
    bump(this.#bySite, site, 1);
    bump(this.#byKey, key, 1);
    let given = false;
    return () => {
      if (given) return;
      given = true;
      bump(this.#bySite, site, -1);
      bump(this.#byKey, key, -1);
    };
  }
}

function bump(m: Map<string, number>, k: string, by: number): void {
  const n = (m.get(k) ?? 0) + by;
  if (n > 0) m.set(k, n);
  else m.delete(k);
}

/**
 * Admits a report request of `:siteId` within its site's and key's share, for as long as the
 * handler runs (a streamed answer, the export, pages on in the reports pool's lane of its site).
 * Goes after `requireSiteKey`, which has checked the key.
 *
 * @example
 * app.get('/api/v1/sites/:siteId/overview', auth, shareReports(shares), handler);
 */
export function shareReports(shares: ReportShares): MiddlewareHandler {
  return async function reportShare(c, next) {
    const key = presentedKey((n) => c.req.header(n)) ?? '';
    const done = shares.admit(c.req.param('siteId') ?? '', key);
    try {
      await next();
    } finally {
      done();
    }
  };
}

/** The reports store of this request: abandoned when the client goes away, in its site's lane. */
export function reportStore(c: Context, store: Store): Store {
  return inLane(withSignal(store.analytics, c.req.raw.signal), c.req.param('siteId') ?? '');
}
