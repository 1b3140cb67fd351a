import { collector, rejected } from './build.ts';
import type { CorpusCase } from './types.ts';

/**
 * Oversized funnel definitions: each list within its own limit, the whole too big to run (the
 * finding: 20 steps × 10 alternatives × 20 `in` filters took a minute of engine CPU), or a body
 * past the API's 1 MiB. Refused at the door (`400 funnel_too_complex` / `413`), nothing saved.
 */
const inFilters = (n: number, values: number) =>
  Array.from({ length: n }, (_, i) => ({
    property: `p${i}`,
    op: 'in',
    values: Array.from({ length: values }, (_, v) => `v${v}`),
  }));

const steps = (n: number, alternatives: number, alternative: (s: number, a: number) => unknown) =>
  Array.from({ length: n }, (_, s) => ({
    match: Array.from({ length: alternatives }, (_, a) => alternative(s, a)),
  }));

const DEFINITIONS: [string, unknown, string, number?][] = [
  [
    'the finding: 20 × 10 × 20 in filters',
    { steps: steps(20, 10, () => ({ filters: inFilters(20, 5) })) },
    'funnel_too_complex',
  ],
  [
    '101 alternatives',
    { steps: [...steps(10, 10, (s, a) => ({ name: `n${s}-${a}` })), { match: [{ type: 'purchase' }] }] },
    'funnel_too_complex',
  ],
  ['501 conditions', { steps: steps(6, 1, () => ({ filters: inFilters(1, 100) })) }, 'funnel_too_complex'],
  [
    '5,001 pattern characters',
    {
      steps: steps(11, 1, (s) => ({
        path: { op: 'wildcard', value: `/${String(s).padEnd(s === 10 ? 1 : 499, 'x')}` },
      })),
    },
    'funnel_too_complex',
  ],
  ['21 steps', { steps: steps(21, 1, () => ({ type: 'pageview' })) }, 'invalid_body'],
  [
    'body over 1 MiB',
    { steps: steps(2, 1, () => ({ type: 'pageview' })), pad: '$PAD(1048600)' },
    'payload_too_large',
    413,
  ],
];

export function oversizedCases(): CorpusCase[] {
  const { out, add } = collector('oversized_definition', 'oversized');
  for (const [name, definition, code, status] of DEFINITIONS) {
    add(`query/${name}`, {
      path: '/api/v1/sites/$SITE_ID/funnels/query',
      body: { definition, from: '2026-03-01', to: '2026-03-31' },
      expect: rejected(code, status),
    });
    add(`save/${name}`, {
      path: '/api/v1/sites/$SITE_ID/funnels',
      body: { name: 'big', definition },
      expect: rejected(code, status),
    });
  }
  return out;
}
