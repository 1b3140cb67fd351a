import { ApiError } from '../errors.ts';

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** A report range as the queries take it, plus the calendar days it covers in its zone. */
export interface ResolvedRange {
  from: string;
  /** Exclusive end: a bare `to` date is moved to the next day so that the day is included. */
  to: string;
  tz: string;
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

/**
 * `from` is inclusive; `to` is inclusive when it is a bare date (a whole day in `tz`) and
 * exclusive when it is an instant, so `from=2026-03-01&to=2026-03-31` is all of March.
 */
export function resolveRange(from: string, to: string, tz: string): ResolvedRange {
  const toDateOnly = DATE_ONLY.test(to);
  return {
    from,
    to: toDateOnly ? addDays(to, 1) : to,
    tz,
    firstDay: DATE_ONLY.test(from) ? from : dayInZone(Date.parse(from), tz),
    lastDay: toDateOnly ? to : dayInZone(Date.parse(to) - 1, tz),
  };
}

/** Longest range a report covers, in days (ten years): the daily series has one row per day. */
export const MAX_RANGE_DAYS = 3660;

/**
 * Why a resolved range cannot be reported, or undefined when it can. Comparing calendar days
 * catches a date after the other end; two instants on the same day are compared as instants.
 */
export function rangeProblem(r: ResolvedRange): { path: 'from' | 'to'; message: string } | undefined {
  const instants = !DATE_ONLY.test(r.from) && !DATE_ONLY.test(r.to);
  if (r.firstDay > r.lastDay || (instants && Date.parse(r.from) >= Date.parse(r.to))) {
    return { path: 'from', message: '`from` must be before `to`' };
  }
  if (addDays(r.firstDay, MAX_RANGE_DAYS - 1) < r.lastDay) {
    return { path: 'to', message: `a range covers at most ${MAX_RANGE_DAYS} days` };
  }
  return undefined;
}

/**
 * The one way a report route takes `from`/`to`: resolved in `tz`, then refused with a 400
 * `invalid_query` (issue code `invalid_range`, naming the end at fault) when `from` is not before
 * `to` or the range is longer than `MAX_RANGE_DAYS`.
 */
export function reportRange(from: string, to: string, tz: string): ResolvedRange {
  const range = resolveRange(from, to, tz);
  const problem = rangeProblem(range);
  if (problem) throw new ApiError('invalid_query', problem.message, [{ ...problem, code: 'invalid_range' }]);
  return range;
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
