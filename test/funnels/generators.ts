/**
 * fast-check generators for funnel property tests: small vocabularies so that steps, exclusions,
 * units and breakdowns collide often, and coarse timestamps so that same-millisecond events,
 * gaps and window edges are common.
 */
import type {
  BreakdownDimension,
  FunnelBreakdown,
  FunnelDefinition,
  FunnelStep,
  FunnelUnit,
  PropertyFilter,
  StepAlternative,
} from '@funnelhouse/schemas';
import type { EventRow } from '@funnelhouse/server';
import fc from 'fast-check';
import { eventRow } from './rows.ts';

export const BASE = Date.UTC(2026, 2, 1, 12);
const TYPES = ['pageview', 'click', 'add_to_cart', 'purchase'] as const;
const PATHS = ['/a', '/b', '/c', '/a/x'];
const PROP_VALUES = ['1', '2', '10', 'x'];
/** Clicked element texts and link targets: some equal, some prefixes of others, some empty. */
const EL_TEXTS = ['Add', 'Add to cart', 'Buy', ''];
const EL_HREFS = ['/a', '/a/x', 'https://shop.example/b', ''];

const filter: fc.Arbitrary<PropertyFilter> = fc.oneof(
  fc.record({
    property: fc.constant('k'),
    op: fc.constantFrom('eq', 'neq', 'contains'),
    value: fc.constantFrom(...PROP_VALUES),
  }),
  fc.record({
    property: fc.constant('k'),
    op: fc.constant('in'),
    values: fc.subarray(PROP_VALUES, { minLength: 1 }),
  }),
  fc.record({ property: fc.constant('k'), op: fc.constant('exists') }),
  fc.record({ property: fc.constant('k'), op: fc.constantFrom('gt', 'lt'), value: fc.constantFrom(1, 2, 5) }),
  fc.record({
    column: fc.constantFrom('channel', 'country'),
    op: fc.constant('eq'),
    value: fc.constantFrom('direct', 'email', 'DE', ''),
  }),
  fc.record({
    column: fc.constantFrom('el_text', 'el_href'),
    op: fc.constantFrom('eq', 'contains', 'exists'),
    value: fc.constantFrom('Add', '/a', ''),
  }),
) as fc.Arbitrary<PropertyFilter>;

const pathMatch = fc.oneof(
  fc.record({ op: fc.constant('exact' as const), value: fc.constantFrom(...PATHS) }),
  fc.record({ op: fc.constant('wildcard' as const), value: fc.constantFrom('/a*', '/*', '*x') }),
  fc.record({ op: fc.constant('regex' as const), value: fc.constantFrom('^/[ab]$', 'x') }),
);
const typeArb = fc.constantFrom(...TYPES);

const elementArb = fc.oneof(
  fc.record({ text_contains: fc.constantFrom('Add', 'to') }),
  fc.record({
    text: fc.oneof(
      fc.record({ op: fc.constant('exact' as const), value: fc.constantFrom(...EL_TEXTS) }),
      fc.record({ op: fc.constant('wildcard' as const), value: fc.constantFrom('Add*', '*') }),
      fc.record({ op: fc.constant('regex' as const), value: fc.constantFrom('^Add$', 'u') }),
    ),
  }),
  fc.record({
    href: fc.oneof(
      fc.record({ op: fc.constant('exact' as const), value: fc.constantFrom(...EL_HREFS) }),
      fc.record({ op: fc.constant('wildcard' as const), value: fc.constantFrom('/a*', 'https://*') }),
      fc.record({ op: fc.constant('regex' as const), value: fc.constantFrom('^/a', 'b$') }),
    ),
  }),
);

/** Mostly one condition (so steps match often), sometimes several. */
const alternative: fc.Arbitrary<StepAlternative> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ type: typeArb }) },
  { weight: 2, arbitrary: fc.record({ path: pathMatch }) },
  { weight: 1, arbitrary: fc.record({ type: typeArb, path: pathMatch }) },
  {
    weight: 1,
    arbitrary: fc.record({ type: typeArb, filters: fc.array(filter, { minLength: 1, maxLength: 2 }) }),
  },
  { weight: 1, arbitrary: fc.record({ filters: fc.array(filter, { minLength: 1, maxLength: 1 }) }) },
  { weight: 1, arbitrary: fc.record({ element: elementArb }) },
);

