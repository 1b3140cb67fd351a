import {
  collectEventSchema,
  EVENT_TYPES,
  elementSchema,
  formSchema,
  itemSchema,
  LIMITS,
  utmSchema,
} from '@funnelhouse/schemas';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compiledCollectEvent } from './parse.ts';

/**
 * zod's compiled parser (`z.compile`, used by `/collect`) against zod's runtime parser of the same
 * schema: the verdict, the output and every issue (path, code, message), on random and hostile
 * events. A compiler bug, or a schema feature it models wrongly, fails here.
 */
const verdict = (r: ReturnType<typeof collectEventSchema.safeParse>) =>
  r.success
    ? { valid: true, output: JSON.stringify(r.data) }
    : {
        valid: false,
        issues: r.error.issues.map((i) => ({ path: i.path, code: i.code, message: i.message })),
      };

const NOW = Date.UTC(2026, 11, 8);
const LENGTHS = [0, 1, 2, 3, 4, 31, 32, 33, 63, 64, 65, 127, 128, 129, 255, 256, 257, 499, 500, 501];
const LONG = [511, 512, 513, 999, 1000, 1001, 1023, 1024, 1025, 2047, 2048, 2049];
/** Strings at every bound, in units that count once or twice (zod counts code points). */
const sized = fc
  .tuple(
    fc.constantFrom(...LENGTHS, ...LONG),
    fc.constantFrom('a', 'é', '😀', '\ud800', '\udc00', '\ud83d\ude00\ud800', 'ｘ', '\u0000'),
    fc.boolean(),
  )
  .map(([n, c, half]) => c.repeat(half ? Math.ceil(n / 2) : n).slice(0, 4100));
