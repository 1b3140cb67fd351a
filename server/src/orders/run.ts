/**
 * Answers the orders summary: one query, on the hourly orders rollup or the events
 * (`rollupSource`), then the pure shaping (`shape.ts`).
 */
import type { CurrencyRates, OrdersSummaryResponse, Segment } from '@funnelhouse/schemas';
import type { Store } from '../clickhouse/client.ts';
import type { Trace } from '../clickhouse/query.ts';
import { getOrdersSummary } from '../queries/getOrdersSummary.ts';
import type { ReportRange } from '../sql/range.ts';
import { rollupSource } from '../sql/segment.ts';
import { shapeOrdersSummary } from './shape.ts';

export async function runOrdersSummary(
  store: Store,
  range: ReportRange,
  o: { segment: Segment; rates: CurrencyRates | undefined },
  trace?: Trace,
): Promise<OrdersSummaryResponse> {
  const rows = await getOrdersSummary(store, range, rollupSource(range, o.segment), trace);
  return shapeOrdersSummary(range.site, range, rows, o.rates);
}
