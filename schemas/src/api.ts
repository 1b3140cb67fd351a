import { z } from 'zod';
import { SEGMENT_COLUMNS, type SegmentColumn } from './types.ts';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** An instant needs its offset: without one, the server and ClickHouse could read it in different zones. */
const INSTANT =
  /^(\d{4}-\d{2}-\d{2})T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,3})?)?(Z|[+-](0\d|1[0-4]):[0-5]\d)$/;

/** A real calendar date in 2000–2099 (the years events can have). `Date` rolls 02-30 over, so compare back. */
export function isCalendarDate(s: string): boolean {
  if (!DATE.test(s)) return false;
  const year = Number(s.slice(0, 4));
  const d = new Date(`${s}T00:00:00Z`);
  return year >= 2000 && year <= 2099 && !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/**
 * A bare `YYYY-MM-DD` that is a real calendar date in 2000–2099, the years every report range
 * takes (`2026-02-30`, `2026-13-01` and `0000-01-01` are refused): issue code `invalid_date`.
 */
export const calendarDay = z
  .string()
  .max(10)
  .refine(isCalendarDate, {
    message: 'expected a calendar date YYYY-MM-DD in 2000–2099, such as 2026-03-01',
    params: { code: 'invalid_date' },
  });

/** `YYYY-MM-DD` (a whole day in the requested zone) or an ISO-8601 instant with offset. */
export const dateOrInstant = z
  .string()
  .max(40)
  .refine((s) => isCalendarDate(s) || isCalendarDate(INSTANT.exec(s)?.[1] ?? ''), {
    message: 'expected YYYY-MM-DD or an ISO-8601 date-time with offset, such as 2026-03-01T09:30:00Z',
  });

export const timeZone = z
  .string()
  .max(64)
  .refine(
    (tz) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    },
    { message: 'expected an IANA time zone such as Europe/Berlin' },
  );

/** A report's `tz`: without it, the report is in the site's own `time_zone` (UTC unless set). */
export const reportTimeZone = timeZone
  .optional()
  .describe('IANA zone of the report days, bare dates and relative ranges (default: the site time_zone)');

/** `explain=1` (or `true`): the answer also lists the queries that made it, SQL and bound values. */
export const explainFlag = z.enum(['0', '1', 'true', 'false']).transform((v) => v === '1' || v === 'true');

/** One query behind an answer, as `explain` lists it. */
export interface ExplainedQuery {
  name?: string;
  sql: string;
  params: Record<string, unknown>;
}

/** The queries behind an answer (`explain=1`): each one's name, SQL and bound values. */
export const explainSchema = z.array(
  z.object({ name: z.string().optional(), sql: z.string(), params: z.record(z.string(), z.unknown()) }),
) satisfies z.ZodType<ExplainedQuery[]>;

/**
 * Ranges relative to today in the request's zone, next to `from`/`to`: `today`, `yesterday`, the
 * last `7d` or `30d` (today included), this `month` so far, `last_month`, and `12mo` (this month
 * and the eleven before it). The answer's `from`/`to` give the dates they resolved to.
 */
export const RELATIVE_RANGES = ['today', 'yesterday', '7d', '30d', 'month', 'last_month', '12mo'] as const;
export type RelativeRange = (typeof RELATIVE_RANGES)[number];
export const relativeRange = z.enum(RELATIVE_RANGES);

/**
 * A list's paging and format (the cart list, the products): `limit` per page, `offset`, JSON or
 * CSV; a CSV without `limit` holds every row up to the route's cap (100,000). `rows`: "Carts",
 * `row`: "cart", as the description names them.
 */
export const csvPaging = (rows: string, row: string) => ({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(1000)
    .default(50)
    .describe(
      `${rows} per page. A CSV download without \`limit\` holds every ${row} (up to 100,000); \`X-Total-Count\` and, when ${rows.toLowerCase()} are left, \`Link: <…>; rel="next"\` say so`,
    ),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  format: z.enum(['json', 'csv']).default('json'),
});

const segmentValue = z.string().min(1).max(2000).optional();
/** One optional query parameter per segment column. */
const segmentParams = Object.fromEntries(SEGMENT_COLUMNS.map((c) => [c, segmentValue])) as Record<
  SegmentColumn,
  typeof segmentValue
>;

/**
 * Query string of the overview endpoint: `[from, to)`; a bare `to` date includes that whole day.
 * `path`, `channel`, … narrow the report to the sessions that had an event with each value in
 * the range (`path`: a pageview of it); the report then counts only those sessions' events.
 * `limit` cuts each top list; `limit=0` leaves the top lists empty and does not compute them (the
 * dashboard's previous period reads only the totals and the days).
 */
