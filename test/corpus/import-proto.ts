import { collector } from './build.ts';
import type { CorpusCase, CorpusExpectation } from './types.ts';

const DAY_AGO = '"$NOW-86400000"';
/** Lines without an id: each gets one derived from its text, unless something polluted `id`. */
const NO_ID = `{"type":"pageview","ts":${DAY_AGO},"url":"https://shop.example/p/$I","visitor_id":"v-$I"}`;

/** Hostile NDJSON keys: dotted paths through object machinery, and the plain `__proto__`. */
const HOSTILE: [string, string][] = [
  ['__proto__.id', '{"__proto__.id":"polluted","type":"pageview","ts":1,"url":"https://a.example/"}'],
  ['__proto__.type', '{"__proto__.type":"purchase","ts":1}'],
  ['__proto__.props.x', '{"__proto__.props.x":"1","ts":1}'],
  ['constructor.prototype.id', '{"constructor.prototype.id":"polluted","ts":1}'],
  ['prototype.id', '{"prototype.id":"polluted","ts":1}'],
  ['utm.__proto__.id', '{"utm.__proto__.id":"polluted","ts":1}'],
  ['props.constructor', '{"props.constructor":"x","ts":1}'],
  ['escaped __proto__.id', '{"\\u005f_proto__.id":"polluted","ts":1}'],
  ['plain __proto__', '{"__proto__":{"id":"polluted"},"ts":1}'],
  ['plain constructor', '{"constructor":{"prototype":{"id":"polluted"}},"ts":1}'],
];

/**
 * Prototype pollution in the import CLI: one line with a dotted key `__proto__.id` set
 * `Object.prototype.id` in the importer, and every later line without an id went out without one
 * (all rejected). Such a line is now refused on its own (`reserved_key`), records have no
 * prototype, and the lines after it get their derived ids.
 */
export function importProtoCases(): CorpusCase[] {
  const { out, add } = collector('import_proto', 'import-proto');
  const expectOne = (line: number, rows: number): CorpusExpectation => ({
    status: 0,
    outcome: 'stored',
    rows,
    import: {
      stored: rows,
      rejected_by_code: { reserved_key: 1 },
      rejects: [{ line, code: 'reserved_key' }],
    },
  });
  for (const [name, text] of HOSTILE) {
    add(`ndjson ${name}`, {
      import: { format: 'ndjson', lines: [{ text }, { text: NO_ID, repeat: 20 }] },
      expect: expectOne(1, 20),
    });
  }
  add('ndjson __proto__.id midway', {
    import: {
      format: 'ndjson',
      lines: [
        { text: NO_ID.replace('p/$I', 'a/$I'), repeat: 5 },
        { text: HOSTILE[0]?.[1] ?? '' },
        { text: NO_ID, repeat: 20 },
      ],
    },
    expect: expectOne(6, 25),
  });
  // CSV: the header names the columns, so every row carries the hostile key.
  for (const header of ['__proto__.id', 'utm.__proto__.source']) {
    add(`csv header ${header}`, {
      import: {
        format: 'csv',
        lines: [
          { text: `type,ts,url,${header}` },
          { text: `pageview,${DAY_AGO},https://shop.example/$I,x`, repeat: 3 },
        ],
      },
      expect: {
        status: 0,
        outcome: 'rejected',
        rows: 0,
        import: {
          stored: 0,
          rejected_by_code: { reserved_key: 3 },
          rejects: [2, 3, 4].map((line) => ({ line, code: 'reserved_key' })),
        },
      },
    });
  }
  // Look-alikes are plain keys: everything stored.
  const lookAlikes = ['props.__proto__x', 'props.Constructor', 'props.hasOwnProperty', 'props.toString'];
  add('look-alikes are plain keys', {
    import: {
      format: 'ndjson',
      lines: [
        { text: NO_ID.replace('{', `{${lookAlikes.map((k) => `"${k}":"kept"`).join(',')},`), repeat: 3 },
      ],
    },
    expect: {
      status: 0,
      outcome: 'stored',
      rows: 3,
      import: { stored: 3, rejected_by_code: {}, rejects: [] },
    },
  });
  return out;
}
