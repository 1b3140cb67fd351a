/**
 * Funnel definitions and results as plain types (the zod schemas in `funnel.ts` `satisfies` them).
 * The same JSON is sent by the dashboard and by API clients.
 */
import type { EventType } from './types.ts';

/** Order modes: see `FunnelDefinition.order`. */
export const FUNNEL_ORDERS = ['ordered', 'strict', 'any', 'unordered'] as const;
export type FunnelOrder = (typeof FUNNEL_ORDERS)[number];

/** Event columns a filter or a breakdown may name. Anything else is a free property (`props`). */
export const FUNNEL_COLUMNS = [
  'channel',
  'utm_source',
  'utm_medium',
  'utm_campaign',
  'utm_term',
  'utm_content',
  'referrer_host',
  'host',
  'path',
  'title',
  'device',
  'browser',
  'os',
  'country',
  'currency',
  'revenue',
  'cart_id',
  'order_id',
  'el_tag',
  'el_id',
  'el_text',
  'el_href',
  'form_name',
] as const;
export type FunnelColumn = (typeof FUNNEL_COLUMNS)[number];
/** Columns a breakdown may use: the filter columns minus numbers. */
export type BreakdownColumn = Exclude<FunnelColumn, 'revenue'>;

/** Event keys that can be a funnel's counting unit besides visitor, session and user. */
export const FUNNEL_KEY_UNITS = ['cart_id', 'order_id'] as const;

/**
 * Text matching of a whole value, case-sensitive: `exact`; `wildcard` where `*` stands for any run
 * of characters (nothing else is special); `regex` (RE2 syntax, unanchored like a search).
 */
export interface StringMatch {
  op: 'exact' | 'wildcard' | 'regex';
  value: string;
}

/** What a filter reads: an allow-listed event column, or a free property of the event. */
export type FilterTarget = { column: FunnelColumn } | { property: string };

/**
 * One condition on a column or property. A missing property reads as the empty string; `gt`/`lt`
 * compare numerically and are false when the value is not a number; `contains` is case-sensitive.
 */
export type PropertyFilter = FilterTarget &
  (
    | { op: 'eq' | 'neq' | 'contains'; value: string }
    | { op: 'in'; values: string[] }
    | { op: 'exists' }
    | { op: 'gt' | 'lt'; value: number }
  );

/** One way to satisfy a step; every field given must hold (AND). A step's alternatives are ORed. */
export interface StepAlternative {
  type?: EventType;
  /** Custom event name, declarative click name, or experiment key of an exposure. */
  name?: string;
  url?: StringMatch;
  path?: StringMatch;
  /**
   * The clicked element: its selector (exact), its text containing a string, its whole text
   * (`text`) or its link target (`href`) matched exactly, by wildcard or by regex.
   */
  element?: { selector?: string; text_contains?: string; text?: StringMatch; href?: StringMatch };
  form_id?: string;
  filters?: PropertyFilter[];
}

export interface FunnelStep {
  label?: string;
  /** Alternatives (OR). */
  match: StepAlternative[];
  /** An optional step may be skipped; the first and the last step cannot be optional. */
  optional?: boolean;
  /** At most this long after the previous step the unit reached (ordered and strict only). */
  max_gap_seconds?: number;
  /** At least this long after the previous step the unit reached (ordered and strict only). */
  min_gap_seconds?: number;
}

/** "Did not do `match` between step `from_step` and step `to_step`" (1-based, required steps). */
export interface FunnelExclusion {
  match: StepAlternative[];
  from_step: number;
  to_step: number;
}

/** Who moves through the funnel: a visitor, a session, an identified user, or an entity key. */
export type FunnelUnit = 'visitor' | 'session' | 'user' | 'cart_id' | 'order_id' | { property: string };

