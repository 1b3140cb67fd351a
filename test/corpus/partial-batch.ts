import { collector, ev } from './build.ts';
import type { CorpusCase, CorpusExpectation } from './types.ts';

const EVENTS_PATH = '/api/v1/sites/$SITE_ID/events';

/** Events that break one property limit each, as JSON text (a `__proto__` key needs text). */
const BROKEN: [string, string, string][] = [
  [
    '51 props',
    JSON.stringify(
      ev('$ID', { props: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v'])) }),
    ),
    'too_many_properties',
  ],
  [
    '21 experiments',
    JSON.stringify(
      ev('$ID', { exp: Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`e${i}`, 'a'])) }),
    ),
    'too_many_properties',
  ],
  [
    'value of 1,001',
    JSON.stringify(ev('$ID', { props: { p: 'x'.repeat(1001) } })),
    'property_value_too_long',
  ],
  [
    'value of 1,001 kanji',
    JSON.stringify(ev('$ID', { props: { p: '日'.repeat(1001) } })),
    'property_value_too_long',
  ],
  ['key of 65', JSON.stringify(ev('$ID', { props: { ['k'.repeat(65)]: 'v' } })), 'property_key_too_long'],
  ['exp key of 65', JSON.stringify(ev('$ID', { exp: { ['e'.repeat(65)]: 'a' } })), 'property_key_too_long'],
  [
    'props __proto__',
    JSON.stringify(ev('$ID')).replace('{', '{"props":{"__proto__":{"polluted":"yes"}},'),
    'reserved_property_key',
  ],
  ['props constructor', JSON.stringify(ev('$ID', { props: { constructor: 'x' } })), 'reserved_property_key'],
  ['exp prototype', JSON.stringify(ev('$ID', { exp: { prototype: 'a' } })), 'reserved_property_key'],
];

/** Where the broken event sits among `n` events, the others good. */
const PLACES: [string, number, number][] = [
  ['first of 3', 0, 3],
  ['middle of 3', 1, 3],
  ['last of 3', 2, 3],
];

/**
 * A server events batch with events over a property limit. The README promises that only a bad
 * envelope refuses a batch: each broken event is rejected with its own code and index, the
 * others are stored (it used to be `400` for the batch, and an import stopped there on every run).
 */
export function partialBatchCases(): CorpusCase[] {
  const { out, add } = collector('partial_batch', 'partial');
  for (const [name, broken, code] of BROKEN) {
    for (const [place, at, n] of PLACES) {
      const texts = Array.from({ length: n }, (_, i) =>
        i === at ? broken.replace('$ID', `bad${i}`) : JSON.stringify(ev(`good${i}`)),
      );
      const good = texts.map((_, i) => i).filter((i) => i !== at);
      add(`${name}/${place}`, {
        path: EVENTS_PATH,
        body: `{"events":[${texts.join(',')}]}`,
        expect: partial(n, [{ index: at, id: `bad${at}`, code }], good),
      });
    }
  }
  // Every event broken: a 200 with nothing stored, not a 400.
  add('every event broken', {
    path: EVENTS_PATH,
    body: `{"events":[${BROKEN.map(([, text], i) => text.replace('$ID', `bad${i}`)).join(',')}]}`,
    expect: partial(
      BROKEN.length,
      BROKEN.map(([, , code], i) => ({ index: i, id: `bad${i}`, code })),
      [],
    ),
  });
  // A full batch of 1,000 with one broken event near the end.
  const many = Array.from({ length: 1000 }, (_, i) =>
    i === 997 ? (BROKEN[0]?.[1] ?? '').replace('$ID', `bad${i}`) : JSON.stringify(ev(`good${i}`)),
  );
  add('one broken in 1,000', {
    path: EVENTS_PATH,
    body: `{"events":[${many.join(',')}]}`,
    expect: {
      status: 200,
      outcome: 'event_rejected',
      answer: { accepted: 999, duplicates: 0, rejected: 1 },
      rows: 999,
      readback: [{ event_id: 'good998', column: 'type', value: 'pageview' }],
    },
  });
  return out;
}

function partial(
  n: number,
  bad: { index: number; id: string; code: string }[],
  good: number[],
): CorpusExpectation {
  const results = Array.from({ length: n }, (_, i) => {
    const b = bad.find((x) => x.index === i);
    return b ? { ...b, status: 'rejected' } : { index: i, id: `good${i}`, status: 'stored' };
  });
  return {
    status: 200,
    outcome: 'event_rejected',
    answer: { accepted: good.length, duplicates: 0, rejected: bad.length, results },
    rows: good.length,
    readback: good.map((i) => ({ event_id: `good${i}`, column: 'type', value: 'pageview' })),
  };
}
