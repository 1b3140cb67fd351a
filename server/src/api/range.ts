import type { RelativeRange } from '@funnelhouse/schemas';
import type { Store } from '../clickhouse/client.ts';
import { ApiError } from '../errors.ts';
import type { SiteRange } from '../sql/range.ts';
import { zonedBounds } from '../sql/zoned-time.ts';
import { engineTimeZone } from './time-zone.ts';

/**
 * A report range resolved once per request: the range as asked (`from`, `to`, for the answer),
 * the engine's spelling of the zone, exact epoch bounds `[fromMs, toMs)` and the calendar days
 * it covers in that zone. It is a `SiteRange`, so every query of the request takes it as is.
 */
export interface ReportRange extends SiteRange {
  from: string;
  to: string;
  firstDay: string;
  lastDay: string;
}

export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** The calendar date of an instant in an IANA zone. */
export function dayInZone(ms: number, tz: string): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: tz,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(ms);
}

/** Longest range a report covers, in days (ten years): the daily series has one row per day. */
export const MAX_RANGE_DAYS = 3660;

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

/** Every day from `first` to `last` inclusive (at most `max`, guarding against huge ranges). */
export function daysBetween(first: string, last: string, max = MAX_RANGE_DAYS): string[] {
  const out: string[] = [];
  for (let d = first; d <= last && out.length < max; d = addDays(d, 1)) out.push(d);
  return out;
}

/** A daily series with a zero row for every day of the range that had no events. */
export function fillDays<T extends { day: string }>(
  rows: readonly T[],
  days: readonly string[],
  zero: (day: string) => T,
): T[] {
  const byDay = new Map(rows.map((r) => [r.day, r]));
  return days.map((d) => byDay.get(d) ?? zero(d));
}
