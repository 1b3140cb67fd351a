/**
 * The building blocks of the attribution report (rules in `ATTRIBUTION_DEFINITIONS`): the column a
 * touch is credited to, from an allow-list, and the sessions as touches, read from the events or
 * from the session rollup (`session_touch_hourly`, migration 022).
 */
import { ATTRIBUTION_DIMENSIONS, type AttributionDimension } from '@funnelhouse/schemas';
import type { z } from 'zod';
import { defineQuery, type Query } from '../clickhouse/query.ts';
import { EVENT_ORDER_KEY } from '../sql/sort-keys.ts';
import { joinTouch, touchAt } from '../sql/touch.ts';

/** The column of each dimension: identifiers only from here. */
export const ATTRIBUTION_COLUMNS: Record<AttributionDimension, string> = {
  channel: 'channel',
  utm_source: 'utm_source',
  utm_medium: 'utm_medium',
  utm_campaign: 'utm_campaign',
  referrer_domain: 'referrer_host',
};

/** The session touch's columns, in the order `session_touch_hourly` joins them (channel first). */
const SESSION_COLUMNS = ['channel', 'utm_source', 'utm_medium', 'utm_campaign', 'referrer_host'] as const;

/**
 * A session's first event's sources as one string (`joinTouch`), the first by `(ts, event_id)` as
 * one string (`EVENT_ORDER_KEY`: an `argMin` by a tuple took 2–3× as long). Written out the same
 * in migration 022, so that ClickHouse matches it.
 */
export const SESSION_TOUCH = `argMin(${joinTouch(SESSION_COLUMNS)}, ${EVENT_ORDER_KEY})`;

/**
 * Where the sessions are read: `hours` from the session rollup, for ranges `rollupForm` finds on
 * whole hours (with the revenue rollups' `ROLLUP_SETTINGS`); `events` otherwise.
 */
export type TouchForm = 'hours' | 'events';

/** A query defined once per form and dimension: one constant SQL text each. */
export function perFormAndDimension<P extends Record<string, unknown>, R>(
  name: string,
  sql: (dim: AttributionDimension, form: TouchForm) => string,
  params: z.ZodType<P>,
  row: z.ZodType<R>,
): Record<TouchForm, Record<AttributionDimension, Query<P, R>>> {
  const forms: TouchForm[] = ['hours', 'events'];
  return Object.fromEntries(
    forms.map((form) => [
      form,
      Object.fromEntries(
        ATTRIBUTION_DIMENSIONS.map((dim) => [dim, defineQuery({ name, sql: sql(dim, form), params, row })]),
      ),
    ]),
  ) as Record<TouchForm, Record<AttributionDimension, Query<P, R>>>;
}

/**
 * One row per session (visitor and session id) with an event in `where` (on `ts` for `events`, on
 * `toStartOfHour(ts)` for `hours`): its first event's time, the dimension's value there, and
 * whether that event came without a source: channel `direct`, or `internal` (a session that began
 * on a link of the site itself, after the last one timed out). Ties by event id. The events are
 * read a column at a time (joining the five for each event took 2–3× as long); the rollup keeps
 * them joined.
 */
export function sessionTouchesSql(dim: AttributionDimension, where: string, form: TouchForm): string {
  const col = ATTRIBUTION_COLUMNS[dim];
  const at = (c: string) => touchAt(SESSION_COLUMNS.indexOf(c as (typeof SESSION_COLUMNS)[number]), 'touch');
  const first =
    form === 'hours'
      ? `${SESSION_TOUCH} AS touch,
  ${at(col)} AS value,
  ${at('channel')} IN ('direct', 'internal') AS direct`
      : `argMin(${col}, ${EVENT_ORDER_KEY}) AS value,
  argMin(channel, ${EVENT_ORDER_KEY}) IN ('direct', 'internal') AS direct`;
  return `
SELECT
  visitor_id,
  session_id,
  toUnixTimestamp64Milli(min(ts)) AS start_ms,
  ${first}
FROM {db:Identifier}.events_v1
WHERE ${where}
  AND session_id != ''
  AND visitor_id != ''
GROUP BY visitor_id, session_id`;
}
