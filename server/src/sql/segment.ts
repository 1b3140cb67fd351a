import { SEGMENT_COLUMNS, type Segment, type SegmentColumn } from '@funnelhouse/schemas';
import { z } from 'zod';
import { rollupForm, SITE_RANGE, type SiteRange } from './range.ts';

/**
 * A segment of a traffic report: the sessions that, within the report's range, had an event with
 * each given value (for `path`, a pageview of that path). Values are ANDed, each may be met by a
 * different event of the session. Reports narrowed by it count only those sessions' events, so
 * "visitors who saw /cart" keeps their other pages, and conversion reads as theirs.
 *
 * One static fragment for every report: each value is a bound `String`, empty when unused, and
 * with no value at all `seg_on = 0` makes the subquery's WHERE constant false, so it reads nothing.
 */
export { SEGMENT_COLUMNS, type Segment, type SegmentColumn };

const has = (c: SegmentColumn) =>
  c === 'path'
    ? `({seg_path:String} = '' OR countIf(type = 'pageview' AND path = {seg_path:String}) > 0)`
    : `({seg_${c}:String} = '' OR countIf(${c} = {seg_${c}:String}) > 0)`;

/** `AND`-able condition on `session_id`; the query binds `segmentValues(segment)` too. */
export const SEGMENT = `({seg_on:UInt8} = 0 OR session_id IN (
    SELECT session_id
    FROM {db:Identifier}.events_v1
    WHERE {seg_on:UInt8} = 1 AND ${SITE_RANGE}
    GROUP BY session_id
    HAVING ${SEGMENT_COLUMNS.map(has).join('\n      AND ')}
  ))`;

export const segmentShape = {
  seg_on: z.union([z.literal(0), z.literal(1)]),
  ...(Object.fromEntries(SEGMENT_COLUMNS.map((c) => [`seg_${c}`, z.string()])) as Record<
    `seg_${SegmentColumn}`,
    z.ZodString
  >),
};

export function segmentValues(s: Segment = {}) {
  const values = Object.fromEntries(SEGMENT_COLUMNS.map((c) => [`seg_${c}`, s[c] ?? ''])) as Record<
    `seg_${SegmentColumn}`,
    string
  >;
  return { seg_on: SEGMENT_COLUMNS.some((c) => s[c]) ? (1 as const) : (0 as const), ...values };
}

/** The segment named by a query string's optional column parameters. */
export function segmentOf(q: Partial<Record<SegmentColumn, string | undefined>>): Segment {
  const s: Segment = {};
  for (const c of SEGMENT_COLUMNS) if (q[c]) s[c] = q[c];
  return s;
}

/**
 * Where a traffic report's queries read, decided once per request (`rollupForm`): the hourly
 * rollups (a range on whole hours, no segment) or the events, narrowed by the segment.
 */
export type RollupSource = { form: 'hours' } | { form: 'events'; segment: Segment };

export function rollupSource(r: SiteRange, segment: Segment): RollupSource {
  return rollupForm(r, segment) === 'hours' ? { form: 'hours' } : { form: 'events', segment };
}

/** The segment's bound values of a source (none read by the `hours` form). */
export const sourceValues = (s: RollupSource) => segmentValues(s.form === 'events' ? s.segment : {});