export interface FunnelDefinition {
  /** 2–20 steps. */
  steps: FunnelStep[];
  /**
   * `ordered` (default): steps in order, other events may come between.
   * `strict`: each step is the unit's very next event after the previous step.
   * `any`: every step after the first within the window, in any order; the unit enters at step 1.
   * `unordered` (PostHog's "unordered"): the unit may enter at any step; step k counts units that
   * did k distinct steps, in any order, within the window from the first of them (so a step's
   * label names a position, not an event). No optional steps and no gaps; an exclusion's
   * `from_step`/`to_step` are these positions.
   */
  order?: FunnelOrder;
  /** Measured from the entry event (step 1; unordered: the first step done). Default 14 days. */
  window_seconds?: number;
  exclusions?: FunnelExclusion[];
  /**
   * What an exclusion removes. `attempt` (default): the attempt that did the excluded event
   * between the two steps, having reached both; the unit's other attempts still count.
   * `unit`: the whole unit, as soon as one attempt did the excluded event after `from_step` —
   * before `to_step`, or within the window when `to_step` was never reached; its other attempts do
   * not rescue it. Neither is PostHog's rule (PostHog drops a person only when the attempt that
   * reached its furthest step is excluded, so a later clean attempt rescues it); `unit` was called
   * `person` until it was found to differ: see the README, "Exclusions and PostHog".
   */
  exclusion_mode?: FunnelExclusionMode;
  unit?: FunnelUnit;
}

export const FUNNEL_EXCLUSION_MODES = ['attempt', 'unit'] as const;
/**
 * Names given up because they were PostHog's names for rules that are not PostHog's: old → new.
 * New requests with an old name are refused with a message naming the new one; saved definitions
 * are read with the new name (`normaliseSavedDefinition`), since the rule itself did not change.
 */
export const RENAMED_EXCLUSION_MODES: Readonly<Record<string, FunnelExclusionMode>> = { person: 'unit' };
export type FunnelExclusionMode = (typeof FUNNEL_EXCLUSION_MODES)[number];

/** A breakdown dimension: an event column, a free property, or the variant of an experiment. */
export type BreakdownDimension = { column: BreakdownColumn } | { property: string } | { experiment: string };

/** How a unit's breakdown value is chosen: see `FunnelBreakdown.attribution`. */
export const BREAKDOWN_ATTRIBUTIONS = ['counted_step', 'first_touch', 'last_touch', 'every_touch'] as const;
export type BreakdownAttribution = (typeof BREAKDOWN_ATTRIBUTIONS)[number];
/** As `RENAMED_EXCLUSION_MODES`, for attributions (never stored, so only refused with the new name). */
export const RENAMED_ATTRIBUTIONS: Readonly<Record<string, BreakdownAttribution>> = {
  step: 'counted_step',
  all_events: 'every_touch',
};

export interface FunnelBreakdown {
  dimension: BreakdownDimension;
  /**
   * Which of the counted attempt's events gives the value; the unit's outcome (steps, times) is
   * the same in each of its groups. `counted_step` (default): the event at `at_step`.
   * `first_touch` / `last_touch`: the first / last event at the steps the unit reached whose value
   * is not empty. `every_touch`: every distinct non-empty value of those events; the unit counts in
   * each of their groups (once overall, once in "other"), so the groups' shares may sum to more
   * than 1. None of them is PostHog's rule of the same or former name (`counted_step` was `step`,
   * `every_touch` was `all_events`): PostHog evaluates the funnel once per value, through the
   * events carrying it. See the README, "Breakdown attribution and PostHog".
   */
  attribution?: BreakdownAttribution;
  /**
   * With `attribution: "counted_step"`: take the value from this step's event (1-based; unordered: the
   * k-th step done); default 1, the entry.
   */
  at_step?: number;
  /** Top values by entered units; the rest are merged into "Other". Default 10. */
  limit?: number;
}

export type FunnelCohorts = 'all' | 'mature';

/** An ad-hoc funnel question. */
export interface FunnelQueryRequest {
  definition: FunnelDefinition;
  /** `YYYY-MM-DD` (midnight in `tz`) or an ISO instant; units whose entry is in `[from, to)`. */
  from?: string;
  /** A bare date includes that whole day. */
  to?: string;
  /** Instead of `from`/`to`: a range relative to today in `tz` (`RELATIVE_RANGES`). */
  range?: 'today' | 'yesterday' | '7d' | '30d' | 'month' | 'last_month' | '12mo';
  tz?: string;
  breakdown?: FunnelBreakdown;
  /**
   * Which entered units count. `all` (default): every unit that entered in the range, as PostHog,
   * GA4 and Mixpanel count; each step reports `in_progress`. `mature`: only units whose window has
   * closed, converted or not — the unbiased rate for a range younger than the window.
   */
  cohorts?: FunnelCohorts;
  /** Also answer for the previous period of equal length. */
  compare?: boolean;
  /** Conversion by entry day or week. */
  trend?: 'day' | 'week';
}

