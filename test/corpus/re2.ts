import { collector, rejected } from './build.ts';
import type { CorpusCase } from './types.ts';

/**
 * Patterns JavaScript's RegExp compiles and RE2 (the engine's regex library) refuses. They pass a
 * JavaScript-only check, so each must be refused at the door with the engine's own rules
 * (`400 invalid_body`), not accepted and then failing every query (a 500), and nothing is saved.
 */
const PATTERNS: [string, string][] = [
  ['unknown escape y', '\\y'],
  ['end anchor Z', '\\Z'],
  ['control escape', '\\cA'],
  ['empty negated class', '[^]'],
  ['empty class', '[]'],
  ['repeat over 1000', 'a{1001}'],
  ['nested repeats', '(a{1000}){1000}'],
  ['unicode escape braces', '\\u{61}'],
];

const FIELDS = ['path', 'url', 'name'] as const;

const definition = (field: (typeof FIELDS)[number], pattern: string) => ({
  steps: [
    { match: [{ type: 'pageview', [field]: { op: 'regex', value: pattern } }] },
    { match: [{ type: 'purchase' }] },
  ],
});

export function re2Cases(): CorpusCase[] {
  const { out, add } = collector('re2_syntax', 're2');
  for (const [name, pattern] of PATTERNS) {
    for (const field of FIELDS) {
      add(`query/${field}/${name}`, {
        path: '/api/v1/sites/$SITE_ID/funnels/query',
        body: { definition: definition(field, pattern), from: '2026-03-01', to: '2026-03-31' },
        expect: rejected('invalid_body'),
      });
    }
    add(`save/${name}`, {
      path: '/api/v1/sites/$SITE_ID/funnels',
      body: { name: 'bad', definition: definition('path', pattern) },
      expect: rejected('invalid_body'),
    });
  }
  return out;
}
