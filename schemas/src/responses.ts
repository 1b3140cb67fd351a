/**
 * Zod schemas of API responses. They exist for the OpenAPI document (and the test that validates
 * live responses against it); `satisfies` ties each one to the TypeScript type the server returns.
 */
import { z } from 'zod';
import {
  type CreateSiteResponse,
  type DistinctCounts,
  explainSchema,
  type OverviewResponse,
  type RealtimeResponse,
  type SiteSummary,
} from './api.ts';
import type { ErrorBody } from './errors.ts';
import { ERROR_STATUS, type ErrorCode, EVENT_REJECTION_CODES } from './errors.ts';
import type { ExportColumn } from './export.ts';
import { funnelBreakdownSchema, funnelDefinitionSchema, type SiteSchemaResponse } from './funnel.ts';
import type {
  FunnelBreakdownGroup,
  FunnelResult,
  FunnelSeriesResult,
  FunnelStepResult,
  FunnelTrendPoint,
  Rate,
  SavedFunnel,
  TimeStats,
} from './funnel-types.ts';
import type { CollectResponse } from './types.ts';

const num = z.number();
const nullableNum = z.number().nullable();

const issue = z.object({
  path: z.string(),
  code: z.string(),
  message: z.string(),
  /** For an unknown query parameter: the known parameter it most likely meant. */
  suggestion: z.string().optional(),
});

export const errorBodySchema = z.object({
  error: z.object({
    code: z.enum(Object.keys(ERROR_STATUS) as [ErrorCode, ...ErrorCode[]]),
    message: z.string(),
    requestId: z.string(),
    issues: z.array(issue).optional(),
  }),
}) satisfies z.ZodType<ErrorBody>;

export const collectResponseSchema = z.object({
  /** Events stored (durable in the spool when answered). */
  accepted: num,
  /** Events not stored: the sum of `dropped_by_reason` plus the length of `rejected`. */
  dropped: num,
  /** Policy drops by reason: bot, stale, dnt, host_not_allowed, duplicate_id. */
  dropped_by_reason: z.record(z.string(), num),
  /** Invalid events, each refused on its own; the envelope's problems refuse the batch (4xx). */
  rejected: z.array(
    z.object({
      index: num,
      code: z.enum(EVENT_REJECTION_CODES),
      message: z.string(),
      issues: z.array(issue).optional(),
    }),
  ),
}) satisfies z.ZodType<CollectResponse>;

export const siteSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  site_key: z.string(),
  allowed_hosts: z.array(z.string()),
  respect_dnt: z.boolean(),
  scrub_emails: z.boolean(),
  time_zone: z.string().describe('IANA zone of the reports when a request gives no tz'),
  created_at: z.string(),
}) satisfies z.ZodType<SiteSummary>;

/**
 * `GET /api/v1/key`: what the presented key is: the admin key, or a secret API key and the site it
 * reads. The dashboard asks this at sign-in, so a key is all a user has to paste.
 */
export const keyInfoResponseSchema = z.discriminatedUnion('role', [
  z.object({ role: z.literal('admin') }),
  z.object({ role: z.literal('site'), site: siteSummarySchema }),
]);
export type KeyInfoResponse = z.infer<typeof keyInfoResponseSchema>;

export const createSiteResponseSchema = siteSummarySchema.extend({
  api_key: z.string(),
}) satisfies z.ZodType<CreateSiteResponse>;

const countRow = z.object({ value: z.string(), visitors: num, pageviews: num });
const totals = z.object({ visitors: num, sessions: num, pageviews: num, events: num });

/**
 * What the overview's top lists count, said in the API docs and the dashboard. The other lists
 * attribute visitors as the revenue report's breakdowns do, so the two agree.
 */
export const TOP_DEFINITIONS = {
  pages:
    'Pages: visitors who viewed the page (a visitor counts on every page they viewed, so rows add up to more than the visitors) and its pageviews.',
  other:
    'Every list but pages counts visitors by first touch: each visitor once, under the value of their first event in the range (and segment), as the revenue report attributes them, so the rows add up to the visitors whose first event had a value. Pageviews count under their own event’s value. A funnel breakdown counts the funnel’s entrants by the value at their entry step instead.',
} as const;

