import type { Store } from '../clickhouse/client.ts';
import { type EventPageRow, listEventsPage } from '../queries/listEventsPage.ts';

const DAY_MS = 86_400_000;

/**
 * Every event of a site in [fromMs, toMs), page by page, in (ts, event_id) order. Keyset
 * pagination: each page starts after the last row of the previous one, and a page never crosses
 * a UTC midnight, so each query reads one day's granules. Only one page is held at a time.
 */
export async function* eventPages(
  store: Store,
  p: { site: string; fromMs: number; toMs: number; pageSize: number },
): AsyncGenerator<EventPageRow[]> {
  let afterTs = p.fromMs;
  let afterId = ''; // sorts before every event id (ids are never empty): the start is inclusive
  while (afterTs < p.toMs) {
    const dayEnd = Math.min(p.toMs, (Math.floor(afterTs / DAY_MS) + 1) * DAY_MS);
    const rows = await listEventsPage(store, {
      site: p.site,
      afterTs,
      afterId,
      beforeTs: dayEnd,
      limit: p.pageSize,
    });
    if (rows.length > 0) yield rows;
    const last = rows.at(-1);
    if (rows.length === p.pageSize && last) {
      afterTs = last.ts_ms;
      afterId = last.event_id;
    } else {
      afterTs = dayEnd;
      afterId = '';
    }
  }
}
