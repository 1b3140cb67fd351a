/**
 * Hand-written cases, one per rule. Each expectation is worked out by hand and demanded from both
 * the oracle and the ClickHouse engine.
 */
import type { FunnelDefinition } from '@funnelhouse/schemas';
import { describe, it } from 'vitest';
import { buy, check, click, ev, pv, sec, steps } from './check.ts';

describe('attempts', () => {
  it('counts a unit once at its furthest step; ties go to the earliest attempt and its times', async () => {
    await check(
      { steps: steps(pv, click, buy) },
      [ev('a', 0, 'pageview'), ev('a', 10, 'click'), ev('a', 100, 'pageview'), ev('a', 105, 'click')],
      [{ unit: 'a', furthest: 2, levels: [1, 2], fromEntry: [0, 10], entry: 0 }],
    );
  });

  it('a later attempt that gets further wins over an earlier one', async () => {
    await check(
      { steps: steps(pv, click, buy), window_seconds: 60 },
      [
        ev('a', 0, 'pageview'),
        ev('a', 10, 'click'),
        ev('a', 100, 'pageview'),
        ev('a', 110, 'click'),
        ev('a', 120, 'purchase'),
      ],
      [{ unit: 'a', furthest: 3, levels: [1, 2, 3], fromEntry: [0, 10, 20], entry: 100 }],
    );
  });

  it('re-entry after the window closed starts a fresh attempt', async () => {
    await check(
      { steps: steps(pv, click), window_seconds: 1000 },
      [ev('a', 0, 'pageview'), ev('a', 1500, 'pageview'), ev('a', 2000, 'click')],
      [{ unit: 'a', furthest: 2, levels: [1, 2], fromEntry: [0, 500], entry: 1500 }],
    );
  });

  it('the window is inclusive: a step exactly `window` after the entry counts, one ms later does not', async () => {
    await check(
      { steps: steps(pv, click), window_seconds: 60 },
      [ev('a', 0, 'pageview'), ev('a', 60, 'click'), ev('b', 0, 'pageview'), ev('b', 60.001, 'click')],
      [
        { unit: 'a', furthest: 2, levels: [1, 2], fromEntry: [0, 60] },
        { unit: 'b', furthest: 1, levels: [1], fromEntry: [0] },
      ],
    );
  });
});

describe('same-timestamp events', () => {
  it('are taken in funnel order, whatever their ids', async () => {
    await check(
      { steps: steps(pv, click, buy) },
      [
        ev('a', 5, 'purchase', { event_id: 'a1' }),
        ev('a', 5, 'click', { event_id: 'a2' }),
        ev('a', 5, 'pageview', { event_id: 'a3' }),
      ],
      [{ unit: 'a', furthest: 3, levels: [1, 2, 3], fromEntry: [0, 0, 0] }],
    );
  });

  it('one event fills one step in order modes', async () => {
    await check(
      { steps: [{ match: [pv] }, { match: [{ path: { op: 'exact', value: '/' } }] }] },
      [ev('a', 0, 'pageview')],
      [{ unit: 'a', furthest: 1, levels: [1], fromEntry: [0] }],
    );
  });

  it('two distinct events alike in every field the funnel reads are two events', async () => {
    await check(
      { steps: [{ match: [pv] }, { match: [pv] }] },
      [ev('a', 0, 'pageview', { event_id: 'p1' }), ev('a', 0, 'pageview', { event_id: 'p2' })],
      [{ unit: 'a', furthest: 2, levels: [1, 2], fromEntry: [0, 0] }],
    );
  });
});

describe('work limit', () => {
  // a: 1 attempt × 3 funnel events = 3; b: 3 attempts × 5 = 15.
  const evs = [
    ev('a', 0, 'pageview'),
    ev('a', 1, 'click'),
    ev('a', 2, 'purchase'),
    ...[0, 1, 2].map((t) => ev('b', t, 'pageview')),
    ev('b', 3, 'click'),
    ev('b', 4, 'purchase'),
  ];
  const a = { unit: 'a', furthest: 3, levels: [1, 2, 3], fromEntry: [0, 1, 2] };
  it('skips a unit whose attempts × searched events exceed the limit, and only that unit', async () => {
    await check(
      { steps: steps(pv, click, buy) },
      evs,
      [a, { unit: 'b', furthest: 0, levels: [0], fromEntry: [0], skipped: true }],
      {
        maxUnitWork: 14,
      },
    );
  });
  it('evaluates a unit exactly at the limit', async () => {
    await check(
      { steps: steps(pv, click, buy) },
      evs,
      [a, { unit: 'b', furthest: 3, levels: [1, 2, 3], fromEntry: [0, 3, 4] }],
      {
        maxUnitWork: 15,
      },
    );
  });
});

