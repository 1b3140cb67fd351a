/**
 * PostHog's own funnel tests, transcribed as hand cases (scenario and expected numbers, not code).
 * Our exclusion modes and attributions once carried PostHog's names (`person`, `step`,
 * `all_events`); run against these tests they disagree, so they were renamed (`unit`,
 * `counted_step`, `every_touch`). Each case asserts our documented outcome on both the oracle and
 * the engine, and says what PostHog's test expects and whether we match it.
 *
 * Sources (PostHog/posthog):
 * - E: posthog/hogql_queries/insights/funnels/test/test_funnel.py (funnel_test_factory)
 * - U: posthog/hogql_queries/insights/funnels/test/test_funnel_udf.py
 * - B: posthog/hogql_queries/insights/funnels/test/breakdown_cases.py
 * - TU: posthog/hogql_queries/insights/funnels/test/test_funnel_trends_udf.py
 * - R: funnel-udf/src/steps.rs (the rule, where no test covers the case)
 * PostHog's steps are 0-based (`funnel_from_step: 0` is our `from_step: 1`).
 */
import type {
  FunnelDefinition,
  FunnelExclusion,
  FunnelExclusionMode,
  StepAlternative,
} from '@funnelhouse/schemas';
import { describe, it } from 'vitest';
import { check, type Expect, ev, sec } from './check.ts';

const H = 3600;
const DAY = 86_400;
const named = (name: string): StepAlternative => ({ type: 'custom', name });
const e = (unit: string, at: number, name: string, props?: Record<string, string>) =>
  ev(unit, at, 'custom', { name, ...(props ? { props } : {}) });
const stepsOf = (...names: string[]) => names.map((n) => ({ match: [named(n)] }));
const excl = (name: string, from_step: number, to_step: number): FunnelExclusion => ({
  match: [named(name)],
  from_step,
  to_step,
});
const both: FunnelExclusionMode[] = ['attempt', 'unit'];
/** A unit that reached step k of an n-step funnel, each step `gaps` seconds after the previous. */
const at = (unit: string, k: number, fromEntry: number[]): Expect => ({
  unit,
  furthest: k,
  levels: Array.from({ length: k }, (_, i) => i + 1),
  fromEntry,
});

