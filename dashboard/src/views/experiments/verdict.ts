/**
 * The plain-words reading of an experiment answer, pure: the verdict on the primary metric and
 * the health warnings. A result is called only at p (Holm-adjusted) < 0.05, and never while the
 * split is off (sample ratio mismatch).
 */
import type { ExperimentMetric, ExperimentResult, ExperimentVariantResult } from '@funnelhouse/schemas';
import { fmtPct } from '../../format.ts';

export const ALPHA = 0.05;

export interface Warning {
  kind: 'error' | 'warn';
  id: string;
  text: string;
}

export function metricLabel(m: ExperimentMetric): string {
  const k = (m as { kind: string }).kind;
  const words: Record<string, string> = {
    conversion: 'conversion rate',
    revenue_per_visitor: 'revenue per visitor',
    orders_per_visitor: 'orders per visitor',
    average_order_value: 'average order value',
  };
  return words[k] ?? k.replace(/_/g, ' ');
}

export function healthWarnings(r: ExperimentResult): Warning[] {
  const out: Warning[] = [];
  const srm = r.health.srm;
  if (srm.mismatch) {
    const split = r.variants.map((v) => `${v.key} ${v.units}`).join(', ');
    out.push({
      kind: 'error',
      id: 'srm',
      text: `Sample ratio mismatch: the exposures (${split}) do not fit the planned split (p ${pIs(srm.p_value)}). Assignment or tracking is broken for some visitors, so the numbers below may be biased; find the cause before reading them.`,
    });
  }
  if (r.health.multiple_exposures > 0) {
    out.push({
      kind: 'warn',
      id: 'multiple',
      text: `${r.health.multiple_exposures} visitors saw more than one variant; they are left out of every number.`,
    });
  }
  const undefinedWarning = undefinedVariantsWarning(r.health);
  if (undefinedWarning) out.push(undefinedWarning);
  return out;
}

/**
 * One banner for exposures to variants the experiment does not define: the server lists the
 * largest few (any visitor can send any variant) and counts the rest, said here as "and N more".
 */
function undefinedVariantsWarning(h: ExperimentResult['health']): Warning | null {
  const listed = h.undefined_variants;
  if (listed.length === 0 && h.undefined_variants_more === 0) return null;
  const units = (n: number) => `${n.toLocaleString('en')} visitor${n === 1 ? '' : 's'}`;
  const named = listed.map((u) => `"${u.variant || '(none)'}" (${units(u.units)})`).join(', ');
  const more = h.undefined_variants_more;
  const rest = more > 0 ? ` and ${more.toLocaleString('en')} more` : '';
  return {
    kind: 'warn',
    id: 'undefined-variants',
    text: `Visitors were exposed to variants the experiment does not define: ${named}${rest}. They are left out.`,
  };
}

/** The best treatment on the primary metric and what can be said about it. */
export function verdict(r: ExperimentResult): { tone: 'win' | 'lose' | 'none' | 'bad'; text: string } {
  const primary = r.metrics.find((m) => m.role === 'primary');
  if (!primary) return { tone: 'none', text: 'No primary metric.' };
  const label = metricLabel(primary.metric);
  if (r.health.srm.mismatch) {
    return {
      tone: 'bad',
      text: `No verdict: the split of visitors is off (sample ratio mismatch), so ${label} cannot be trusted.`,
    };
  }
  const treatments = primary.variants.filter((v) => v.variant !== r.control && v.comparison);
  if (treatments.length === 0) {
    return {
      tone: 'none',
      text: `Not enough visitors yet to compare ${label}: keep the experiment running.`,
    };
  }
  const best = [...treatments].sort((a, b) => chance(b) - chance(a))[0] as ExperimentVariantResult;
  const c = best.comparison;
  if (!c) return { tone: 'none', text: 'Not enough visitors yet.' };
  const rel = c.relative;
  const change = rel
    ? `${signed(rel.estimate)} (95 % interval ${signed(rel.interval.low)} to ${signed(rel.interval.high)})`
    : `${c.absolute.estimate >= 0 ? '+' : ''}${c.absolute.estimate.toPrecision(3)}`;
  if (c.p_value_holm < ALPHA) {
    const up = c.absolute.estimate > 0;
    return {
      tone: up ? 'win' : 'lose',
      text: `${best.variant} ${up ? 'beats' : 'does worse than'} ${r.control} on ${label}: ${change}, ${fmtPct(c.chance_to_beat_control)} chance to beat ${r.control} (p ${pIs(c.p_value_holm)}).`,
    };
  }
  return {
    tone: 'none',
    text: `No clear winner yet on ${label}: ${best.variant} vs ${r.control} ${change}, ${fmtPct(c.chance_to_beat_control)} chance to beat ${r.control}, p ${pIs(c.p_value_holm)} — not significant; keep it running.`,
  };
}

const chance = (v: ExperimentVariantResult) => v.comparison?.chance_to_beat_control ?? 0;
const signed = (x: number) => `${x >= 0 ? '+' : '−'}${fmtPct(Math.abs(x))}`;

/** "= 0.0123" or "< 0.0001", to follow a "p". */
const pIs = (p: number | null | undefined) => (p != null && p < 0.0001 ? '< 0.0001' : `= ${fmtP(p)}`);

export function fmtP(p: number | null | undefined): string {
  if (p == null) return '–';
  return p < 0.0001 ? '< 0.0001' : p.toFixed(4);
}