describe('order modes', () => {
  const evs = [ev('a', 0, 'pageview'), ev('a', 5, 'click'), ev('a', 10, 'purchase')];
  it('ordered lets other events come between steps', async () => {
    await check({ steps: steps(pv, buy) }, evs, [
      { unit: 'a', furthest: 2, levels: [1, 2], fromEntry: [0, 10] },
    ]);
  });
  it('strict allows no other event of the unit between steps', async () => {
    await check({ steps: steps(pv, buy), order: 'strict' }, evs, [
      { unit: 'a', furthest: 1, levels: [1], fromEntry: [0] },
    ]);
    await check({ steps: steps(pv, click, buy), order: 'strict' }, evs, [
      { unit: 'a', furthest: 3, levels: [1, 2, 3], fromEntry: [0, 5, 10] },
    ]);
  });
  it('any takes later steps in any order; a step is reached when all before it are done', async () => {
    await check({ steps: steps(pv, buy, click), order: 'any' }, evs, [
      { unit: 'a', furthest: 3, levels: [1, 2, 3], fromEntry: [0, 10, 10] },
    ]);
    await check({ steps: steps(pv, buy, click) }, evs, [
      { unit: 'a', furthest: 2, levels: [1, 2], fromEntry: [0, 10] },
    ]);
  });
});

describe('unordered', () => {
  it('enters at any step; step k is k distinct steps done within the window from the first', async () => {
    await check(
      { steps: steps(pv, click, buy), order: 'unordered', window_seconds: 60 },
      [
        // a: purchase, then click, then pageview: all three, the entry is the purchase.
        ev('a', 0, 'purchase'),
        ev('a', 5, 'click'),
        ev('a', 10, 'pageview'),
        // b: the purchase at 70 is outside the window of the click at 0; the attempt from the
        // pageview at 30 does two steps too (pageview, purchase), and the earlier attempt wins.
        ev('b', 0, 'click'),
        ev('b', 30, 'pageview'),
        ev('b', 70, 'purchase'),
        // c: repeating one step is still one step done.
        ev('c', 0, 'click'),
        ev('c', 5, 'click'),
      ],
      [
        { unit: 'a', furthest: 3, levels: [1, 2, 3], fromEntry: [0, 5, 10], entry: 0 },
        { unit: 'b', furthest: 2, levels: [1, 2], fromEntry: [0, 30], entry: 0 },
        { unit: 'c', furthest: 1, levels: [1], fromEntry: [0] },
      ],
    );
  });
  it('differs from any, which must enter at step 1', async () => {
    const evs = [ev('a', 0, 'click'), ev('a', 5, 'purchase'), ev('a', 10, 'pageview')];
    await check({ steps: steps(pv, click, buy), order: 'any' }, evs, [
      { unit: 'a', furthest: 1, levels: [1], fromEntry: [0], entry: 10 },
    ]);
    await check({ steps: steps(pv, click, buy), order: 'unordered' }, evs, [
      { unit: 'a', furthest: 3, levels: [1, 2, 3], fromEntry: [0, 5, 10], entry: 0 },
    ]);
  });
  it('one event may do several steps; the breakdown at step k is the event doing the k-th', async () => {
    const def: FunnelDefinition = {
      order: 'unordered',
      steps: [{ match: [click] }, { match: [{ path: { op: 'exact', value: '/p' } }] }, { match: [buy] }],
    };
    await check(
      def,
      [
        ev('a', 0, 'click', { path: '/p', channel: 'email' }),
        ev('a', 5, 'purchase', { channel: 'social' }),
        ev('b', 0, 'purchase', { channel: 'direct' }),
      ],
      [
        { unit: 'a', furthest: 3, levels: [1, 2, 3], fromEntry: [0, 0, 5], breakdown: 'social' },
        { unit: 'b', furthest: 1, levels: [1], fromEntry: [0], breakdown: '' },
      ],
      { breakdown: { dimension: { column: 'channel' }, at_step: 3 } },
    );
  });
  it('an exclusion lies between the levels it names', async () => {
    const def: FunnelDefinition = {
      order: 'unordered',
      steps: steps(pv, click, buy),
      exclusions: [{ match: [{ type: 'custom', name: 'x' }], from_step: 2, to_step: 3 }],
    };
    await check(
      def,
      [
        ev('a', 0, 'purchase'),
        ev('a', 2, 'custom', { name: 'x' }),
        ev('a', 5, 'click'),
        ev('a', 10, 'pageview'),
        ev('b', 0, 'purchase'),
        ev('b', 5, 'click'),
        ev('b', 7, 'custom', { name: 'x' }),
        ev('b', 10, 'pageview'),
      ],
      [
        { unit: 'a', furthest: 3, levels: [1, 2, 3], fromEntry: [0, 5, 10], entry: 0 },
        // b: the attempt from the purchase has x between its levels 2 (5) and 3 (10): discarded.
        // The one from the click at 5 reaches level 2 only, so its x is not between levels 2 and 3.
        { unit: 'b', furthest: 2, levels: [1, 2], fromEntry: [0, 5], entry: 5 },
      ],
    );
  });
});