const URLISH = [
  'https://shop.example/p?x=1',
  'http://localhost:3000/',
  'HTTPS://SHOP.EXAMPLE',
  'http:shop.example',
  ' https://shop.example',
  '\u0000https://shop.example',
  'ht\ttp://shop.example',
  'h\nttps://shop.example',
  'https://',
  'http://[::1',
  'https://exa mple.com',
  'ftp://shop.example',
  'javascript:alert(1)',
  'httpx://shop.example',
  'https:/shop.example',
  'https:\\\\shop.example',
  '//shop.example/',
  '/relative',
  'notaurl',
  '',
  `https://shop.example/${'a'.repeat(2048 - 21)}`,
  `https://shop.example/${'a'.repeat(2048 - 20)}`,
  `https://shop.example/${'😀'.repeat(1013)}`,
  'https://bücher.example/ü',
  'https://xn--/',
];
const url = fc.oneof(fc.constantFrom(...URLISH), fc.webUrl(), fc.string({ maxLength: 12 }));
const NUMBERS = [
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  -0,
  0,
  1.5,
  -1,
  2 ** 53,
  -(2 ** 60),
  1e300,
  946_684_800_000,
  946_684_799_999,
  4_102_444_800_000,
  4_102_444_800_001,
  NOW + 0.5,
  1_765_000_000,
  LIMITS.moneyMax,
  LIMITS.moneyMax + 0.01,
  -LIMITS.moneyMax,
  -LIMITS.moneyMax - 1,
  1_000_000,
  1_000_001,
];
const number = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...NUMBERS) }, fc.double(), fc.integer());
const manyKeys = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, 'v']));
const objects = fc.constantFrom(
  manyKeys(20),
  manyKeys(21),
  manyKeys(50),
  manyKeys(51),
  { '': 'v' },
  { ['k'.repeat(64)]: 'v', ['😀'.repeat(40)]: 1 },
  { ['k'.repeat(65)]: 'v' },
  JSON.parse('{"__proto__": "x", "a": "b"}'),
  JSON.parse('{"__proto__": {"type": "pageview"}}'),
  { constructor: 'x', prototype: 1 },
  { a: 'x'.repeat(1001) },
  { a: 'x'.repeat(1001), b: 1, c: null },
  { a: Number.NaN },
  { a: [1] },
);
const arrays = fc.oneof(
  fc.constantFrom(new Array(100).fill('f'), new Array(101).fill('f'), new Array(101).fill(1)),
  fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 4 }),
);
const TYPES = fc.constantFrom(...EVENT_TYPES, 'nope', 'PAGEVIEW', '');
/** Anything a field could be sent as: right and wrong types, at and past every bound. */
const junk = fc.oneof(
  sized,
  url,
  number,
  fc.boolean(),
  fc.constant(null),
  TYPES,
  objects,
  arrays,
  fc.jsonValue({ maxDepth: 3 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
);

const text = (max: number) =>
  fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('x'.repeat(max), '😀'.repeat(max)));
const id = fc.oneof(fc.string({ minLength: 1, maxLength: 12 }), fc.constant('i'.repeat(128)));
const item = fc.record(
  {
    id,
    name: text(500),
    price: fc.double({ min: -1e6, max: 1e6, noNaN: true }),
    quantity: fc.integer({ min: 0, max: 1_000_000 }),
    category: text(500),
    variant: text(500),
  },
  { requiredKeys: ['id'] },
);
const props = fc.dictionary(
  fc.string({ minLength: 1, maxLength: 10 }),
  fc.oneof(text(1000), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean()),
  { maxKeys: 5 },
);

/** Events that are mostly valid, for every type, with the fields each type has (and some it has not). */
const validish = fc
  .record({
    type: fc.constantFrom(...EVENT_TYPES),
    id,
    ts: fc.integer({ min: 946_684_800_000, max: 4_102_444_800_000 }),
    url: fc.oneof(fc.webUrl(), fc.constant(`https://shop.example/${'a'.repeat(2048 - 21)}`)),
    title: fc.option(text(500), { nil: undefined }),
    referrer: fc.option(fc.oneof(fc.webUrl(), fc.string({ maxLength: 10 })), { nil: undefined }),
    utm: fc.option(fc.record({ source: text(500), click_id: text(32) }, { requiredKeys: [] }), {
      nil: undefined,
    }),
    visitor_id: fc.option(id, { nil: undefined }),
    user_id: fc.option(id, { nil: undefined }),
    exp: fc.option(fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), text(128), { maxKeys: 3 }), {
      nil: undefined,
    }),
    props: fc.option(props, { nil: undefined }),
    name: text(128),
    variant: text(128),
    el: fc.record({ tag: text(32), href: text(2048), text: text(500) }, { requiredKeys: ['tag'] }),
    form: fc.record({ id: text(256), fields: fc.array(text(256), { maxLength: 3 }) }, { requiredKeys: [] }),
    items: fc.array(item, { minLength: 1, maxLength: 3 }),
    order_id: id,
    revenue: fc.double({ min: 0, max: 1e6, noNaN: true }),
    currency: fc.constantFrom('EUR', 'usd', 'EURO', 'E1R'),
    extra: fc.option(fc.dictionary(fc.constantFrom('zzz', 'order_id', 'ip', 'country', '__proto__'), junk), {
      nil: undefined,
    }),
  })
  .map((r) => {
    const e: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(r)) if (v !== undefined && k !== 'extra') e[k] = v;
    return Object.assign(e, r.extra ?? {});
  });