const alternatives = fc.array(alternative, { minLength: 1, maxLength: 2 });

function stepArb(order: FunnelDefinition['order'], i: number, n: number): fc.Arbitrary<FunnelStep> {
  const gaps = (order === 'ordered' || order === 'strict') && i > 0;
  const optionals = order !== 'unordered' && i > 0 && i < n - 1;
  return fc
    .record({
      match: alternatives,
      optional: fc.boolean().map((b) => b && optionals),
      min: gaps ? fc.option(fc.constantFrom(0, 1, 5, 20), { freq: 3 }) : fc.constant(null),
      max: gaps ? fc.option(fc.constantFrom(1, 5, 30, 90), { freq: 3 }) : fc.constant(null),
    })
    .map(({ match, optional, min, max }) => {
      const s: FunnelStep = { match };
      if (optional) s.optional = true;
      if (min !== null && (max === null || min <= max)) s.min_gap_seconds = min;
      if (max !== null) s.max_gap_seconds = max;
      return s;
    });
}

const unitArb: fc.Arbitrary<FunnelUnit> = fc.constantFrom<FunnelUnit>(
  'visitor',
  'visitor',
  'session',
  'user',
  'cart_id',
  { property: 'u' },
);

export const definitionArb: fc.Arbitrary<FunnelDefinition> = fc
  .record({
    order: fc.constantFrom('ordered', 'strict', 'any', 'unordered'),
    n: fc.integer({ min: 2, max: 5 }),
  })
  .chain(({ order, n }) =>
    fc
      .record({
        steps: fc.tuple(
          ...Array.from({ length: n }, (_, i) => stepArb(order as FunnelDefinition['order'], i, n)),
        ),
        window: fc.constantFrom(30, 60, 120, 600),
        unit: unitArb,
        exclusions: fc.array(
          fc.record({
            match: alternatives,
            a: fc.integer({ min: 1, max: n }),
            b: fc.integer({ min: 1, max: n }),
          }),
          { maxLength: 2 },
        ),
        exclusionMode: fc.constantFrom(undefined, 'attempt' as const, 'unit' as const),
      })
      .map(({ steps, window, unit, exclusions, exclusionMode }) => {
        const def: FunnelDefinition = {
          steps,
          order: order as FunnelDefinition['order'],
          window_seconds: window,
          unit,
        };
        for (const s of steps) {
          if ((s.min_gap_seconds ?? 0) > window) delete s.min_gap_seconds;
        }
        const ex = exclusions
          .map((x) => ({ match: x.match, from_step: Math.min(x.a, x.b), to_step: Math.max(x.a, x.b) }))
          .filter(
            (x) =>
              x.from_step < x.to_step && !steps[x.from_step - 1]?.optional && !steps[x.to_step - 1]?.optional,
          );
        if (ex.length > 0) def.exclusions = ex;
        if (exclusionMode) def.exclusion_mode = exclusionMode;
        return def;
      }),
  );

const dimensionArb: fc.Arbitrary<BreakdownDimension> = fc.constantFrom(
  { column: 'channel' },
  { column: 'country' },
  { property: 'k' },
  { experiment: 'e' },
);

export function breakdownArb(n: number): fc.Arbitrary<FunnelBreakdown | undefined> {
  const limit = fc.integer({ min: 1, max: 3 });
  return fc.option(
    fc.oneof(
      {
        weight: 3,
        arbitrary: fc.record({ dimension: dimensionArb, at_step: fc.integer({ min: 1, max: n }), limit }),
      },
      {
        weight: 1,
        arbitrary: fc.record({
          dimension: dimensionArb,
          attribution: fc.constantFrom('first_touch' as const, 'last_touch' as const, 'every_touch' as const),
          limit,
        }),
      },
    ),
    { nil: undefined },
  );
}

/** Milliseconds after `BASE`: on a whole second half the time (ties are common), within 150 s. */
export const dtArb = fc.oneof(
  fc.integer({ min: 0, max: 150 }).map((s) => s * 1000),
  fc.integer({ min: 0, max: 150_000 }),
);

/**
 * Random rows of one site: a few units, times on a coarse grid (same-ms events are common).
 * `heavy`: hundreds of events over the same units and span, so that steps match many events of
 * each unit and its attempts overlap.
 */