describe("PostHog's exclusion tests", () => {
  const signupPaid = (window: number, mode: FunnelExclusionMode, x = 'x'): FunnelDefinition => ({
    steps: stepsOf('user signed up', 'paid'),
    window_seconds: window,
    exclusions: [excl(x, 1, 2)],
    exclusion_mode: mode,
  });

  // E test_funnel_exclusion_no_end_event: window 1 day; PostHog counts [2, 1] (person1 at 2,
  // person4 at 1: its X comes 25 h after the entry, past the window).
  const noEndEvent = [
    e('p1', 1 * H, 'user signed up'),
    e('p1', 2 * H, 'paid'),
    e('p2', 3 * H, 'user signed up'),
    e('p2', 3.5 * H, 'x'),
    e('p2', 4 * H, 'paid'),
    e('p3', 5 * H, 'user signed up'),
    e('p3', 6 * H, 'x'),
    e('p4', 7 * H, 'user signed up'),
    e('p4', 32 * H, 'x'),
  ];
  it('no end event: unit mode matches PostHog [2, 1]', async () => {
    await check(signupPaid(DAY, 'unit'), noEndEvent, [at('p1', 2, [0, H]), at('p4', 1, [0])]);
  });
  it('no end event: attempt mode keeps person3, who gave up after X: [3, 1] (PostHog [2, 1])', async () => {
    await check(signupPaid(DAY, 'attempt'), noEndEvent, [
      at('p1', 2, [0, H]),
      at('p3', 1, [0]),
      at('p4', 1, [0]),
    ]);
  });

  // E test_funnel_exclusion_multiple_possible_no_end_event1/2/3: window 10 s, steps "step one",
  // "step two", X between them. PostHog: [1, 0], [1, 0], and nobody.
  const twoSteps = (mode: FunnelExclusionMode) => ({
    steps: stepsOf('step one', 'step two'),
    window_seconds: 10,
    exclusions: [excl('exclusion', 1, 2)],
    exclusion_mode: mode,
  });
  const retryAfterX = [e('u', 0, 'step one'), e('u', 1, 'exclusion'), e('u', 31, 'step one')];
  const xAfterRetry = [e('u', 0, 'step one'), e('u', 31, 'step one'), e('u', 32, 'exclusion')];
  const xAfterShortRetry = [e('u', 0, 'step one'), e('u', 1, 'step one'), e('u', 2, 'exclusion')];
  it('no end event 1 (a clean retry after X): attempt mode matches PostHog [1, 0]; unit mode drops the unit', async () => {
    await check(twoSteps('attempt'), retryAfterX, [{ ...at('u', 1, [0]), entry: 0 }]);
    await check(twoSteps('unit'), retryAfterX, []);
  });
  it('no end event 2 (X within the retry, past the first window): attempt matches PostHog [1, 0]; unit drops', async () => {
    await check(twoSteps('attempt'), xAfterRetry, [{ ...at('u', 1, [0]), entry: 0 }]);
    await check(twoSteps('unit'), xAfterRetry, []);
  });
  it('no end event 3 (X within both windows): unit matches PostHog (nobody); attempt keeps it at 1', async () => {
    await check(twoSteps('unit'), xAfterShortRetry, []);
    await check(twoSteps('attempt'), xAfterShortRetry, [{ ...at('u', 1, [0]), entry: 0 }]);
  });

  // E test_funnel_exclusions_full_window: PostHog [2, 2] (person2 excluded). Both modes match.
  it('full window: both modes match PostHog [2, 2]', async () => {
    const evs = [
      e('p1', 1 * H, 'user signed up'),
      e('p1', 2 * H, 'paid'),
      e('p2', 3 * H, 'user signed up'),
      e('p2', 3.5 * H, 'x 1 name with numbers 2'),
      e('p2', 4 * H, 'paid'),
      e('p3', 5 * H, 'user signed up'),
      e('p3', 6 * H, 'paid'),
    ];
    for (const mode of both) {
      await check(signupPaid(14 * DAY, mode, 'x 1 name with numbers 2'), evs, [
        at('p1', 2, [0, H]),
        at('p3', 2, [0, H]),
      ]);
    }
  });

  // U test_excluded_after_time_expires: X 11 s after the entry of a 10 s window; PostHog [1, 0].
  it('X after the window expired: both modes match PostHog [1, 0]', async () => {
    const evs = [e('u', 0, 'step one'), e('u', 11, 'exclusion'), e('u', 12, 'step two')];
    for (const mode of both) await check(twoSteps(mode), evs, [at('u', 1, [0])]);
  });

  const five = stepsOf('user signed up', '$pageview', 'insight viewed', 'invite teammate', 'pageview2');
  const full = (u: string) => at(u, 5, [0, H, 3 * H, 4 * H, 5 * H]);
  const journey = (u: string, xs: [number, string][]) =>
    [
      e(u, 1 * H, 'user signed up'),
      e(u, 2 * H, '$pageview'),
      e(u, 4 * H, 'insight viewed'),
      e(u, 5 * H, 'invite teammate'),
      e(u, 6 * H, 'pageview2'),
      ...xs.map(([t, name]) => e(u, t * H, name)),
    ] as const;

  // E test_advanced_funnel_exclusions_between_steps: X between PostHog steps (0,1), (1,2), (2,3),
  // (3,4), (1,3); PostHog counts at step 1 and 5: 2 (p1, p2), 2 (p2, p3), 1 (p3), 0, 1 (p3).
  const advanced = [
    ...journey('p1', [
      [3, 'x'],
      [4.5, 'x'],
      [5.5, 'x'],
    ]),
    ...journey('p2', [
      [4.5, 'x'],
      [5.5, 'x'],
    ]),
    ...journey('p3', [
      [1.5, 'x'],
      [5.5, 'x'],
    ]),
  ];
  // One case per mode and variant (each is a query on both implementations).
  it.each(
    both.flatMap((mode) =>
      (
        [
          [1, 2, ['p1', 'p2']],
          [2, 3, ['p2', 'p3']],
          [3, 4, ['p3']],
          [4, 5, []],
          [2, 4, ['p3']],
        ] as [number, number, string[]][]
      ).map(([a, b, kept]) => ({ mode, a, b, kept })),
    ),
  )(
    'advanced exclusions between steps, $mode mode, X between $a and $b: PostHog keeps $kept, as we do',
    async ({ mode, a, b, kept }) => {
      await check(
        { steps: five, exclusions: [excl('x', a, b)], exclusion_mode: mode },
        advanced,
        kept.map(full),
      );
    },
  );

  // E test_advanced_funnel_multiple_exclusions_between_steps: X and Y between (0,1) and (2,3), then
  // both between (0,1), then both between (0,4); PostHog counts only person4 each time.
  const multiple = [
    ...journey('p1', [
      [2, 'x'],
      [4.5, 'y'],
    ]).filter((x) => x.over.name !== '$pageview'),
    e('p1', 3 * H, '$pageview'),
    ...journey('p2', [
      [1.5, 'y'],
      [4.5, 'y'],
      [5.5, 'x'],
    ]),
    ...journey('p3', [
      [1.5, 'x'],
      [5.5, 'x'],
    ]),
    ...journey('p4', []),
  ];
  it.each(
    both.flatMap((mode) =>
      [
        [1, 2, 3, 4],
        [1, 2, 1, 2],
        [1, 5, 1, 5],
      ].map(([xa, xb, ya, yb]) => ({ mode, xa, xb, ya, yb })),
    ),
  )(
    'advanced multiple exclusions, $mode mode, X $xa–$xb and Y $ya–$yb: PostHog keeps person4 only, as we do',
    async ({ mode, xa, xb, ya, yb }) => {
      const exclusions = [excl('x', xa as number, xb as number), excl('y', ya as number, yb as number)];
      await check({ steps: five, exclusions, exclusion_mode: mode }, multiple, [full('p4')]);
    },
  );
});