export const distinctCountsSchema = z
  .object({
    exact_up_to: num,
    relative_standard_error: num,
    estimated: z.array(z.string()),
  })
  .describe(
    'Visitors and sessions are counted exactly up to exact_up_to distinct ids; above that they are HyperLogLog estimates with the given relative standard error. estimated names the fields (dotted paths) that hold an estimate.',
  ) satisfies z.ZodType<DistinctCounts>;

export const overviewResponseSchema = z.object({
  site_id: z.string(),
  from: z.string(),
  to: z.string(),
  tz: z.string(),
  totals,
  events_by_type: z.record(z.string(), num),
  daily: z.array(totals.extend({ day: z.string() })),
  top: z
    .object({
      pages: z.array(countRow).describe(TOP_DEFINITIONS.pages),
      referrer_hosts: z.array(countRow),
      channels: z.array(countRow),
      utm_sources: z.array(countRow),
      utm_campaigns: z.array(countRow),
      countries: z.array(countRow),
      devices: z.array(countRow),
      browsers: z.array(countRow),
    })
    .describe(TOP_DEFINITIONS.other),
  distinct_counts: distinctCountsSchema,
  explain: explainSchema.optional(),
}) satisfies z.ZodType<OverviewResponse>;

export const realtimeResponseSchema = z.object({
  site_id: z.string(),
  minutes: num,
  visitors: num,
}) satisfies z.ZodType<RealtimeResponse>;

const rate = z.object({ rate: nullableNum, low: nullableNum, high: nullableNum }) satisfies z.ZodType<Rate>;
const timeStats = z.object({ median_ms: nullableNum, p90_ms: nullableNum }) satisfies z.ZodType<TimeStats>;

const stepResult = z.object({
  step: num,
  label: z.string(),
  optional: z.boolean(),
  units: num,
  in_progress: num,
  from_entry: rate,
  from_previous: rate,
  dropped: num,
  drop_share: nullableNum,
  time_from_previous: timeStats,
  time_from_entry: timeStats,
}) satisfies z.ZodType<FunnelStepResult>;

const series = z.object({
  steps: z.array(stepResult),
  time_to_convert: z.array(z.object({ from_ms: num, to_ms: nullableNum, units: num })),
}) satisfies z.ZodType<FunnelSeriesResult>;

const group = series.extend({
  value: z.string().nullable(),
  kind: z.enum(['value', 'other', 'none']),
  share: nullableNum,
}) satisfies z.ZodType<FunnelBreakdownGroup>;

const trendPoint = z.object({
  period: z.string(),
  entered: num,
  converted: num,
  in_progress: num,
  conversion: rate,
}) satisfies z.ZodType<FunnelTrendPoint>;

export const funnelResultSchema = z.object({
  from: z.string(),
  to: z.string(),
  tz: z.string(),
  now: num,
  skipped_units: num,
  cohorts: z.enum(['all', 'mature']),
  immature_units: num,
  overall: series,
  step_events: z.array(num),
  breakdown: z.array(group).optional(),
  trend: z.array(trendPoint).optional(),
  compare: z
    .object({
      from: z.string(),
      to: z.string(),
      skipped_units: num,
      immature_units: num,
      overall: series,
      change: z.array(z.object({ step: num, units: num, from_entry: nullableNum })),
    })
    .optional(),
  explain: explainSchema.optional(),
}) satisfies z.ZodType<FunnelResult>;

export const savedFunnelSchema = z.object({
  id: z.string(),
  name: z.string(),
  definition: funnelDefinitionSchema,
  breakdown: funnelBreakdownSchema.optional(),
  created_at: z.string(),
  updated_at: z.string(),
}) satisfies z.ZodType<SavedFunnel>;

export const siteSchemaResponseSchema = z.object({
  site_id: z.string(),
  from: z.string(),
  to: z.string(),
  event_types: z.array(z.object({ type: z.string(), events: num })),
  names: z.array(z.object({ type: z.string(), name: z.string(), events: num })),
  properties: z.array(
    z.object({ key: z.string(), top_values: z.array(z.object({ value: z.string(), events: num })) }),
  ),
  explain: explainSchema.optional(),
}) satisfies z.ZodType<SiteSchemaResponse>;

/** `DELETE /api/v1/sites/:siteId` (admin): the site is gone, and how many of its events went with it. */
export const deleteSiteResponseSchema = z.object({
  site_id: z.string(),
  deleted: z.literal(true),
  /** Events erased with the site. */
  events_deleted: num,
  /** Events of the site still stored after the erasure (0 unless a mutation is still pending). */
  remaining: num,
});
export type DeleteSiteResponse = z.infer<typeof deleteSiteResponseSchema>;

