/**
 * A brute-force oracle for funnel correlation (issue 29): per unit, the funnel oracle's outcome
 * (`oracle.ts`) gives the instants it reached each step; the unit's raw events are then read one by
 * one under the rules of `CORRELATION_DEFINITION` (schemas/src/correlation.ts):
 *
 * - units: counted units whose levels include step `from` (with mature cohorts, window closed);
 *   converted when the levels include step `to`;
 * - events that count: `t_from < ts < t_to` (converted), `t_from < ts <= entry + window` (dropped);
 * - event candidates: the type of each counted event, the name of each counted `custom` event with
 *   one, minus the types and names an alternative of a step after `from` names (unless
 *   `includeStepEvents`);
 * - unit-level properties: the smallest value among the unit's events at `t_from` (landing path: at
 *   the entry instant) that match some step, '' when none; `props.NAME`: every non-empty value on
 *   the counted events, '' when there is none;
 * - per property, the top `topValues` non-empty values by units then value keep their own rows,
 *   the others fold into one "other" row counted per unit; then all candidates are sorted by units
 *   (descending), kind, property, bucket, value and cut at `limit`.
 *
 * Values compare as JavaScript strings; the generators use ASCII, where that is ClickHouse's order.
 */
import type { CorrelationProperty, FunnelDefinition } from '@funnelhouse/schemas';
import { funnelWindowSeconds } from '@funnelhouse/schemas';
import { oracleFunnel } from './oracle.ts';
import { anyAlternativeMatches, type OracleEvent, unitOf } from './oracle-match.ts';

export interface CorrelationOracleOptions {
  from: number;
  to: number;
  now: number;
  stepFrom: number;
  stepTo: number;
  properties: CorrelationProperty[];
  cohorts?: 'all' | 'mature';
  /** Test the types and names that define a later step too. */
  includeStepEvents?: boolean;
  topValues?: number;
  limit?: number;
}

export interface OracleCandidate {
  kind: 'event_type' | 'event_name' | 'property';
  property: string;
  bucket: '' | 'value' | 'empty' | 'other';
  value: string;
  did: number;
  didConverted: number;
}

