import type { FunnelDefinition, FunnelQueryRequest } from '@funnelhouse/schemas';
import { Params } from '@funnelhouse/server';
import { describe, expect, it } from 'vitest';
import { correlationCountsSql } from '../../server/src/funnels/queries/getCorrelationCounts.ts';
import { unitsSql } from '../../server/src/funnels/units-sql.ts';

/**
 * Golden copies of the SQL the engine generates for representative definitions, so that a change
 * to the engine shows up in review as a SQL diff (`__sql__/*.sql`). After an intended change,
 * `npx vitest run test/funnels/sql-snapshots.test.ts -u` rewrites them; read the diff.
 */
const T0 = Date.UTC(2026, 2, 1);
const DAY = 86_400_000;
const range = { from: T0, to: T0 + 7 * DAY, now: T0 + 30 * DAY };

const product = { type: 'pageview', path: { op: 'wildcard', value: '/products/*' } } as const;
const CASES: [string, FunnelDefinition, FunnelQueryRequest['breakdown']?][] = [
  [
    'ordered-plain',
    {
      steps: [{ match: [product] }, { match: [{ type: 'add_to_cart' }] }, { match: [{ type: 'purchase' }] }],
    },
  ],
  [
    'strict-gaps',
    {
      order: 'strict',
      steps: [
        { match: [product] },
        { match: [{ type: 'add_to_cart' }], min_gap_seconds: 5, max_gap_seconds: 600 },
        { match: [{ type: 'purchase' }] },
      ],
    },
  ],
  [
    'any-order',
    {
      order: 'any',
      steps: [{ match: [product] }, { match: [{ type: 'add_to_cart' }] }, { match: [{ name: 'signup' }] }],
    },
  ],
  [
    'unordered',
    {
      order: 'unordered',
      steps: [{ match: [product] }, { match: [{ type: 'add_to_cart' }] }, { match: [{ name: 'signup' }] }],
      exclusions: [{ match: [{ type: 'remove_from_cart' }], from_step: 1, to_step: 3 }],
    },
    { dimension: { column: 'channel' }, at_step: 2 },
  ],
  [
    'optional-exclusion-session',
    {
      unit: 'session',
      window_seconds: 3600,
      steps: [
        { match: [product] },
        { match: [{ type: 'view_cart' }], optional: true },
        { match: [{ type: 'begin_checkout' }, { type: 'custom', name: 'checkout' }] },
        { match: [{ type: 'purchase', filters: [{ column: 'revenue', op: 'gt', value: 10 }] }] },
      ],
      exclusions: [{ match: [{ type: 'remove_from_cart' }], from_step: 2, to_step: 4 }],
    },
  ],
  [
    'element-text-href',
    {
      steps: [
        { match: [product] },
        {
          match: [
            {
              type: 'click',
              element: {
                text: { op: 'exact', value: 'Add to cart' },
                href: { op: 'regex', value: '^/cart' },
              },
            },
          ],
        },
        { match: [{ filters: [{ column: 'el_href', op: 'contains', value: '/thanks' }] }] },
      ],
    },
  ],
  [
    'exclusion-unit',
    {
      exclusion_mode: 'unit',
      steps: [{ match: [product] }, { match: [{ type: 'add_to_cart' }] }, { match: [{ type: 'purchase' }] }],
      exclusions: [{ match: [{ type: 'remove_from_cart' }], from_step: 2, to_step: 3 }],
    },
  ],
  [
    'breakdown-last-touch',
    {
      steps: [{ match: [product] }, { match: [{ type: 'add_to_cart' }] }, { match: [{ type: 'purchase' }] }],
    },
    { dimension: { column: 'utm_source' }, attribution: 'last_touch' },
  ],
  [
    'breakdown-every-touch',
    {
      steps: [{ match: [product] }, { match: [{ type: 'add_to_cart' }] }, { match: [{ type: 'purchase' }] }],
    },
    { dimension: { property: 'plan' }, attribution: 'every_touch' },
  ],
  [
    'breakdown-experiment',
    {
      steps: [
        { match: [product] },
        { match: [{ type: 'purchase', url: { op: 'regex', value: '/thanks$' } }] },
      ],
    },
    { dimension: { experiment: 'cta-color' }, at_step: 2 },
  ],
];

describe('generated funnel SQL', () => {
  it.each(CASES)('%s', async (name, def, breakdown) => {
    const p = new Params();
    const sql = unitsSql(def, { ...range, ...(breakdown ? { breakdown } : {}) }, p);
    const text = `-- ${name}\n-- params: ${JSON.stringify(p.values)}\n${sql.trim()}\n`;
    await expect(text).toMatchFileSnapshot(`./__sql__/${name}.sql`);
  });
});

describe('generated funnel correlation SQL', () => {
  it("counts candidates over the engine's units", async () => {
    const def: FunnelDefinition = {
      steps: [{ match: [product] }, { match: [{ type: 'add_to_cart' }] }, { match: [{ type: 'purchase' }] }],
    };
    const p = new Params();
    const sql = correlationCountsSql(
      def,
      {
        ...range,
        stepFrom: 0,
        stepTo: 2,
        cohorts: 'mature',
        properties: ['channel', 'landing_path', 'experiments.cta-color', 'props.plan'],
        excludedTypes: ['add_to_cart', 'purchase'],
        excludedNames: [],
        topValues: 20,
        limit: 500,
      },
      p,
    );
    const text = `-- correlation\n-- params: ${JSON.stringify(p.values)}\n${sql.trim()}\n`;
    await expect(text).toMatchFileSnapshot('./__sql__/correlation.sql');
  });
});
