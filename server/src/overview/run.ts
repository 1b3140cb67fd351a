/**
 * Answers the overview: where its queries read, decided once (`rollupSource`: the hourly
 * rollups or the events), the counts and the top lists over the same source, then the daily
 * series filled to every day of the range and which figures are distinct counts.
 */
import type { OverviewResponse, Segment } from '@funnelhouse/schemas';
import type { Store } from '../clickhouse/client.ts';
import type { Trace } from '../clickhouse/query.ts';
import { getOverviewCounts } from '../queries/getOverviewCounts.ts';
import { getTopValues } from '../queries/getTopValues.ts';
import { daysBetween, fillDays } from '../sql/days.ts';
import { distinctCounts } from '../sql/distinct.ts';
import type { ReportRange } from '../sql/range.ts';
import { rollupSource } from '../sql/segment.ts';

export async function runOverview(
  store: Store,
  range: ReportRange,
  q: { limit: number; segment: Segment },
  trace?: Trace,
): Promise<Omit<OverviewResponse, 'explain'>> {
  const source = rollupSource(range, q.segment);
  const [{ totals, daily, byType }, top] = await Promise.all([
    getOverviewCounts(store, range, source, trace),
    getTopValues(store, range, { limit: q.limit, source }, trace),
  ]);
  return {
    site_id: range.site,
    from: range.from,
    to: range.to,
    tz: range.tz,
    totals,
    events_by_type: byType,
    daily: fillDays(daily, daysBetween(range.firstDay, range.lastDay), (day) => ({
      day,
      visitors: 0,
      sessions: 0,
      pageviews: 0,
      events: 0,
    })),
    top,
    distinct_counts: distinctCounts({
      'totals.visitors': [totals.visitors],
      'totals.sessions': [totals.sessions],
      'daily.visitors': daily.map((d) => d.visitors),
      'daily.sessions': daily.map((d) => d.sessions),
      'top.pages.visitors': top.pages.map((p) => p.visitors),
    }),
  };
}
