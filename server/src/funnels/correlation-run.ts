/**
 * Answers a funnel correlation question (issue 29): the excluded candidates from the definition,
 * the candidates' unit counts from ClickHouse (`getCorrelationCounts`), then the pure shaping and
 * statistics (`correlation-shape.ts`, `stats/correlation.ts`).
 */
import { CORRELATION_LIMITS, type CorrelationRequest, type CorrelationResult } from '@funnelhouse/schemas';
import type { Store } from '../clickhouse/client.ts';
import { explained } from '../clickhouse/query.ts';
import { excludedCandidates, shapeCorrelation } from './correlation-shape.ts';
import { getCorrelationCounts } from './queries/getCorrelationCounts.ts';
import { openQuestion, type Resolved } from './question.ts';

/** A correlation question whose range is resolved (`api/range.ts`): dates or instants, the engine's zone. */
export type ResolvedCorrelationQuery = Resolved<CorrelationRequest>;

export async function runCorrelation(
  store: Store,
  site: string,
  q: ResolvedCorrelationQuery,
  now: number,
  explain = false,
): Promise<CorrelationResult> {
  const def = q.definition;
  const steps = { from: q.steps?.from ?? 0, to: q.steps?.to ?? def.steps.length - 1 };
  const minSupport = q.min_support ?? CORRELATION_LIMITS.defaultMinSupport;
  const { bounds, cohorts, trace, head } = openQuestion(q, now, explain);
  const excluded = q.include_step_events ? [] : excludedCandidates(def, steps.from);
  const rows = await getCorrelationCounts(
    store,
    site,
    def,
    {
      ...bounds,
      now,
      stepFrom: steps.from,
      stepTo: steps.to,
      cohorts,
      properties: q.properties ?? [],
      excludedTypes: excluded.filter((x) => x.kind === 'event_type').map((x) => x.value),
      excludedNames: excluded.filter((x) => x.kind === 'event_name').map((x) => x.value),
      topValues: CORRELATION_LIMITS.propertyValues,
      limit: CORRELATION_LIMITS.candidates,
    },
    trace,
  );
  const shaped = shapeCorrelation(rows, minSupport);
  const result: CorrelationResult = {
    ...head,
    steps,
    units: shaped.units,
    cohorts,
    min_support: minSupport,
    candidates_found: shaped.found,
    candidates_limit: CORRELATION_LIMITS.candidates,
    tested: shaped.tested,
    untested: shaped.untested,
    excluded,
    success: shaped.success,
    drop_off: shaped.drop_off,
  };
  return { ...result, ...explained(trace) };
}
