import { describe, expect, it } from 'vitest';
import {
  FUNNEL_LIMITS,
  FUNNEL_TOO_COMPLEX,
  funnelComplexityProblem,
  funnelDefinitionSchema,
  funnelQuerySchema,
  funnelResultsQuerySchema,
  normaliseSavedDefinition,
} from './funnel.ts';
import type { FunnelDefinition } from './funnel-types.ts';

const step = (extra = {}) => ({ match: [{ type: 'pageview' }], ...extra });
const paths = (input: unknown) => {
  const r = funnelDefinitionSchema.safeParse(input);
  return r.success ? [] : r.error.issues.map((i) => i.path.join('.'));
};

describe('funnelDefinitionSchema', () => {
  it('accepts a full definition', () => {
    expect(
      paths({
        steps: [step(), step({ optional: true, max_gap_seconds: 60, min_gap_seconds: 5 }), step()],
        order: 'strict',
        window_seconds: 3600,
        exclusions: [{ match: [{ type: 'custom', name: 'x' }], from_step: 1, to_step: 3 }],
        unit: { property: 'account' },
      }),
    ).toEqual([]);
  });

  it.each([
    ['one step', { steps: [step()] }, ['steps']],
    ['21 steps', { steps: Array.from({ length: 21 }, () => step()) }, ['steps']],
    [
      'an optional first or last step',
      { steps: [step({ optional: true }), step({ optional: true })] },
      ['steps.0.optional', 'steps.1.optional'],
    ],
    [
      'gaps in any order',
      { steps: [step(), step({ max_gap_seconds: 5 })], order: 'any' },
      ['steps.1.max_gap_seconds'],
    ],
    [
      'an optional step or a gap in unordered order',
      { steps: [step(), step({ optional: true, min_gap_seconds: 5 }), step()], order: 'unordered' },
      ['steps.1.optional', 'steps.1.max_gap_seconds'],
    ],
    ['a gap on the entry', { steps: [step({ min_gap_seconds: 5 }), step()] }, ['steps.0.max_gap_seconds']],
    [
      'min gap above max gap',
      { steps: [step(), step({ min_gap_seconds: 9, max_gap_seconds: 5 })] },
      ['steps.1.min_gap_seconds'],
    ],
    ['an empty alternative', { steps: [step(), { match: [{}] }] }, ['steps.1.match.0']],
    [
      'a look-around regex',
      { steps: [step(), { match: [{ url: { op: 'regex', value: '(?=x)' } }] }] },
      ['steps.1.match.0.url.value'],
    ],
    [
      'an exclusion out of range or at an optional step',
      {
        steps: [step(), step({ optional: true }), step()],
        exclusions: [{ match: [step().match[0]], from_step: 2, to_step: 4 }],
      },
      ['exclusions.0.to_step', 'exclusions.0.from_step'],
    ],
    [
      'an unknown element key and a look-around in an element pattern',
      {
        steps: [step(), { match: [{ element: { label: 'x', href: { op: 'regex', value: '(?!x)' } } }] }],
      },
      ['steps.1.match.0.element', 'steps.1.match.0.element.href.value'],
    ],
    ['an unknown exclusion mode', { steps: [step(), step()], exclusion_mode: 'session' }, ['exclusion_mode']],
    ['an unknown unit', { steps: [step(), step()], unit: 'device' }, ['unit']],
    [
      'an unknown filter column',
      { steps: [step(), { match: [{ filters: [{ column: 'ip', op: 'eq', value: '1' }] }] }] },
      ['steps.1.match.0.filters.0'],
    ],
  ])('refuses %s, naming the path', (_label, input, want) => {
    expect(paths(input)).toEqual(expect.arrayContaining(want));
  });

  it('refuses at_step with a touch attribution', () => {
    const r = funnelQuerySchema.safeParse({
      definition: { steps: [step(), step()] },
      range: '7d',
      breakdown: { dimension: { column: 'channel' }, attribution: 'first_touch', at_step: 2 },
    });
    expect(r.success ? [] : r.error.issues.map((i) => i.path.join('.'))).toEqual(['breakdown.at_step']);
  });

  it('refuses a breakdown step past the last step', () => {
    const r = funnelQuerySchema.safeParse({
      definition: { steps: [step(), step()] },
      from: '2026-01-01',
      to: '2026-01-31',
      breakdown: { dimension: { column: 'channel' }, at_step: 3 },
    });
    expect(r.success ? [] : r.error.issues.map((i) => i.path.join('.'))).toEqual(['breakdown.at_step']);
  });
});