export function eventsArb(site: string, heavy = false): fc.Arbitrary<EventRow[]> {
  const one = fc.record({
    dt: dtArb,
    type: fc.constantFrom(...TYPES, 'custom'),
    path: fc.constantFrom(...PATHS),
    visitor: fc.constantFrom('v1', 'v2'),
    session: fc.constantFrom('s1', 's2', 's3'),
    user: fc.constantFrom('', 'u1', 'u2'),
    cart: fc.constantFrom('', 'c1', 'c2'),
    k: fc.option(fc.constantFrom(...PROP_VALUES, ''), { nil: undefined }),
    u: fc.option(fc.constantFrom('p1', 'p2'), { nil: undefined }),
    channel: fc.constantFrom('direct', 'email', 'social'),
    country: fc.constantFrom('DE', 'FR', ''),
    e: fc.option(fc.constantFrom('A', 'B'), { nil: undefined }),
    elText: fc.constantFrom(...EL_TEXTS),
    elHref: fc.constantFrom(...EL_HREFS),
  });
  const length = heavy ? { minLength: 150, maxLength: 400 } : { minLength: 5, maxLength: 40 };
  return fc.array(one, { ...length, size: 'max' }).map((xs) => xs.map((x) => generatedRow(site, x)));
}

/**
 * One generated event: milliseconds after `BASE`, its type (a custom event's `name`), page,
 * identities, the optional properties `k`, `q`, `u`, the experiment `e`'s variant and the clicked
 * element. The funnel and correlation generators draw these from their own value sets.
 */
export interface GeneratedEvent {
  dt: number;
  type: EventRow['type'];
  name?: string;
  path: string;
  visitor: string;
  session: string;
  user: string;
  cart: string;
  k?: string | undefined;
  q?: string | undefined;
  u?: string | undefined;
  channel: string;
  country: string;
  e?: string | undefined;
  elText?: string;
  elHref?: string;
}

/** A generated event as a stored row of `site` (a name only on a custom event). */
export function generatedRow(site: string, x: GeneratedEvent): EventRow {
  const props: Record<string, string> = {};
  for (const key of ['k', 'q', 'u'] as const) {
    const value = x[key];
    if (value !== undefined) props[key] = value;
  }
  return eventRow(site, {
    ts: BASE + x.dt,
    type: x.type,
    ...(x.name !== undefined ? { name: x.type === 'custom' ? x.name : '' } : {}),
    path: x.path,
    url: `https://shop.example${x.path}`,
    visitor_id: x.visitor,
    session_id: x.session,
    user_id: x.user,
    cart_id: x.cart,
    channel: x.channel,
    country: x.country,
    props,
    experiments: x.e ? { e: x.e } : {},
    ...(x.elText !== undefined ? { el_text: x.elText } : {}),
    ...(x.elHref !== undefined ? { el_href: x.elHref } : {}),
  });
}

/** Range and evaluation instant around the generated events. */
export const timesArb = fc.record({
  from: fc.constantFrom(0, 10_000, 40_000).map((d) => BASE + d),
  to: fc.constantFrom(60_000, 100_000, 151_000).map((d) => BASE + d),
  now: fc.constantFrom(80_000, 130_000, 10_000_000).map((d) => BASE + d),
});

/**
 * One generated funnel question: a definition, its events (site id still a placeholder), a
 * breakdown or none, and the engine options: range, breakdown and a work limit (mostly the real
 * one; sometimes one low enough to skip some units).
 */
export const funnelCaseArb = caseArb(false);

/** The same questions over heavy units (`eventsArb`); the low work limit skips some of them. */
export const heavyCaseArb = caseArb(true);

function caseArb(heavy: boolean) {
  return definitionArb.chain((def) =>
    fc
      .record({
        bd: breakdownArb(def.steps.length),
        rows: eventsArb('placeholder', heavy),
        t: timesArb,
        maxUnitWork: heavy
          ? fc.constantFrom(undefined, undefined, 2_000)
          : fc.constantFrom(undefined, undefined, 8, 40),
      })
      .map(({ bd, rows, t, maxUnitWork }) => ({
        def,
        bd,
        rows,
        o: { ...t, ...(bd ? { breakdown: bd } : {}), ...(maxUnitWork ? { maxUnitWork } : {}) },
      })),
  );
}