export interface CorrelationOracleAnswer {
  converted: number;
  dropped: number;
  /** Candidates before the cut. */
  found: number;
  candidates: OracleCandidate[];
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const SEP = '\u0001';

/** Types and names named by an alternative of a step after `stepFrom`. */
function excluded(def: FunnelDefinition, stepFrom: number) {
  const types = new Set<string>();
  const names = new Set<string>();
  def.steps.forEach((s, k) => {
    if (k <= stepFrom) return;
    for (const a of s.match) {
      if (a.type !== undefined) types.add(a.type);
      if (a.name !== undefined) names.add(a.name);
    }
  });
  return { types, names };
}

function unitLevel(prop: CorrelationProperty, e: OracleEvent): string {
  if (prop === 'landing_path') return e.path;
  if (prop.startsWith('experiments.')) return e.experiments[prop.slice('experiments.'.length)] ?? '';
  return String(e[prop] ?? '');
}

/** Each unit's candidates as `kind SEP property SEP value` keys, and whether it converted. */
function unitCandidates(
  events: OracleEvent[],
  def: FunnelDefinition,
  o: CorrelationOracleOptions,
): { conv: boolean; keys: Set<string> }[] {
  const windowMs = funnelWindowSeconds(def) * 1000;
  const { types, names } = o.includeStepEvents
    ? { types: new Set(), names: new Set() }
    : excluded(def, o.stepFrom);
  const atStep = (e: OracleEvent) => def.steps.some((s) => anyAlternativeMatches(s.match, e));
  const out: { conv: boolean; keys: Set<string> }[] = [];
  for (const u of oracleFunnel(events, def, { from: o.from, to: o.to, now: o.now })) {
    const at = (step: number) => u.levels.indexOf(step + 1);
    if (u.skipped || at(o.stepFrom) === -1) continue;
    if (o.cohorts === 'mature' && u.windowOpen) continue;
    const tFrom = u.entryTs + (u.fromEntry[at(o.stepFrom)] as number);
    const conv = at(o.stepTo) !== -1;
    const tEnd = conv ? u.entryTs + (u.fromEntry[at(o.stepTo)] as number) : u.entryTs + windowMs + 1;
    const mine = events.filter(
      (e) => unitOf(def.unit ?? 'visitor', e) === u.unit && e.ts >= o.from && e.ts < o.now,
    );
    const counted = mine.filter((e) => e.ts > tFrom && e.ts < tEnd);
    const keys = new Set<string>();
    const add = (kind: string, property: string, value: string) =>
      keys.add([kind, property, value].join(SEP));
    for (const e of counted) {
      if (!types.has(e.type)) add('event_type', '', e.type);
      if (e.type === 'custom' && e.name !== '' && !names.has(e.name)) add('event_name', '', e.name);
    }
    for (const prop of o.properties) {
      if (prop.startsWith('props.')) {
        const k = prop.slice('props.'.length);
        const values = counted.map((e) => e.props[k] ?? '').filter((v) => v !== '');
        for (const v of values) add('property', prop, v);
        if (values.length === 0) add('property', prop, '');
        continue;
      }
      const instant = prop === 'landing_path' ? u.entryTs : tFrom;
      const values = mine.filter((e) => e.ts === instant && atStep(e)).map((e) => unitLevel(prop, e));
      add('property', prop, values.sort(cmp)[0] ?? '');
    }
    out.push({ conv, keys });
  }
  return out;
}

function tally(
  units: { conv: boolean; keys: Iterable<string> }[],
): Map<string, { did: number; conv: number }> {
  const counts = new Map<string, { did: number; conv: number }>();
  for (const u of units) {
    for (const k of u.keys) {
      const c = counts.get(k) ?? { did: 0, conv: 0 };
      c.did += 1;
      if (u.conv) c.conv += 1;
      counts.set(k, c);
    }
  }
  return counts;
}

export function oracleCorrelation(
  events: OracleEvent[],
  def: FunnelDefinition,
  o: CorrelationOracleOptions,
): CorrelationOracleAnswer {
  const top = o.topValues ?? 20;
  const units = unitCandidates(events, def, o);
  // Per property, its top values; the others fold into "other" per unit.
  const byProperty = new Map<string, { value: string; did: number }[]>();
  for (const [k, c] of tally(units)) {
    const [kind, property, value] = k.split(SEP) as [string, string, string];
    if (kind !== 'property' || value === '') continue;
    byProperty.set(property, [...(byProperty.get(property) ?? []), { value, did: c.did }]);
  }
  const kept = new Set<string>();
  for (const [property, values] of byProperty) {
    values.sort((a, b) => b.did - a.did || cmp(a.value, b.value));
    for (const v of values.slice(0, top)) kept.add(`${property}${SEP}${v.value}`);
  }
  const bucketed = units.map((u) => ({
    conv: u.conv,
    keys: new Set(
      [...u.keys].map((k) => {
        const [kind, property, value] = k.split(SEP) as [string, string, string];
        if (kind !== 'property') return [kind, property, '', value].join(SEP);
        if (value === '') return [kind, property, 'empty', ''].join(SEP);
        if (kept.has(`${property}${SEP}${value}`)) return [kind, property, 'value', value].join(SEP);
        return [kind, property, 'other', ''].join(SEP);
      }),
    ),
  }));
  const candidates: OracleCandidate[] = [...tally(bucketed)].map(([k, c]) => {
    const [kind, property, bucket, value] = k.split(SEP) as [
      OracleCandidate['kind'],
      string,
      OracleCandidate['bucket'],
      string,
    ];
    return { kind, property, bucket, value, did: c.did, didConverted: c.conv };
  });
  candidates.sort(
    (a, b) =>
      b.did - a.did ||
      cmp(a.kind, b.kind) ||
      cmp(a.property, b.property) ||
      cmp(a.bucket, b.bucket) ||
      cmp(a.value, b.value),
  );
  const converted = units.filter((u) => u.conv).length;
  return {
    converted,
    dropped: units.length - converted,
    found: candidates.length,
    candidates: candidates.slice(0, o.limit ?? 500),
  };
}