const keysOf = (shape: object) => Object.keys(shape);
const EVENT_KEYS = [...new Set(collectEventSchema.options.flatMap((o) => keysOf(o.shape)))];
const MAP_KEYS = ['a', '', 'k'.repeat(64), 'k'.repeat(65), '😀'.repeat(40), '__proto__', 'constructor'];
/** Where a mutation lands (the event or one of its nested values) and the keys it may set there. */
const TARGETS: [(string | number)[], (string | number)[]][] = [
  [[], [...EVENT_KEYS, '__proto__', 'constructor', 'zzz', '']],
  [['el'], [...keysOf(elementSchema.shape), 'zzz']],
  [['form'], [...keysOf(formSchema.shape), 'zzz']],
  [
    ['form', 'fields'],
    [0, 1, 100],
  ],
  [['utm'], [...keysOf(utmSchema.shape), 'zzz']],
  [['items'], [0, 1, 100]],
  [
    ['items', 0],
    [...keysOf(itemSchema.shape), 'zzz'],
  ],
  [['props'], MAP_KEYS],
  [['exp'], MAP_KEYS],
];
const DELETE = Symbol('delete');
/** One field set to a value at or past a bound, of the wrong type, or junk; or deleted. */
const NUMERIC = new Set<string | number>(['ts', 'revenue', 'price', 'quantity']);
const mutation = fc
  .constantFrom(...TARGETS)
  .chain(([target, keys]) => fc.record({ target: fc.constant(target), key: fc.constantFrom(...keys) }))
  .chain(({ target, key }) =>
    fc.record({
      target: fc.constant(target),
      key: fc.constant(key),
      value: fc.oneof(
        { weight: 4, arbitrary: NUMERIC.has(key) ? number : sized },
        { weight: 2, arbitrary: NUMERIC.has(key) ? sized : number },
        { weight: 3, arbitrary: junk },
        { weight: 1, arbitrary: fc.constant(DELETE) },
      ),
    }),
  );

function mutate(
  ev: Record<string, unknown>,
  ms: { target: (string | number)[]; key: string | number; value: unknown }[],
) {
  const out = structuredClone(ev);
  for (const m of ms) {
    let at: unknown = out;
    for (const k of m.target)
      at = at !== null && typeof at === 'object' ? (at as Record<string, unknown>)[k] : undefined;
    if (at === null || typeof at !== 'object') continue;
    const container = at as Record<string | number, unknown>;
    if (m.value === DELETE) delete container[m.key];
    else if (m.key === '__proto__')
      Object.defineProperty(container, '__proto__', {
        value: m.value,
        enumerable: true,
        configurable: true,
        writable: true,
      });
    else container[m.key] = m.value;
  }
  return out;
}

const hostile = fc.tuple(validish, fc.array(mutation, { maxLength: 3 })).map(([ev, ms]) => mutate(ev, ms));

describe('the compiled parser judges as zod’s runtime does', () => {
  it('the same verdict, the same output and the same issues on random and hostile events', () => {
    const seen = { valid: 0, invalid: 0 };
    const compare = (raw: unknown) => {
      const compiled = verdict(compiledCollectEvent.safeParse(raw));
      expect(compiled).toEqual(verdict(collectEventSchema.safeParse(raw)));
      seen[compiled.valid ? 'valid' : 'invalid']++;
    };
    fc.assert(fc.property(hostile, compare), { numRuns: 20_000 });
    fc.assert(fc.property(validish, compare), { numRuns: 2000 });
    fc.assert(fc.property(junk, compare), { numRuns: 1000 });
    fc.assert(
      fc.property(TYPES, fc.dictionary(fc.constantFrom(...EVENT_KEYS, 'zzz'), junk), (type, rest) =>
        compare({ ...rest, type }),
      ),
      { numRuns: 2000 },
    );
    // Both verdicts are exercised.
    expect(seen.valid).toBeGreaterThan(1500);
    expect(seen.invalid).toBeGreaterThan(10_000);
  });

  it('an object that JSON cannot make is judged as the runtime judges it', () => {
    const ev = { id: 'e', type: 'pageview', ts: NOW, url: 'https://a.example/', props: new Map() };
    for (const raw of [ev, { ...ev, props: Object.create({ inherited: 1 }) }])
      expect(verdict(compiledCollectEvent.safeParse(raw))).toEqual(
        verdict(collectEventSchema.safeParse(raw)),
      );
  });
});