describe('gaps', () => {
  it('max_gap: the next step must follow the previous within the gap', async () => {
    const def: FunnelDefinition = { steps: [{ match: [pv] }, { match: [click], max_gap_seconds: 10 }] };
    await check(
      def,
      [ev('a', 0, 'pageview'), ev('a', 20, 'click'), ev('b', 0, 'pageview'), ev('b', 10, 'click')],
      [
        { unit: 'a', furthest: 1, levels: [1], fromEntry: [0] },
        { unit: 'b', furthest: 2, levels: [1, 2], fromEntry: [0, 10] },
      ],
    );
  });
  it('min_gap: events too soon after the previous step are passed over', async () => {
    const def: FunnelDefinition = { steps: [{ match: [pv] }, { match: [click], min_gap_seconds: 30 }] };
    await check(
      def,
      [ev('a', 0, 'pageview'), ev('a', 20, 'click'), ev('a', 40, 'click')],
      [{ unit: 'a', furthest: 2, levels: [1, 2], fromEntry: [0, 40] }],
    );
  });
});

describe('exclusions', () => {
  const def: FunnelDefinition = {
    steps: steps(pv, click, buy),
    exclusions: [{ match: [{ type: 'custom', name: 'coupon_error' }], from_step: 1, to_step: 2 }],
  };
  const x = (unit: string, at: number) => ev(unit, at, 'custom', { name: 'coupon_error' });
  it('discard an attempt with the event between the two steps; outside them it does not matter', async () => {
    await check(
      def,
      [
        ev('a', 0, 'pageview'),
        x('a', 5),
        ev('a', 10, 'click'),
        ev('a', 20, 'purchase'),
        x('b', 0),
        ev('b', 1, 'pageview'),
        ev('b', 10, 'click'),
        x('b', 15),
        ev('c', 0, 'pageview'),
        x('c', 5),
      ],
      [
        { unit: 'b', furthest: 2, levels: [1, 2], fromEntry: [0, 9] },
        { unit: 'c', furthest: 1, levels: [1], fromEntry: [0] },
      ],
    );
  });
});

describe('exclusions, unit mode', () => {
  const def: FunnelDefinition = {
    steps: steps(pv, click, buy),
    window_seconds: 100,
    exclusion_mode: 'unit',
    exclusions: [{ match: [{ type: 'custom', name: 'coupon_error' }], from_step: 1, to_step: 3 }],
  };
  const x = (unit: string, at: number) => ev(unit, at, 'custom', { name: 'coupon_error' });
  const evs = [
    // a: X after the entry, the end step never reached: dropped (attempt mode keeps it at step 2).
    ev('a', 0, 'pageview'),
    ev('a', 10, 'click'),
    x('a', 20),
    // b: the first attempt is excluded, a later clean one converts: the whole unit is dropped.
    ev('b', 0, 'pageview'),
    x('b', 5),
    ev('b', 200, 'pageview'),
    ev('b', 210, 'click'),
    ev('b', 220, 'purchase'),
    // c: X after the end step, or past the window of an attempt that never converted: kept.
    ev('c', 0, 'pageview'),
    ev('c', 10, 'click'),
    ev('c', 20, 'purchase'),
    x('c', 30),
    ev('d', 0, 'pageview'),
    x('d', 101),
    // e: X at the entry's millisecond is not after it.
    x('e', 0),
    ev('e', 0, 'pageview'),
  ];
  it('drops the unit when any attempt did X after the start step, even without reaching the end', async () => {
    await check(def, evs, [
      { unit: 'c', furthest: 3, levels: [1, 2, 3], fromEntry: [0, 10, 20] },
      { unit: 'd', furthest: 1, levels: [1], fromEntry: [0] },
      { unit: 'e', furthest: 1, levels: [1], fromEntry: [0] },
    ]);
  });
  it('attempt mode (the default) on the same events discards only attempts that reached both steps', async () => {
    await check({ ...def, exclusion_mode: 'attempt' }, evs, [
      { unit: 'a', furthest: 2, levels: [1, 2], fromEntry: [0, 10] },
      { unit: 'b', furthest: 3, levels: [1, 2, 3], fromEntry: [0, 10, 20], entry: 200 },
      { unit: 'c', furthest: 3, levels: [1, 2, 3], fromEntry: [0, 10, 20] },
      { unit: 'd', furthest: 1, levels: [1], fromEntry: [0] },
      { unit: 'e', furthest: 1, levels: [1], fromEntry: [0] },
    ]);
  });
});

