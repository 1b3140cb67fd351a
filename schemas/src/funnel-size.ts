/**
 * How large a funnel definition may be: each list on its own (`FUNNEL_LIMITS`, enforced by the
 * zod schemas in `funnel.ts`) and the definition as a whole (`funnelComplexityProblem`).
 */
import type { FunnelDefinition, StepAlternative } from './funnel-types.ts';

/** Limits of a funnel definition. */
export const FUNNEL_LIMITS = {
  minSteps: 2,
  maxSteps: 20,
  alternatives: 10,
  filters: 20,
  inValues: 100,
  exclusions: 10,
  patternLength: 500,
  /**
   * The whole definition, steps and exclusions together: conditions (each alternative field, each
   * filter, each value of an `in` list counts one) and characters of url/path/element text/href patterns. Each list
   * above is bounded on its own, but their product is not: 20 steps of 10 alternatives of 20
   * `in` filters is 4,000 filters and took a minute of engine CPU.
   */
  terms: 500,
  patternChars: 5000,
  /** Alternatives of all steps and exclusions together (20 × 10 of them took 25 s on 5,000 events). */
  totalAlternatives: 100,
  /** One year. */
  maxWindowSeconds: 366 * 86_400,
  defaultWindowSeconds: 14 * 86_400,
  breakdownLimit: 50,
  defaultBreakdownLimit: 10,
} as const;

/**
 * Marks the issue of a definition over `FUNNEL_LIMITS.terms`, `patternChars` or `totalAlternatives`
 * (→ `funnel_too_complex`).
 */
export const FUNNEL_TOO_COMPLEX = 'funnel_too_complex';

/** Conditions and pattern characters of one alternative (see `FUNNEL_LIMITS.terms`). */
function alternativeSize(a: StepAlternative): { terms: number; chars: number } {
  const el = a.element;
  const patterns = [a.url, a.path, el?.text, el?.href];
  const fields = [a.type, a.name, el?.selector, el?.text_contains, a.form_id, ...patterns];
  let terms = fields.filter((f) => f !== undefined).length;
  for (const f of a.filters ?? []) terms += f.op === 'in' ? f.values.length : 1;
  return { terms, chars: patterns.reduce((sum, m) => sum + (m?.value.length ?? 0), 0) };
}

/** Why a definition is too big to run as a whole, or undefined when it is within the limits. */
export function funnelComplexityProblem(d: FunnelDefinition): string | undefined {
  let terms = 0;
  let chars = 0;
  let alternatives = 0;
  for (const { match } of [...d.steps, ...(d.exclusions ?? [])]) {
    alternatives += match.length;
    for (const a of match) {
      const size = alternativeSize(a);
      terms += size.terms;
      chars += size.chars;
    }
  }
  if (terms > FUNNEL_LIMITS.terms) {
    return `the definition has ${terms} conditions (filters and in-list values); at most ${FUNNEL_LIMITS.terms}`;
  }
  if (alternatives > FUNNEL_LIMITS.totalAlternatives) {
    return `the definition has ${alternatives} alternatives in all; at most ${FUNNEL_LIMITS.totalAlternatives}`;
  }
  if (chars > FUNNEL_LIMITS.patternChars) {
    return `the definition's url/path/element patterns have ${chars} characters; at most ${FUNNEL_LIMITS.patternChars}`;
  }
  return undefined;
}