export const createApiKeyResponseSchema = z.object({ site_id: z.string(), api_key: z.string() });
export type CreateApiKeyResponse = z.infer<typeof createApiKeyResponseSchema>;

/**
 * A site's live secret API keys, oldest first: ids only (a key itself is shown once, when made).
 * `last_used_at` is the last request the key authenticated, kept in memory and written every
 * minute, so it may lag by that much after a crash; null when never used.
 */
export const apiKeyListResponseSchema = z.object({
  site_id: z.string(),
  keys: z.array(
    z.object({
      /** The part of the key between `fhk_` and the next `_`: what `DELETE …/keys/{keyId}` takes. */
      id: z.string(),
      /** A secret API key (reads the site's reports); the public site key is the site's `site_key`. */
      kind: z.literal('api'),
      created_at: z.string(),
      last_used_at: z.string().nullable(),
    }),
  ),
});
export type ApiKeyListResponse = z.infer<typeof apiKeyListResponseSchema>;

export const revokeApiKeyResponseSchema = z.object({
  site_id: z.string(),
  key_id: z.string(),
  revoked: z.literal(true),
});
export type RevokeApiKeyResponse = z.infer<typeof revokeApiKeyResponseSchema>;

/** Erasure of one visitor's events: how many went, and how many are left (0 once done). */
export const eraseVisitorResponseSchema = z.object({
  site_id: z.string(),
  visitor_id: z.string(),
  events_deleted: num,
  remaining: num,
});
export type EraseVisitorResponse = z.infer<typeof eraseVisitorResponseSchema>;

const itemRow = z.object({
  id: z.string(),
  name: z.string(),
  price: num,
  quantity: num,
  category: z.string(),
  variant: z.string(),
});

/**
 * The columns every event has, as the events API and the export give them (`events_v1` minus
 * `site_id`, `ts` and `received_at`, which differ between the two). Strict: a new column must be
 * documented before it is served.
 */
const eventColumns = z.object({
  event_id: z.string(),
  type: z.string(),
  name: z.string(),
  source: z.enum(['browser', 'server', 'import']),
  visitor_id: z.string(),
  session_id: z.string(),
  user_id: z.string(),
  url: z.string(),
  host: z.string(),
  path: z.string(),
  title: z.string(),
  referrer: z.string(),
  referrer_host: z.string(),
  channel: z.string(),
  utm_source: z.string(),
  utm_medium: z.string(),
  utm_campaign: z.string(),
  utm_term: z.string(),
  utm_content: z.string(),
  click_id_kind: z.string(),
  browser: z.string(),
  browser_version: z.string(),
  os: z.string(),
  device: z.string(),
  country: z.string(),
  el_tag: z.string(),
  el_id: z.string(),
  el_classes: z.string(),
  el_selector: z.string(),
  el_text: z.string(),
  el_href: z.string(),
  form_id: z.string(),
  form_name: z.string(),
  form_fields: z.array(z.string()),
  cart_id: z.string(),
  order_id: z.string(),
  revenue: num,
  currency: z.string(),
  items: z.array(itemRow),
  experiments: z.record(z.string(), z.string()),
  props: z.record(z.string(), z.string()),
});

/** One stored event as `GET /api/v1/sites/:siteId/events` gives it: times are epoch milliseconds. */
export const storedEventSchema = eventColumns
  .extend({ site_id: z.string(), ts: num, received_at: num })
  .strict();
export type StoredEvent = z.infer<typeof storedEventSchema>;

export const eventsResponseSchema = z.object({
  site_id: z.string(),
  events: z.array(storedEventSchema),
  explain: explainSchema.optional(),
});
export type EventsResponse = z.infer<typeof eventsResponseSchema>;

/**
 * One line of the NDJSON export (one CSV record has the same columns, in `EXPORT_COLUMNS` order):
 * times are ISO-8601 UTC with milliseconds, and `site_id` is implied by the URL.
 */
export const exportEventSchema = eventColumns
  .extend({ ts: z.string(), received_at: z.string() })
  .strict() satisfies z.ZodType<Record<ExportColumn, unknown>>;
export type ExportEvent = z.infer<typeof exportEventSchema>;
