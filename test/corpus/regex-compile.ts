import { collector, rejected } from './build.ts';
import type { CorpusCase, CorpusExpectation } from './types.ts';

/**
 * Regexes the engine must compile to judge (issue 25, item 7): many distinct invalid patterns in
 * one definition used to cost one engine query each on the main connection (15.9 s for one
 * request, another site's server events slowed 10×). Each must be refused (`400 invalid_body`)
 * and nothing saved; a verdict kept for one pattern must never answer for a near one (the cache
 * is keyed by the exact text). Which connection judges, and that a kept verdict sends no query,
 * need a held connection and a metric: `test/integration/regex-validation.test.ts`.
 */
const QUERY = '/api/v1/sites/$SITE_ID/funnels/query';
const SAVE = '/api/v1/sites/$SITE_ID/funnels';
const range = { from: '2026-03-01', to: '2026-03-31' };

/** Patterns RE2 refuses; `${i}` keeps each distinct, so none is judged from another's verdict. */
const BAD = [
  (i: number) => `\\y${i}`,
  (i: number) => `[^]${i}`,
  (i: number) => `a{1001}${i}`,
  (i: number) => `(a{1000}){1000}${i}`,
  (i: number) => `\\u{6${i % 10}}`,
];

/** `steps` × `alternatives` path regexes, each from `pattern(k)` (k counts across the definition). */
function definition(steps: number, alternatives: number, pattern: (k: number) => string) {
  return {
    steps: Array.from({ length: steps }, (_, s) => ({
      match: Array.from({ length: alternatives }, (_, a) => ({
        type: 'pageview',
        path: { op: 'regex', value: pattern(s * alternatives + a) },
      })),
    })),
  };
}

const askedOk = (): CorpusExpectation => ({
  status: 200,
  outcome: 'stored',
  rows: 0,
  answer: { skipped_units: 0 },
});

export function regexCompileCases(): CorpusCase[] {
  const { out, add } = collector('regex_compile_main', 'regex-main');
  const shapes: [number, number][] = [
    [2, 10],
    [10, 10],
  ];
  for (const [f, bad] of BAD.entries()) {
    for (const [steps, alternatives] of shapes) {
      const n = steps * alternatives;
      add(`${n} distinct invalid/kind ${f}/query`, {
        path: QUERY,
        body: { definition: definition(steps, alternatives, bad), ...range },
        expect: rejected('invalid_body'),
      });
      add(`${n} distinct invalid/kind ${f}/save`, {
        path: SAVE,
        body: { name: 'many bad', definition: definition(steps, alternatives, bad) },
        expect: rejected('invalid_body'),
      });
    }
    add(`one invalid among valid/kind ${f}`, {
      path: QUERY,
      body: {
        definition: definition(5, 10, (k) => (k === 37 ? bad(k) : `^/p${k}$`)),
        ...range,
      },
      expect: rejected('invalid_body'),
    });
    add(`the same invalid everywhere/kind ${f}`, {
      path: QUERY,
      body: { definition: definition(10, 10, () => bad(0)), ...range },
      expect: rejected('invalid_body'),
    });
  }
  // A near pattern judged valid first: its kept verdict must not answer for the invalid one.
  const NEAR: [string, string, string][] = [
    ['repeat 1000 then 1001', 'a{1000}', 'a{1001}'],
    ['escaped y then y escape', '\\\\y', '\\y'],
    ['class then empty negated class', '[^a]', '[^]'],
  ];
  for (const [name, valid, invalid] of NEAR) {
    add(`near a kept valid verdict/${name}`, {
      before: [{ path: QUERY, body: { definition: definition(2, 1, () => valid), ...range } }],
      path: QUERY,
      body: { definition: definition(2, 1, () => invalid), ...range },
      expect: rejected('invalid_body'),
    });
  }
  // Valid patterns asked twice (the second from kept verdicts) still run.
  add('valid patterns asked again', {
    before: [{ path: QUERY, body: { definition: definition(4, 5, (k) => `^/v${k}(/|$)`), ...range } }],
    path: QUERY,
    body: { definition: definition(4, 5, (k) => `^/v${k}(/|$)`), ...range },
    expect: askedOk(),
  });
  return out;
}
