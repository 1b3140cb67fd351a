/**
 * Answers the attribution report: the orders of the range and their visitors' sessions, the visitors per
 * value, then the pure shaping (`shape.ts`) with the models' parameters and the site's rates.
 */
import type { AttributionQuery, AttributionResponse, CurrencyRates } from '@funnelhouse/schemas';
import type { Store } from '../clickhouse/client.ts';
import type { Trace } from '../clickhouse/query.ts';
import { type ReportRange, rollupForm } from '../sql/range.ts';
import { getAttributionTouches } from './queries/getAttributionTouches.ts';
import { getAttributionVisitors } from './queries/getAttributionVisitors.ts';
import { shapeAttribution } from './shape.ts';

const DAY_MS = 86_400_000;

/** The question as the route read it, with the site's currency rates. */
export type AttributionQuestion = Omit<AttributionQuery, 'from' | 'to' | 'range' | 'tz' | 'explain'> & {
  rates: CurrencyRates | undefined;
};

export async function runAttribution(
  store: Store,
  range: ReportRange,
  q: AttributionQuestion,
  trace?: Trace,
): Promise<AttributionResponse> {
  const lookbackMs = q.lookback_days * DAY_MS;
  // At once: on the site's two report connections the one read overlaps the other.
  const form = rollupForm(range, {});
  const [touches, visitors] = await Promise.all([
    getAttributionTouches(store, range, { dim: q.dimension, form, lookbackMs }, trace),
    getAttributionVisitors(store, range, { dim: q.dimension, form }, trace),
  ]);
  const params = { halfLifeMs: q.half_life_days * DAY_MS, first: q.position_first, last: q.position_last };
  return {
    site_id: range.site,
    from: range.from,
    to: range.to,
    tz: range.tz,
    dimension: q.dimension,
    conversion: q.conversion,
    lookback_days: q.lookback_days,
    half_life_days: q.half_life_days,
    position: {
      first: q.position_first,
      middle: round(1 - q.position_first - q.position_last),
      last: q.position_last,
    },
    ...shapeAttribution(touches, visitors, { params, lookbackMs, limit: q.limit, rates: q.rates }),
  };
}

const round = (x: number) => Math.round(x * 1e9) / 1e9;
