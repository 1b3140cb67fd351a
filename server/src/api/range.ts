import type { RelativeRange } from '@funnelhouse/schemas';
import type { Store } from '../clickhouse/client.ts';
import { ApiError } from '../errors.ts';
import { addDays, dayInZone, MAX_RANGE_DAYS } from '../sql/days.ts';
import type { ReportRange } from '../sql/range.ts';
import { zonedBounds } from '../sql/zoned-time.ts';
import { engineTimeZone } from './time-zone.ts';

/**
 * The one way every analytics route takes `from`/`to`/`tz`. Without `tz` the site's own zone
 * (`o.siteTz`, from the registry) applies, so presets and bare dates are the site's days; an
 * explicit `tz` wins. `from` is inclusive; `to` is inclusive when it is a bare date (a whole day
 * in `tz`) and exclusive when it is an instant, so
 * `from=2026-03-01&to=2026-03-31` is all of March. The zone is checked against the engine's own
 * list (any case; answered in its spelling); a zone it lacks, `from` not before `to` or a span
 * over `maxDays` calendar days is a 400 (`code`) naming `tz`, `from` or `to`, never a 500.
 */
export async function readRange(
  store: Store,
  site: string,
  q: {
    from?: string | undefined;
    to?: string | undefined;
    tz?: string | undefined;
    range?: RelativeRange | undefined;
  },
  o: { siteTz: string; maxDays?: number; code?: 'invalid_query' | 'invalid_body'; now?: number },
): Promise<ReportRange> {
  const code = o.code ?? 'invalid_query';
  const tz = await engineTimeZone(store, q.tz ?? o.siteTz, code);
  const bad = (path: 'from' | 'to' | 'range', message: string, issue = 'invalid_range') =>
    new ApiError(code, message, [{ path, code: issue, message }]);
  if (q.range !== undefined && (q.from !== undefined || q.to !== undefined)) {
    throw bad('range', 'give either `range` or `from` and `to`', 'conflicting_range');
  }
  const asked = q.range !== undefined ? relativeDays(q.range, dayInZone(o.now ?? Date.now(), tz)) : q;
  if (asked.from === undefined) throw bad('from', '`from` (or `range`) is required', 'required');
  if (asked.to === undefined) throw bad('to', '`to` (or `range`) is required', 'required');
  const { from: fromMs, to: toMs } = zonedBounds(asked.from, asked.to, tz);
  if (!(fromMs < toMs)) throw bad('from', '`from` must be before `to`');
  const firstDay = dayInZone(fromMs, tz);
  const lastDay = dayInZone(toMs - 1, tz);
  const maxDays = o.maxDays ?? MAX_RANGE_DAYS;
  if (addDays(firstDay, maxDays - 1) < lastDay) throw bad('to', `a range covers at most ${maxDays} days`);
  return { site, from: asked.from, to: asked.to, tz, fromMs, toMs, firstDay, lastDay };
}

/** The first day of the month `n` months before `day`'s month. */
function monthStart(day: string, n: number): string {
  const d = new Date(`${day.slice(0, 7)}-01T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() - n);
  return d.toISOString().slice(0, 10);
}

/** A relative range as the calendar days (both included) it covers, `today` being today in the zone. */
export function relativeDays(range: RelativeRange, today: string): { from: string; to: string } {
  switch (range) {
    case 'today':
      return { from: today, to: today };
    case 'yesterday':
      return { from: addDays(today, -1), to: addDays(today, -1) };
    case '7d':
      return { from: addDays(today, -6), to: today };
    case '30d':
      return { from: addDays(today, -29), to: today };
    case 'month':
      return { from: monthStart(today, 0), to: today };
    case 'last_month':
      return { from: monthStart(today, 1), to: addDays(monthStart(today, 0), -1) };
    case '12mo':
      return { from: monthStart(today, 11), to: today };
  }
}