describe('optional steps', () => {
  const def: FunnelDefinition = {
    steps: [{ match: [pv] }, { match: [click], optional: true }, { match: [buy] }],
  };
  it('may be skipped; the unit is counted at the steps it did', async () => {
    await check(
      def,
      [
        ev('a', 0, 'pageview'),
        ev('a', 10, 'purchase'),
        ev('b', 0, 'pageview'),
        ev('b', 5, 'click'),
        ev('b', 10, 'purchase'),
      ],
      [
        { unit: 'a', furthest: 3, levels: [1, 3], fromEntry: [0, 10] },
        { unit: 'b', furthest: 3, levels: [1, 2, 3], fromEntry: [0, 5, 10] },
      ],
    );
  });
  it('reaching the optional step is further than the entry alone', async () => {
    await check(
      { ...def, window_seconds: 60 },
      [ev('a', 0, 'pageview'), ev('a', 100, 'pageview'), ev('a', 105, 'click')],
      [{ unit: 'a', furthest: 2, levels: [1, 2], fromEntry: [0, 5], entry: 100 }],
    );
  });
});

describe('units and range', () => {
  it('an entity unit needs the same key on every step', async () => {
    const def: FunnelDefinition = {
      steps: [{ match: [{ type: 'add_to_cart' }] }, { match: [buy] }],
      unit: 'cart_id',
    };
    await check(
      def,
      [
        ev('v', 0, 'add_to_cart', { cart_id: 'c1' }),
        ev('v', 10, 'purchase', { cart_id: 'c1' }),
        ev('v', 20, 'add_to_cart', { cart_id: 'c2' }),
        ev('v', 30, 'purchase', { cart_id: 'c3' }),
        ev('v', 40, 'purchase'),
      ],
      [
        { unit: 'c1', furthest: 2, levels: [1, 2], fromEntry: [0, 10] },
        { unit: 'c2', furthest: 1, levels: [1], fromEntry: [0] },
      ],
    );
  });

  it('entries in [from, to); later steps count past `to` within the window, never past now', async () => {
    await check(
      { steps: steps(pv, click), window_seconds: 3600 },
      [
        ev('early', -1, 'pageview'),
        ev('early', 5, 'click'),
        ev('late', 90, 'pageview'),
        ev('late', 150, 'click'),
        ev('last', 99.999, 'pageview'),
        ev('last', 500, 'click'),
        ev('out', 100, 'pageview'),
      ],
      [
        { unit: 'last', furthest: 1, levels: [1], fromEntry: [0], inProgress: true },
        { unit: 'late', furthest: 2, levels: [1, 2], fromEntry: [0, 60] },
      ],
      { from: sec(0), to: sec(100), now: sec(400) },
    );
  });

  it('in progress: not converted and the window still open; converted units never are', async () => {
    await check(
      { steps: steps(pv, click), window_seconds: 100 },
      [
        ev('open', 350, 'pageview'),
        ev('done', 350, 'pageview'),
        ev('done', 360, 'click'),
        ev('closed', 0, 'pageview'),
      ],
      [
        { unit: 'closed', furthest: 1, levels: [1], fromEntry: [0], inProgress: false, windowOpen: false },
        // Converted inside an open window: not in progress, but not yet a mature cohort member.
        { unit: 'done', furthest: 2, levels: [1, 2], fromEntry: [0, 10], windowOpen: true },
        { unit: 'open', furthest: 1, levels: [1], fromEntry: [0], inProgress: true, windowOpen: true },
      ],
      { from: sec(0), to: sec(400), now: sec(400) },
    );
  });
});