describe('the size of a definition as a whole', () => {
  const inStep = (values: number) => ({
    match: [{ filters: [{ property: 'p', op: 'in', values: Array.from({ length: values }, String) }] }],
  });
  it('counts in-list values and alternative fields against FUNNEL_LIMITS.terms', () => {
    // 5 steps × 100 values = 500 conditions: allowed; one more is not.
    const at = { steps: Array.from({ length: 5 }, () => inStep(100)) };
    expect(funnelComplexityProblem(at as never)).toBeUndefined();
    expect(paths(at)).toEqual([]);
    const over = { steps: [...at.steps, { match: [{ type: 'pageview' }] }] };
    expect(funnelComplexityProblem(over as never)).toContain('501 conditions');
    const r = funnelDefinitionSchema.safeParse(over);
    const issue = r.success ? undefined : r.error.issues[0];
    expect(issue && 'params' in issue ? issue.params : undefined).toEqual({ reason: FUNNEL_TOO_COMPLEX });
  });

  it('bounds the characters of all url/path patterns', () => {
    const pattern = { op: 'wildcard', value: 'x'.repeat(FUNNEL_LIMITS.patternLength) };
    const n = FUNNEL_LIMITS.patternChars / FUNNEL_LIMITS.patternLength;
    const steps = Array.from({ length: n + 1 }, () => ({ match: [{ path: pattern }] }));
    expect(funnelComplexityProblem({ steps: steps.slice(0, n) } as never)).toBeUndefined();
    expect(funnelComplexityProblem({ steps } as never)).toContain('characters');
  });

  it('counts element text and href patterns as conditions and pattern characters', () => {
    const pattern = { op: 'exact', value: 'x'.repeat(FUNNEL_LIMITS.patternLength) };
    const n = FUNNEL_LIMITS.patternChars / FUNNEL_LIMITS.patternLength / 2;
    const alt = { element: { text: pattern, href: pattern } };
    const steps = Array.from({ length: n + 1 }, () => ({ match: [alt] }));
    expect(funnelComplexityProblem({ steps: steps.slice(0, n) } as never)).toBeUndefined();
    expect(funnelComplexityProblem({ steps } as never)).toContain('characters');
    const many = Array.from({ length: 20 }, () => ({ match: Array.from({ length: 5 }, () => alt) }));
    // 100 alternatives × 2 conditions = 200 ≤ 500, but 100 × 1,000 characters is over.
    expect(funnelComplexityProblem({ steps: many } as never)).toContain('characters');
  });
});

describe("names that were PostHog's, for rules that are not PostHog's", () => {
  const messages = (r: { success: boolean; error?: { issues: { message: string }[] } }) =>
    r.success ? [] : (r.error?.issues ?? []).map((i) => i.message);
  it.each([
    ['exclusion_mode', 'person', 'unit'],
    ['attribution', 'step', 'counted_step'],
    ['attribution', 'all_events', 'every_touch'],
  ])('refuses the old %s "%s", naming the new one', (field, old, now) => {
    const definition = {
      steps: [step(), step()],
      ...(field === 'exclusion_mode' ? { exclusion_mode: old } : {}),
    };
    const breakdown =
      field === 'attribution' ? { dimension: { column: 'channel' }, attribution: old } : undefined;
    const r = funnelQuerySchema.safeParse({ definition, range: '7d', breakdown });
    expect(messages(r)).toEqual([
      `"${old}" is now called "${now}": it is not PostHog's rule of that name (see the README)`,
    ]);
    const renamed = field === 'exclusion_mode' ? { ...definition, exclusion_mode: now } : definition;
    const ok = funnelQuerySchema.safeParse({
      definition: renamed,
      range: '7d',
      ...(breakdown ? { breakdown: { ...breakdown, attribution: now } } : {}),
    });
    expect(ok.success).toBe(true);
  });

  it('refuses the old names as saved-funnel query parameters too', () => {
    const r = funnelResultsQuerySchema.safeParse({
      breakdown: 'column:channel',
      breakdown_attribution: 'all_events',
    });
    expect(messages(r)[0]).toContain('"every_touch"');
  });

  it('reads a saved definition with exclusion_mode "person" as "unit" (the same rule), leaving others alone', () => {
    const saved = { steps: [step(), step()], exclusion_mode: 'person' } as unknown as FunnelDefinition;
    expect(normaliseSavedDefinition(saved)).toEqual({ steps: [step(), step()], exclusion_mode: 'unit' });
    expect(funnelDefinitionSchema.safeParse(normaliseSavedDefinition(saved)).success).toBe(true);
    const plain = { steps: [step(), step()] } as FunnelDefinition;
    expect(normaliseSavedDefinition(plain)).toBe(plain);
  });
});
