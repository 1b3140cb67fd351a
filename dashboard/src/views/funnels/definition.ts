/**
 * The funnel being edited, as the URL carries it (`def`: the definition as JSON; `breakdown`:
 * `column:channel`, `property:plan` or `experiment:cta-color`), and the builder's pure edits.
 */
import type {
  BreakdownDimension,
  FunnelBreakdown,
  FunnelDefinition,
  FunnelStep,
  StepAlternative,
} from '@funnelhouse/schemas';

export const DEFAULT_DEFINITION: FunnelDefinition = {
  steps: [
    { label: 'Visited', match: [{ type: 'pageview' }] },
    { label: 'Purchased', match: [{ type: 'purchase' }] },
  ],
  order: 'ordered',
  window_seconds: 86_400,
  unit: 'visitor',
};

export function parseDefinition(def: string | undefined): FunnelDefinition {
  if (!def) return DEFAULT_DEFINITION;
  try {
    const d = JSON.parse(def) as FunnelDefinition;
    return Array.isArray(d.steps) && d.steps.length > 0 ? d : DEFAULT_DEFINITION;
  } catch {
    return DEFAULT_DEFINITION;
  }
}

export const encodeDefinition = (d: FunnelDefinition) => JSON.stringify(d);

/**
 * The definition as JSON with every object's keys sorted: equal for equal funnels whatever order
 * the keys were set in (the builder appends fields as they are edited; the server answers in its
 * schema's order), so a save that stores the funnel being shown does not ask the question again.
 */
export function canonicalDefinition(d: FunnelDefinition): string {
  return JSON.stringify(d, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

export function parseBreakdown(b: string | undefined): BreakdownDimension | undefined {
  const m = /^(column|property|experiment):(.+)$/.exec(b ?? '');
  if (!m?.[2]) return undefined;
  const v = m[2];
  return m[1] === 'column'
    ? ({ column: v } as BreakdownDimension)
    : m[1] === 'property'
      ? { property: v }
      : { experiment: v };
}

/** The URL's `breakdown` of a saved breakdown (its dimension: what the builder edits). */
export function breakdownParam(b: FunnelBreakdown | undefined): string | undefined {
  const d = b?.dimension;
  if (!d) return undefined;
  if ('column' in d) return `column:${d.column}`;
  if ('property' in d) return `property:${d.property}`;
  return `experiment:${d.experiment}`;
}

/** Replaces step `i` (0-based). */
export function withStep(d: FunnelDefinition, i: number, step: FunnelStep): FunnelDefinition {
  return { ...d, steps: d.steps.map((s, j) => (j === i ? step : s)) };
}

/** Moves step `i` by `by` places (±1); the first and last steps stay required. */
export function moveStep(d: FunnelDefinition, i: number, by: number): FunnelDefinition {
  const j = i + by;
  if (j < 0 || j >= d.steps.length) return d;
  const steps = [...d.steps];
  [steps[i], steps[j]] = [steps[j] as FunnelStep, steps[i] as FunnelStep];
  return { ...d, steps: requiredEnds(steps) };
}

export function removeStep(d: FunnelDefinition, i: number): FunnelDefinition {
  if (d.steps.length <= 2) return d;
  const steps = requiredEnds(d.steps.filter((_, j) => j !== i));
  const exclusions = d.exclusions?.filter((x) => x.to_step <= steps.length);
  return { ...d, steps, ...(exclusions ? { exclusions } : {}) };
}

export function addStep(d: FunnelDefinition): FunnelDefinition {
  return { ...d, steps: requiredEnds([...d.steps, { match: [{ type: 'pageview' }] }]) };
}

/** The API refuses an optional first or last step: those lose the flag. */
function requiredEnds(steps: FunnelStep[]): FunnelStep[] {
  return steps.map((s, i) => {
    if ((i === 0 || i === steps.length - 1) && s.optional) {
      const { optional: _drop, ...rest } = s;
      return rest;
    }
    return s;
  });
}

/** The step's one alternative the builder edits (more alternatives stay as they are). */
export const alternativeOf = (s: FunnelStep): StepAlternative => s.match[0] ?? {};

/** Sets or clears (empty string / undefined) one field of an alternative. */
export function withField<K extends keyof StepAlternative>(
  a: StepAlternative,
  k: K,
  v: StepAlternative[K] | '' | undefined,
): StepAlternative {
  const next = { ...a };
  if (v === '' || v === undefined) delete next[k];
  else next[k] = v as StepAlternative[K];
  return next;
}
