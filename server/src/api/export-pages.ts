import type { Store } from '../clickhouse/client.ts';
import { type EventPage, listEventsPage } from '../queries/listEventsPage.ts';

const DAY_MS = 86_400_000;
/** Widest time window one page query may scan. */
const MAX_SPAN_DAYS = 32;

/**
 * Every event of a site in [fromMs, toMs), page by page, in (ts, event_id) order. Keyset
 * pagination: each page starts after the last row of the previous one. Each query also has a time
 * window, so it reads only the days (`toDate(ts)` is in the primary key) it can return: one day
 * to start, doubled while pages come back sparse (up to 32 days), halved when a page fills before
 * the window's end. Only one page is held at a time.
 */
export async function* eventPages(
  store: Store,
  p: { site: string; fromMs: number; toMs: number; pageSize: number },
): AsyncGenerator<EventPage> {
  let afterTs = p.fromMs;
  let afterId = ''; // sorts before every event id (ids are never empty): the start is inclusive
  let spanDays = 1;
  while (afterTs < p.toMs) {
    const beforeTs = Math.min(p.toMs, (Math.floor(afterTs / DAY_MS) + spanDays) * DAY_MS);
    const page = await listEventsPage(store, { site: p.site, afterTs, afterId, beforeTs, limit: p.pageSize });
    if (page.rows > 0) yield page;
    if (page.rows === p.pageSize && page.last) {
      afterTs = page.last.ts;
      afterId = page.last.eventId;
      spanDays = Math.max(1, spanDays / 2);
    } else {
      afterTs = beforeTs;
      afterId = '';
      if (page.rows < p.pageSize / 2) spanDays = Math.min(MAX_SPAN_DAYS, spanDays * 2);
    }
  }
}