export const overviewQuerySchema = z.strictObject({
  from: dateOrInstant.optional(),
  to: dateOrInstant.optional(),
  range: relativeRange.optional(),
  tz: reportTimeZone,
  ...segmentParams,
  limit: z.coerce.number().int().min(0).max(100).default(10),
  explain: explainFlag.optional(),
});
export type OverviewQuery = z.infer<typeof overviewQuerySchema>;

/**
 * An allowed page host: a host name (`shop.example`), or `*.` and a host name for its subdomains
 * (`*.shop.example`). Compared in lower case with the host of each event's URL.
 */
const allowedHost = z
  .string()
  .min(1)
  .max(253)
  .regex(/^(\*\.)?[A-Za-z0-9]([A-Za-z0-9-]{0,62}\.)*[A-Za-z0-9-]{1,63}$/, 'expected a host name')
  .transform((h) => h.toLowerCase());

export const createSiteSchema = z.strictObject({
  name: z.string().min(1).max(200),
  allowed_hosts: z.array(allowedHost).max(50).optional(),
  /** IANA zone of the site's reports when a request gives no `tz` (default UTC). */
  time_zone: timeZone
    .optional()
    .describe(
      'IANA zone of the site reports when a request gives no tz (default UTC); one the database knows',
    ),
});
export type CreateSiteRequest = z.infer<typeof createSiteSchema>;

/** `PATCH /api/v1/sites/:siteId` (admin): each field present replaces the current value. */
export const updateSiteSchema = z
  .object({
    name: z.string().min(1).max(200).optional(),
    /** An empty list allows every host. */
    allowed_hosts: z.array(allowedHost).max(50).optional(),
    /** Drop events whose request carries `DNT: 1` or `Sec-GPC: 1` (reason `dnt`). */
    respect_dnt: z.boolean().optional(),
    /** Store e-mail addresses in titles, click text and property values as `[redacted]`. */
    scrub_emails: z.boolean().optional(),
    /** IANA zone of the site's reports when a request gives no `tz`. */
    time_zone: timeZone
      .optional()
      .describe('IANA zone of the site reports when a request gives no tz; one the database knows'),
  })
  .strict();
export type UpdateSiteRequest = z.infer<typeof updateSiteSchema>;

/** `GET /api/v1/sites/:siteId/events`: stored events in `[from, to)`, oldest first. */
export const eventsQuerySchema = z.strictObject({
  from: dateOrInstant.optional(),
  to: dateOrInstant.optional(),
  range: relativeRange.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  explain: explainFlag.optional(),
});
export type EventsQuery = z.infer<typeof eventsQuerySchema>;

export interface SiteSummary {
  id: string;
  name: string;
  site_key: string;
  allowed_hosts: string[];
  respect_dnt: boolean;
  scrub_emails: boolean;
  /** IANA zone of the site's reports when a request gives no `tz`. */
  time_zone: string;
  created_at: string;
}

export interface CreateSiteResponse extends SiteSummary {
  /** Secret analytics key, shown once. */
  api_key: string;
}

export interface CountRow {
  value: string;
  visitors: number;
  pageviews: number;
}

export interface OverviewResponse {
  site_id: string;
  from: string;
  to: string;
  tz: string;
  totals: { visitors: number; sessions: number; pageviews: number; events: number };
  events_by_type: Record<string, number>;
  daily: { day: string; visitors: number; sessions: number; pageviews: number; events: number }[];
  top: {
    pages: CountRow[];
    referrer_hosts: CountRow[];
    channels: CountRow[];
    utm_sources: CountRow[];
    utm_campaigns: CountRow[];
    countries: CountRow[];
    devices: CountRow[];
    browsers: CountRow[];
  };
  distinct_counts: DistinctCounts;
  explain?: ExplainedQuery[];
}

/**
 * How an answer counted distinct visitors and sessions: exactly up to `exact_up_to` distinct ids,
 * above that as an estimate (HyperLogLog) with the given relative standard error. `estimated`
 * names the fields (dotted paths, e.g. `totals.visitors`) holding any estimate.
 */
export interface DistinctCounts {
  exact_up_to: number;
  relative_standard_error: number;
  estimated: string[];
}

export interface RealtimeResponse {
  site_id: string;
  minutes: number;
  visitors: number;
}
