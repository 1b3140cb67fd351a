import { z } from 'zod';

/** `YYYY-MM-DD` (a whole day in the requested zone) or a full ISO-8601 instant. */
export const dateOrInstant = z
  .string()
  .max(40)
  .refine((s) => /^\d{4}-\d{2}-\d{2}$/.test(s) || !Number.isNaN(Date.parse(s)), {
    message: 'expected YYYY-MM-DD or an ISO-8601 date-time',
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

/** Query string of the overview endpoint: `[from, to)`; a bare `to` date includes that whole day. */
export const overviewQuerySchema = z.object({
  from: dateOrInstant,
  to: dateOrInstant,
  tz: timeZone.default('UTC'),
  limit: z.coerce.number().int().min(1).max(100).default(10),
});
export type OverviewQuery = z.infer<typeof overviewQuerySchema>;

export const createSiteSchema = z.object({
  name: z.string().min(1).max(200),
  allowed_hosts: z.array(z.string().min(1).max(253)).max(50).optional(),
});
export type CreateSiteRequest = z.infer<typeof createSiteSchema>;

export interface SiteSummary {
  id: string;
  name: string;
  site_key: string;
  allowed_hosts: string[];
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
}

export interface RealtimeResponse {
  site_id: string;
  minutes: number;
  visitors: number;
}
