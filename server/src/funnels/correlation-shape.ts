/**
 * Funnel correlation, pure: which candidates a definition excludes, and the count rows of
 * `getCorrelationCounts` turned into 2×2 tables, tested and ranked by `stats/correlation.ts`.
 */
import type {
  CorrelationCandidate,
  CorrelationCandidateKind,
  CorrelationExcluded,
  FunnelDefinition,
} from '@funnelhouse/schemas';
import { type RankedCorrelation, rankCorrelations, type Table2x2 } from '../stats/correlation.ts';
import type { CorrelationCountRow } from './queries/getCorrelationCounts.ts';

/**
 * Event types and custom event names that an alternative of a step after `stepFrom` names: doing
 * them is (part of) converting, so they are not candidates. Each listed once, at its first step.
 */
export function excludedCandidates(def: FunnelDefinition, stepFrom: number): CorrelationExcluded[] {
  const out: CorrelationExcluded[] = [];
  const seen = new Set<string>();
  const add = (kind: CorrelationExcluded['kind'], value: string, step: number) => {
    const key = `${kind}\u0000${value}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ kind, value, reason: 'defines_step', step });
  };
  def.steps.forEach((s, step) => {
    if (step <= stepFrom) return;
    for (const a of s.match) {
      if (a.type !== undefined) add('event_type', a.type, step);
      if (a.name !== undefined) add('event_name', a.name, step);
    }
  });
  return out;
}

/** What identifies a candidate in the answer. */
interface CandidateKey {
  kind: CorrelationCandidateKind;
  property?: string;
  value: string;
  bucket?: 'value' | 'empty' | 'other';
}

export interface ShapedCorrelation {
  units: { converted: number; dropped: number };
  found: number;
  tested: number;
  untested: number;
  success: CorrelationCandidate[];
  drop_off: CorrelationCandidate[];
}

/** The row label of a property bucket. */
const BUCKET_LABEL = { empty: '(empty)', other: 'Other' } as const;

function keyOf(r: CorrelationCountRow): CandidateKey {
  if (r.kind === 'units') throw new Error('the units row is not a candidate');
  if (r.kind !== 'property') return { kind: r.kind, value: r.value };
  const bucket = r.bucket === '' ? 'value' : r.bucket;
  const value = bucket === 'value' ? r.value : BUCKET_LABEL[bucket];
  return { kind: 'property', property: r.property, value, bucket };
}

function answerOf(r: RankedCorrelation<CandidateKey>): CorrelationCandidate {
  const { a, b, c, d } = r.table;
  return {
    ...r.key,
    counts: { did_converted: a, did_dropped: b, not_converted: c, not_dropped: d },
    units: a + b,
    converted_share: { did: a + b > 0 ? a / (a + b) : null, did_not: c + d > 0 ? c / (c + d) : null },
    odds_ratio: r.oddsRatio.estimate,
    odds_ratio_interval: { low: r.oddsRatio.interval.low, high: r.oddsRatio.interval.high },
    corrected: r.oddsRatio.corrected,
    test: r.test,
    p_value: r.pValue,
    q_value: r.qValue,
  };
}

/**
 * Rows → 2×2 tables (a = did & converted, b = did & dropped, c = didn't & converted, d = didn't &
 * dropped, from the `units` row's totals), then tested and ranked: candidates done by fewer than
 * `minSupport` units are counted in `untested`, the others form the Benjamini–Hochberg family.
 */
export function shapeCorrelation(
  rows: readonly CorrelationCountRow[],
  minSupport: number,
): ShapedCorrelation {
  const total = rows.find((r) => r.kind === 'units');
  const converted = total?.did_converted ?? 0;
  const dropped = (total?.did ?? 0) - converted;
  const candidates = rows
    .filter((r) => r.kind !== 'units')
    .map((r) => {
      const a = r.did_converted;
      const b = r.did - r.did_converted;
      const table: Table2x2 = { a, b, c: converted - a, d: dropped - b };
      return { key: keyOf(r), table };
    });
  const ranked = rankCorrelations(candidates, { minSupport });
  return {
    units: { converted, dropped },
    found: total?.found ?? 0,
    // Every candidate with enough support was tested, odds ratio 1 (in neither list) included.
    tested: candidates.length - ranked.untested.length,
    untested: ranked.untested.length,
    success: ranked.success.map(answerOf),
    drop_off: ranked.dropOff.map(answerOf),
  };
}
