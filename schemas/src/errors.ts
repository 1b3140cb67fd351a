/**
 * The one error model: every non-2xx answer has the body `{ error: { code, message, requestId } }`
 * and its HTTP status follows from the code alone.
 */
export const ERROR_STATUS = {
  invalid_json: 400,
  invalid_body: 400,
  invalid_query: 400,
  too_many_breakdown_values: 400,
  too_many_events: 400,
  json_too_deep: 400,
  /** An event's `props` (or `exp`) holds more keys than `LIMITS.props` (`LIMITS.experiments`). */
  too_many_properties: 400,
  /** A `props`/`exp` key is longer than `LIMITS.keyLength`. */
  property_key_too_long: 400,
  /** A string `props` value is longer than `LIMITS.valueLength`. */
  property_value_too_long: 400,
  /** `__proto__`, `constructor` or `prototype` used as a `props`/`exp` key: refused, never merged. */
  reserved_property_key: 400,
  /**
   * A funnel definition over `FUNNEL_LIMITS` in total size (conditions, `in` values, pattern
   * characters), though each list is within its own limit.
   */
  funnel_too_complex: 400,
  /**
   * A webhook URL whose host is a literal IP address in a refused range (loopback, private,
   * link-local with the cloud metadata address, unique-local, …) while
   * `FUNNELHOUSE_WEBHOOK_ALLOW_PRIVATE` is off.
   */
  refused_address: 400,
  unauthorized: 401,
  unknown_site_key: 401,
  forbidden: 403,
  /**
   * A valid key of the wrong kind for the route: the admin key (sites and keys, no reports) or a
   * site's public site key (sending events only) where the site's secret API key is needed. The
   * message says what the presented key is for and which key to use.
   */
  wrong_key_kind: 403,
  not_found: 404,
  method_not_allowed: 405,
  /** The resource exists already (an experiment with this key). */
  conflict: 409,
  /** A saved funnel of the site already has this name (compared ignoring case and surrounding spaces). */
  duplicate_name: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  /**
   * A report query went over its time or memory limit (`FUNNELHOUSE_QUERY_TIMEOUT_S`,
   * `FUNNELHOUSE_QUERY_MAX_MEMORY`): the same question will fail again; ask a smaller one.
   */
  query_too_expensive: 422,
  /**
   * A paths question whose tree has more distinct label prefixes than `PATHS_LIMITS.maxPrefixes`
   * before the top-`width` cut: ask with a smaller depth, filters or a shorter range.
   */
  too_many_paths: 422,
  rate_limited: 429,
  /**
   * The site, or the API key, has as many report requests running or waiting as it may
   * (`FUNNELHOUSE_REPORT_REQUESTS_PER_SITE` / `…_PER_KEY`): retry after `Retry-After` seconds.
   */
  report_capacity: 429,
  internal_error: 500,
  store_unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

/**
 * Why `/collect` rejected one event of a batch (202, listed in `rejected`, nothing stored for it)
 * while the rest of the batch is stored. The property limits keep the codes they have as errors;
 * amounts have their own two codes; any other schema problem is `invalid_event` with `{path, code}` issues relative to the event.
 */
export const EVENT_REJECTION_CODES = [
  'invalid_event',
  'too_many_properties',
  'property_key_too_long',
  'property_value_too_long',
  'reserved_property_key',
  /** A `revenue` or item `price` beyond ±`LIMITS.moneyMax`. */
  'money_out_of_range',
  /** A browser's negative `revenue`: refunds come from the server events API only. */
  'negative_revenue',
] as const;
export type EventRejectionCode = (typeof EVENT_REJECTION_CODES)[number];

/** One problem in a request, located by its JSON path (`events.3.url`). */
export interface ErrorIssue {
  path: string;
  code: string;
  message: string;
  /** For an unknown query parameter (`unrecognized_keys`): the known parameter it most likely meant. */
  suggestion?: string;
}

export interface ErrorBody {
  error: { code: ErrorCode; message: string; requestId: string; issues?: ErrorIssue[] };
}