describe('breakdown', () => {
  it('takes the value at entry, or at a chosen step (none when that step was not reached)', async () => {
    const evs = [
      ev('a', 0, 'pageview', { channel: 'email' }),
      ev('a', 10, 'click', { channel: 'social' }),
      ev('b', 0, 'pageview', { channel: 'direct' }),
    ];
    const def: FunnelDefinition = { steps: steps(pv, click) };
    await check(
      def,
      evs,
      [
        { unit: 'a', furthest: 2, levels: [1, 2], fromEntry: [0, 10], breakdown: 'email' },
        { unit: 'b', furthest: 1, levels: [1], fromEntry: [0], breakdown: 'direct' },
      ],
      { breakdown: { dimension: { column: 'channel' } } },
    );
    await check(
      def,
      evs,
      [
        { unit: 'a', furthest: 2, levels: [1, 2], fromEntry: [0, 10], breakdown: 'social' },
        { unit: 'b', furthest: 1, levels: [1], fromEntry: [0], breakdown: '' },
      ],
      { breakdown: { dimension: { column: 'channel' }, at_step: 2 } },
    );
  });
});

describe('breakdown attribution', () => {
  const def: FunnelDefinition = {
    steps: [{ match: [pv] }, { match: [click], optional: true }, { match: [buy] }, { match: [pv] }],
  };
  const evs = [
    // a: steps 1–3 with values '', DE, FR.
    ev('a', 0, 'pageview', { country: '' }),
    ev('a', 5, 'click', { country: 'DE' }),
    ev('a', 10, 'purchase', { country: 'FR' }),
    // b: the entry has no value, nor any later reached step: none.
    ev('b', 0, 'pageview'),
    ev('b', 10, 'purchase'),
    // c: the click after the purchase fills no step (ordered): only the entry's value counts.
    ev('c', 0, 'pageview', { country: 'FR' }),
    ev('c', 10, 'purchase'),
    ev('c', 20, 'click', { country: 'DE' }),
  ];
  const a = { unit: 'a', furthest: 3, levels: [1, 2, 3], fromEntry: [0, 5, 10] };
  const b = { unit: 'b', furthest: 3, levels: [1, 3], fromEntry: [0, 10] };
  const c = { unit: 'c', furthest: 3, levels: [1, 3], fromEntry: [0, 10] };
  const country = { column: 'country' } as const;
  it('first touch: the first non-empty value among the events at the reached steps', async () => {
    await check(
      def,
      evs,
      [
        { ...a, breakdown: 'DE' },
        { ...b, breakdown: '' },
        { ...c, breakdown: 'FR' },
      ],
      { breakdown: { dimension: country, attribution: 'first_touch' } },
    );
  });
  it('last touch: the last non-empty value among them', async () => {
    await check(
      def,
      evs,
      [
        { ...a, breakdown: 'FR' },
        { ...b, breakdown: '' },
        { ...c, breakdown: 'FR' },
      ],
      { breakdown: { dimension: country, attribution: 'last_touch' } },
    );
  });
  it('every touch: one outcome per distinct non-empty value, in value order; none when there is none', async () => {
    await check(
      def,
      [...evs, ev('a', 8, 'click', { country: 'FR' })],
      [
        { ...a, breakdown: 'DE' },
        { ...a, breakdown: 'FR' },
        { ...b, breakdown: '' },
        { ...c, breakdown: 'FR' },
      ],
      { breakdown: { dimension: country, attribution: 'every_touch' } },
    );
  });
  it('counted step (the default) takes the entry even when it has no value', async () => {
    await check(
      def,
      evs,
      [
        { ...a, breakdown: '' },
        { ...b, breakdown: '' },
        { ...c, breakdown: 'FR' },
      ],
      { breakdown: { dimension: country } },
    );
  });
});

