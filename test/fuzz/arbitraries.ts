import { EVENT_TYPES, LIMITS } from '@funnelhouse/schemas';
import fc from 'fast-check';

/** Any UTF-16 code unit, surrogates half of the time: fast-check's own units never leave one alone. */
const codeUnit = fc
  .oneof(fc.integer({ min: 0xd800, max: 0xdfff }), fc.integer({ min: 0, max: 0xffff }))
  .map((c) => String.fromCharCode(c));

/** Text of every kind: code points, raw code units (lone surrogates), graphemes, known-nasty strings. */
export const text = (maxLength: number) =>
  fc.oneof(
    fc.string({ maxLength, unit: 'binary' }),
    fc.string({ maxLength, unit: codeUnit }),
    fc.string({ maxLength, unit: 'grapheme' }),
    fc.constantFrom(
      "' OR 1=1 --",
      '<script>x</script>',
      '=cmd|x!A0',
      '\u202Eabc',
      'a\u0000b',
      '{db:Identifier}',
      '',
    ),
  );

const url = fc.oneof(
  fc.webUrl({ withQueryParameters: true, withFragments: true }).filter((u) => u.length <= LIMITS.urlLength),
  fc.constantFrom(
    'https://shop.example/p?email=jane@example.com&token=abc',
    'https://www.shop.example/',
    'http://localhost:3000/cart',
  ),
);

const props = fc.dictionary(
  fc.string({ minLength: 1, maxLength: LIMITS.keyLength }),
  fc.oneof(text(LIMITS.valueLength), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean()),
  { maxKeys: 8 },
);

/** A valid event of any type (ids are filled in per request, see `withFreshIds`). */
export const validEvent = fc
  .record({
    type: fc.constantFrom(...EVENT_TYPES),
    url,
    title: fc.option(text(LIMITS.textLength), { nil: undefined }),
    referrer: fc.option(url, { nil: undefined }),
    visitor_id: fc.option(fc.string({ minLength: 1, maxLength: 40 }), { nil: undefined }),
    props: fc.option(props, { nil: undefined }),
    name: fc.string({ minLength: 1, maxLength: 128 }),
    label: text(128),
    // Browsers may not send negative revenue (`negative_revenue`); an item's price may be negative.
    revenue: fc.double({ min: 0, max: 1e6, noNaN: true }),
    quantity: fc.integer({ min: 0, max: 1000 }),
    ago: fc.integer({ min: 0, max: 3_600_000 }),
  })
  .map((r) => {
    const e: Record<string, unknown> = { id: 'x', type: r.type, ts: Date.now() - r.ago, url: r.url };
    for (const k of ['title', 'referrer', 'visitor_id', 'props'] as const)
      if (r[k] !== undefined) e[k] = r[k];
    const item = { id: 'sku-1', name: r.label, price: r.revenue, quantity: r.quantity };
    if (r.type === 'click') Object.assign(e, { name: r.name, el: { tag: 'a', text: r.label, href: r.url } });
    if (r.type === 'form_start' || r.type === 'form_submit') e.form = { id: r.label, fields: [r.label] };
    if (r.type === 'purchase')
      Object.assign(e, { order_id: r.name, revenue: r.revenue, currency: 'EUR', items: [item] });
    else if (['add_to_cart', 'remove_from_cart', 'view_cart', 'begin_checkout'].includes(r.type))
      e.items = [item];
    if (r.type === 'exposure') Object.assign(e, { name: r.name, variant: r.name });
    if (r.type === 'identify') e.user_id = r.name;
    if (r.type === 'custom') e.name = r.name;
    return e;
  });

export const validBody = (siteKeys: readonly string[]) =>
  fc.record({
    site: fc.constantFrom(...siteKeys),
    sent_at: fc.constant(0).map(() => Date.now()),
    events: fc.array(validEvent, { minLength: 1, maxLength: 5 }),
  });

type Json = unknown;
const SPECIAL: Json[] = [null, '', -1, 0, 1e308, -1e308, 2 ** 53 + 1, [], {}, 'x'.repeat(5000), true];

/** Every path into a JSON value (the root is `[]`). */
export function paths(v: Json, at: (string | number)[] = []): (string | number)[][] {
  const out = [at];
  if (Array.isArray(v)) {
    v.forEach((x, i) => {
      out.push(...paths(x, [...at, i]));
    });
  } else if (v !== null && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) out.push(...paths(x, [...at, k]));
  }
  return out;
}

export interface MutationValue {
  at: number;
  op: 'delete' | 'replace' | 'special' | 'duplicate' | 'reserved-key' | 'wrap';
  value: Json;
  special: Json;
  reserved: string;
}

export const mutation: fc.Arbitrary<MutationValue> = fc.record({
  at: fc.nat(),
  op: fc.constantFrom('delete', 'replace', 'special', 'duplicate', 'reserved-key', 'wrap'),
  value: fc.jsonValue({ maxDepth: 3 }),
  special: fc.constantFrom(...SPECIAL),
  reserved: fc.constantFrom('__proto__', 'constructor', 'prototype'),
});

/**
 * Applies one mutation to a deep copy. Keys are defined with `defineProperty`, so a `__proto__`
 * key stays an own property and is serialised, as a hostile client would send it.
 */
export function mutate(root: Json, m: MutationValue): Json {
  const copy = structuredClone(root) as Json;
  const all = paths(copy);
  const path = all[m.at % all.length] ?? [];
  if (path.length === 0) return m.op === 'wrap' ? [copy] : m.value;
  type Node = Record<string | number, Json>;
  const parent = path.slice(0, -1).reduce<Json>((o, k) => (o as Node)[k], copy) as Node;
  const key = path[path.length - 1] as string | number;
  const set = (k: string | number, v: Json) =>
    Object.defineProperty(parent, k, { value: v, enumerable: true, writable: true, configurable: true });
  if (m.op === 'delete') {
    if (Array.isArray(parent)) parent.splice(key as number, 1);
    else delete parent[key];
  } else if (m.op === 'replace') set(key, m.value);
  else if (m.op === 'special') set(key, m.special);
  else if (m.op === 'duplicate') {
    if (Array.isArray(parent)) parent.push(structuredClone(parent[key as number]));
    else set(`${key}_copy`, parent[key]);
  } else if (m.op === 'reserved-key') {
    if (!Array.isArray(parent)) set(m.reserved, parent[key]);
  } else set(key, [parent[key]]);
  return copy;
}

/** Gives every event of a (possibly mutated) body an id unique to this request, where it has one. */
export function withFreshIds(b: Json, prefix: string): Json {
  const events = (b as { events?: unknown } | null)?.events;
  if (!Array.isArray(events)) return b;
  events.forEach((e, i) => {
    if (e !== null && typeof e === 'object' && typeof (e as { id?: unknown }).id === 'string') {
      (e as { id: string }).id = `${prefix}-${i}`;
    }
  });
  return b;
}
