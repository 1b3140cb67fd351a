import type { CollectEvent } from '@funnelhouse/schemas';
import { postServerEvents } from '../client/server-events.ts';
import type { SimVisitor } from './generate.ts';
import type { PostResult } from './post.ts';

/** Events older than this go through the server events API: `/collect` drops them as stale. */
export const COLLECT_HORIZON_MS = 47 * 3_600_000;
const BATCH = 1000;

export interface HistoryOptions {
  url: string;
  siteId: string;
  apiKey: string;
  /** Requests in flight at once. */
  concurrency?: number;
}

/**
 * Splits each visitor's events at `cutoff`: older ones are history (server events API), newer
 * ones go through `/collect` as a browser would send them. Crawlers' history is left out, as
 * `/collect` would have dropped it; the server API does not filter bots (a server relays real
 * customers' agents on purpose).
 */
export function splitAt(visitors: readonly SimVisitor[], cutoff: number) {
  const recent: SimVisitor[] = [];
  const history: { visitor: SimVisitor; event: CollectEvent }[] = [];
  let crawlerHistory = 0;
  for (const v of visitors) {
    const old = v.events.filter((e) => e.ts < cutoff);
    if (v.bot) crawlerHistory += old.length;
    else for (const event of old) history.push({ visitor: v, event });
    const fresh = v.events.filter((e) => e.ts >= cutoff);
    if (fresh.length > 0) recent.push({ ...v, events: fresh });
  }
  return { recent, history, crawlerHistory };
}

/**
 * Posts history through `POST /api/v1/sites/:id/events` with source `import`, carrying each
 * visitor's user agent and address so that device, browser and country are derived as for
 * `/collect` (the address is used for the country and then discarded). Idempotent: the same seed
 * sends the same ids, which come back as duplicates.
 */
export async function postHistory(
  items: readonly { visitor: SimVisitor; event: CollectEvent }[],
  opts: HistoryOptions,
): Promise<PostResult> {
  const started = performance.now();
  const result: PostResult = { requests: 0, sent: 0, accepted: 0, dropped: 0, failures: [], ms: 0 };
  const batches: object[][] = [];
  for (let i = 0; i < items.length; i += BATCH) {
    batches.push(
      items
        .slice(i, i + BATCH)
        .map(({ visitor, event }) => ({ ...event, user_agent: visitor.userAgent, ip: visitor.ip })),
    );
  }
  let next = 0;
  const worker = async () => {
    while (next < batches.length) {
      const events = batches[next++] as object[];
      const r = await postServerEvents(opts.url, opts.siteId, opts.apiKey, events, { source: 'import' });
      result.requests++;
      result.sent += events.length;
      result.accepted += r.accepted;
      result.dropped += r.rejected;
      for (const e of r.results)
        if (e.status === 'rejected') result.failures.push({ status: 202, code: e.code });
    }
  };
  await Promise.all(
    Array.from({ length: Math.min(opts.concurrency ?? 4, Math.max(1, batches.length)) }, worker),
  );
  result.ms = performance.now() - started;
  return result;
}