describe('step conditions', () => {
  it('match on name, URL, clicked element, form and numeric properties', async () => {
    const def: FunnelDefinition = {
      steps: [
        { match: [{ url: { op: 'regex', value: '^https://shop\\.example/p/[0-9]+$' } }] },
        { match: [{ type: 'click', element: { selector: 'button.buy', text_contains: 'Add' } }] },
        {
          match: [
            { type: 'form_submit', form_id: 'checkout' },
            { type: 'custom', name: 'express_checkout' },
          ],
        },
        {
          match: [
            {
              type: 'purchase',
              filters: [
                { column: 'revenue', op: 'gt', value: 20 },
                { property: 'coupon', op: 'in', values: ['A', 'B'] },
              ],
            },
          ],
        },
      ],
    };
    const p = { type: 'pageview', url: 'https://shop.example/p/12' };
    await check(
      def,
      [
        ev('a', 0, 'pageview', p),
        ev('a', 1, 'click', { el_selector: 'button.buy', el_text: 'Add to cart' }),
        ev('a', 2, 'custom', { name: 'express_checkout' }),
        ev('a', 3, 'purchase', { revenue: 25, props: { coupon: 'B' } }),
        ev('b', 0, 'pageview', p),
        ev('b', 1, 'click', { el_selector: 'button.buy', el_text: 'Buy' }),
        ev('c', 0, 'pageview', p),
        ev('c', 1, 'click', { el_selector: 'button.buy', el_text: 'Add' }),
        ev('c', 2, 'form_submit', { form_id: 'checkout' }),
        ev('c', 3, 'purchase', { revenue: 20, props: { coupon: 'A' } }),
        ev('d', 0, 'pageview', { url: 'https://shop.example/p/12?x=1' }),
      ],
      [
        { unit: 'a', furthest: 4, levels: [1, 2, 3, 4], fromEntry: [0, 1, 2, 3] },
        { unit: 'b', furthest: 1, levels: [1], fromEntry: [0] },
        { unit: 'c', furthest: 3, levels: [1, 2, 3], fromEntry: [0, 1, 2] },
      ],
    );
  });

  it("match the clicked element's whole text and its link target: exact, wildcard, regex, column filter", async () => {
    const def: FunnelDefinition = {
      steps: [
        { match: [pv] },
        { match: [{ type: 'click', element: { text: { op: 'exact', value: 'Add' } } }] },
        {
          match: [
            { element: { href: { op: 'wildcard', value: '/checkout*' } } },
            { element: { text: { op: 'regex', value: '^Pay [0-9]+$' }, href: { op: 'exact', value: '' } } },
          ],
        },
        {
          match: [
            { type: 'click', filters: [{ column: 'el_href', op: 'eq', value: 'https://pay.example/' }] },
          ],
        },
      ],
    };
    await check(
      def,
      [
        // a: every step; b: "Add to cart" is not exactly "Add"; c: the href is not under /checkout
        // and "Pay 12" has a link; d: reaches step 3 by the regex alternative, the last href differs.
        ev('a', 0, 'pageview'),
        ev('a', 1, 'click', { el_text: 'Add' }),
        ev('a', 2, 'click', { el_href: '/checkout/start' }),
        ev('a', 3, 'click', { el_href: 'https://pay.example/' }),
        ev('b', 0, 'pageview'),
        ev('b', 1, 'click', { el_text: 'Add to cart' }),
        ev('c', 0, 'pageview'),
        ev('c', 1, 'click', { el_text: 'Add' }),
        ev('c', 2, 'click', { el_text: 'Pay 12', el_href: '/cart/checkout' }),
        ev('d', 0, 'pageview'),
        ev('d', 1, 'click', { el_text: 'Add' }),
        ev('d', 2, 'click', { el_text: 'Pay 12' }),
        ev('d', 3, 'click', { el_href: 'https://pay.example/x' }),
      ],
      [
        { unit: 'a', furthest: 4, levels: [1, 2, 3, 4], fromEntry: [0, 1, 2, 3] },
        { unit: 'b', furthest: 1, levels: [1], fromEntry: [0] },
        { unit: 'c', furthest: 2, levels: [1, 2], fromEntry: [0, 1] },
        { unit: 'd', furthest: 3, levels: [1, 2, 3], fromEntry: [0, 1, 2] },
      ],
    );
  });

  it('a wildcard treats only * as special', async () => {
    const def: FunnelDefinition = {
      steps: [{ match: [{ path: { op: 'wildcard', value: '/a_b/*' } }] }, { match: [click] }],
    };
    await check(
      def,
      [ev('a', 0, 'pageview', { path: '/a_b/x' }), ev('b', 0, 'pageview', { path: '/aXb/x' })],
      [{ unit: 'a', furthest: 1, levels: [1], fromEntry: [0] }],
    );
  });
});
