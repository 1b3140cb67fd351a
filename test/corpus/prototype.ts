import { body, collector, ev, eventsRejected, rejected, storedOne } from './build.ts';
import type { CorpusCase } from './types.ts';

const RESERVED = ['__proto__', 'constructor', 'prototype'];

/**
 * Prototype-pollution keys. In `props`/`exp` they refuse their event (`reserved_property_key`, listed
 * in the 202's `rejected`); anywhere
 * else they are unknown keys, dropped like any other. Either way no object's prototype changes
 * (the runner checks `Object.prototype` after every case) and the batch is judged on its own keys.
 * Bodies are strings: `JSON.stringify` would not write a `__proto__` key made by a literal.
 */
export function prototypeCases(): CorpusCase[] {
  const reserved = eventsRejected([{ index: 0, code: 'reserved_property_key' }], 0);
  const { out, add } = collector('prototype', 'prototype');
  const valid = JSON.stringify(body([ev('p1')]));
  const inEvent = (json: string) => valid.replace('{"id":"p1"', `{"id":"p1",${json}`);
  for (const k of RESERVED) {
    add(`props ${k}`, { body: inEvent(`"props":{"${k}":"x"}`), expect: reserved });
    add(`props ${k} object`, {
      body: inEvent(`"props":{"${k}":{"polluted":"yes"}}`),
      expect: reserved,
    });
    add(`exp ${k}`, { body: inEvent(`"exp":{"${k}":"x"}`), expect: reserved });
  }
  add('props __proto__ among others', {
    body: inEvent('"props":{"a":"1","__proto__":{"isAdmin":true},"b":"2"}'),
    expect: reserved,
  });
  add('props escaped __proto__', {
    body: inEvent('"props":{"\\u005f_proto__":"x"}'),
    expect: reserved,
  });
  // Not reserved: look-alikes and other Object.prototype names are plain keys, stored as such.
  for (const k of [
    '__proto__ ',
    'Constructor',
    'hasOwnProperty',
    'toString',
    'valueOf',
    '__defineGetter__',
    'isPrototypeOf',
  ]) {
    add(`props plain key ${k}`, {
      body: inEvent(`"props":{"${k}":"kept"}`),
      expect: storedOne([{ event_id: 'p1', column: `props.${k}`, value: 'kept' }]),
    });
  }
  const read = (column: string, value: unknown) => ({ event_id: 'p1', column, value });
  const pageview = [read('type', 'pageview'), read('revenue', 0), read('utm_source', '')];
  const unknown: [string, string, ReturnType<typeof read>[]][] = [
    ['top-level __proto__', valid.replace('{', '{"__proto__":{"polluted":"yes","site":"other"},'), pageview],
    [
      'top-level constructor.prototype',
      valid.replace('{', '{"constructor":{"prototype":{"polluted":"yes"}},'),
      pageview,
    ],
    ['event __proto__ type', inEvent('"__proto__":{"type":"purchase","revenue":1000000}'), pageview],
    ['utm __proto__', inEvent('"utm":{"__proto__":{"source":"evil"}}'), pageview],
    [
      'item __proto__',
      valid.replace(
        '"type":"pageview"',
        '"type":"add_to_cart","items":[{"id":"i","__proto__":{"price":999}}]',
      ),
      [read('items', [{ id: 'i', name: '', price: 0, quantity: 1, category: '', variant: '' }])],
    ],
  ];
  for (const [name, text, readback] of unknown) add(name, { body: text, expect: storedOne(readback) });
  add('events only under __proto__', {
    body: JSON.stringify(body([])).replace(
      '"events":[]',
      `"__proto__":{"events":[${JSON.stringify(ev('p1'))}]}`,
    ),
    expect: rejected('invalid_body'),
  });
  add('site only under __proto__', {
    body: valid.replace('"site":"$SITE_KEY"', '"__proto__":{"site":"$SITE_KEY"}'),
    expect: rejected('invalid_body'),
  });
  return out;
}