describe("PostHog's breakdown attribution", () => {
  const signupBuy: FunnelDefinition = { steps: stepsOf('sign up', 'buy'), window_seconds: 7 * DAY };
  const browser = { property: '$browser' } as const;
  const week = { to: sec(7 * DAY) };
  const b = (v: string) => ({ $browser: v });
  // B test_funnel_step_breakdown_with_step_attribution / _with_step_one_attribution (ordered).
  const evs = [
    e('p1', 12 * H, 'sign up', b('Chrome')),
    e('p1', 13 * H, 'buy'),
    e('p2', 13 * H, 'sign up'),
    e('p2', 37 * H, 'buy', b('Safari')),
    e('p3', 38 * H, 'sign up', b('Mac')),
    e('p3', 39 * H, 'buy'),
    e('p4', 39 * H, 'sign up', b('0')),
    e('p4', 40 * H, 'buy', b('alakazam')),
  ];
  const p = (u: string, gap: number, breakdown: string) => ({ ...at(u, 2, [0, gap]), breakdown });
  it('counted step at step 1 matches PostHog step 0: "" p2, "0" p4, Chrome p1, Mac p3, each [1, 1]', async () => {
    await check(
      signupBuy,
      evs,
      [p('p1', H, 'Chrome'), p('p2', DAY, ''), p('p3', H, 'Mac'), p('p4', H, '0')],
      { ...week, breakdown: { dimension: browser, attribution: 'counted_step', at_step: 1 } },
    );
  });
  it('counted step at step 2 matches PostHog step 1: "" [2, 2], Safari, alakazam', async () => {
    await check(
      signupBuy,
      evs,
      [p('p1', H, ''), p('p2', DAY, 'Safari'), p('p3', H, ''), p('p4', H, 'alakazam')],
      { ...week, breakdown: { dimension: browser, at_step: 2 } },
    );
  });

  // R: PostHog's step attribution runs the funnel once per value, and only an event carrying that
  // value can fill the breakdown step; so two sign-ups with two values put the unit in two groups
  // (Chrome [1, 1] and Safari [1, 1]). Ours takes the counted (earliest) attempt's value: Chrome.
  it('counted step: two events at the step with two values give one group, not two as in PostHog', async () => {
    await check(
      signupBuy,
      [e('u', 0, 'sign up', b('Chrome')), e('u', 10, 'sign up', b('Safari')), e('u', 20, 'buy')],
      [{ ...p('u', 20, 'Chrome'), entry: 0 }],
      { breakdown: { dimension: browser, at_step: 1 } },
    );
  });

  // TU test_different_prop_val_in_strict_filter: strict order, "first" (one), "first" (two),
  // "unmatched" (one), "unmatched" (two), "second" (one), "second" (two), a day apart. With
  // all_events PostHog has two groups, "one" and "two", each entered and none converted (PostHog
  // runs the funnel on each value's events). Every touch takes the counted attempt (the first
  // entry) and its reached events: only "one".
  it('every touch on a strict funnel: one group, where PostHog all_events has two', async () => {
    const bd = (v: string) => ({ bd: v });
    await check(
      { steps: stepsOf('first', 'second'), order: 'strict' },
      [
        e('u', 0, 'first', bd('one')),
        e('u', DAY, 'first', bd('two')),
        e('u', 2 * DAY, 'unmatched', bd('one')),
        e('u', 3 * DAY, 'unmatched', bd('two')),
        e('u', 4 * DAY, 'second', bd('one')),
        e('u', 5 * DAY, 'second', bd('two')),
      ],
      [{ ...at('u', 1, [0]), entry: 0, breakdown: 'one' }],
      { ...week, breakdown: { dimension: { property: 'bd' }, attribution: 'every_touch' } },
    );
  });

  // R: PostHog's all_events reaches a value's step only through events carrying the value: here
  // Chrome [1, 0] and no Safari group (no Safari entry). Every touch gives the unit's one outcome
  // (step 2) to both values.
  it('every touch: each value gets the whole outcome, where PostHog all_events reaches a step only through that value', async () => {
    await check(
      signupBuy,
      [e('u', 0, 'sign up', b('Chrome')), e('u', 10, 'buy', b('Safari'))],
      [p('u', 10, 'Chrome'), p('u', 10, 'Safari')],
      { breakdown: { dimension: browser, attribution: 'every_touch' } },
    );
  });
});