/** A rate with its 95 % Wilson score interval. */
export interface Rate {
  rate: number | null;
  low: number | null;
  high: number | null;
}

export interface TimeStats {
  /** Milliseconds; null when no unit has a time for this step. */
  median_ms: number | null;
  p90_ms: number | null;
}

export interface FunnelStepResult {
  step: number;
  label: string;
  optional: boolean;
  /** Units counted in rates that reached this step. */
  units: number;
  /** Units still inside their window (not converted) that reached this step. */
  in_progress: number;
  from_entry: Rate;
  from_previous: Rate;
  /** Units of the previous counted step that did not reach this one (0 for the entry). */
  dropped: number;
  drop_share: number | null;
  time_from_previous: TimeStats;
  time_from_entry: TimeStats;
}

export interface HistogramBucket {
  /** Inclusive lower bound in milliseconds. */
  from_ms: number;
  /** Exclusive upper bound in milliseconds, null for the last bucket. */
  to_ms: number | null;
  units: number;
}

export interface FunnelSeriesResult {
  steps: FunnelStepResult[];
  /** Time from entry to the last step of converted units. */
  time_to_convert: HistogramBucket[];
}

export interface FunnelBreakdownGroup extends FunnelSeriesResult {
  /** The dimension's value; null for units without one; "Other" groups the rest. */
  value: string | null;
  kind: 'value' | 'other' | 'none';
  /** Share of all entered units in this group. */
  share: number | null;
}

/** One per day or week of the range up to now, including those nobody entered (0, rate null). */
export interface FunnelTrendPoint {
  /** First day of the bucket (`YYYY-MM-DD` in the query's zone). */
  period: string;
  entered: number;
  converted: number;
  in_progress: number;
  conversion: Rate;
}

export interface FunnelResult {
  from: string;
  to: string;
  tz: string;
  /** The instant (epoch ms) the answer was computed for: nothing later was counted. */
  now: number;
  /**
   * Units not evaluated because their attempts × events exceed the engine's per-unit work limit
   * (crawlers, load tests): counted at no step. Normally 0.
   */
  skipped_units: number;
  /** Which entered units were counted (`cohorts` of the request). */
  cohorts: FunnelCohorts;
  /**
   * Entered units whose window is still open (converted or not): counted by default, left out
   * with `cohorts: "mature"`.
   */
  immature_units: number;
  overall: FunnelSeriesResult;
  /**
   * Per step (in order), the site's events in the scanned span (the range, then the window past its
   * end, up to `now`) that match the step, whether or not a unit reached it. 0: the step's
   * conditions match nothing (a mistyped path or name), not merely that nobody got that far.
   */
  step_events: number[];
  breakdown?: FunnelBreakdownGroup[];
  trend?: FunnelTrendPoint[];
  compare?: {
    from: string;
    to: string;
    skipped_units: number;
    immature_units: number;
    overall: FunnelSeriesResult;
    /** Per step: current minus previous conversion from entry (absolute). */
    change: { step: number; units: number; from_entry: number | null }[];
  };
  explain?: { name?: string; sql: string; params: Record<string, unknown> }[];
}

/** A saved funnel. */
export interface SavedFunnel {
  id: string;
  name: string;
  definition: FunnelDefinition;
  /** The breakdown saved with the funnel (the dashboard shows it on load); absent for none. */
  breakdown?: FunnelBreakdown;
  created_at: string;
  updated_at: string;
}

export interface SaveFunnelRequest {
  /** Unique within the site, ignoring case and surrounding spaces (`409 duplicate_name`). */
  name: string;
  definition: FunnelDefinition;
  /** Saved with the funnel; a `PUT` without it saves the funnel without a breakdown. */
  breakdown?: FunnelBreakdown;
}
