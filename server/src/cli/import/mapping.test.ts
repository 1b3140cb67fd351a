import { describe, expect, it } from 'vitest';
import { parseColumnMap, readTimestamp, toServerEvent } from './mapping.ts';

describe('toServerEvent', () => {
  it('renames mapped CSV columns, builds nested fields and reads numbers and JSON cells', () => {
    const map = parseColumnMap('ts=when,type=kind,utm.source=src,props.plan=plan,revenue=total');
    const out = toServerEvent(
      {
        when: '2025-06-01T10:00:00Z',
        kind: 'purchase',
        src: 'news',
        plan: 'pro',
        total: '12.50',
        url: 'https://x.example/',
        items: '[{"id":"a","price":1}]',
        title: '',
      },
      'raw',
      map,
      true,
    );
    expect(out).toEqual({
      event: {
        id: expect.stringMatching(/^imp_/),
        ts: Date.parse('2025-06-01T10:00:00Z'),
        type: 'purchase',
        utm: { source: 'news' },
        props: { plan: 'pro' },
        revenue: 12.5,
        url: 'https://x.example/',
        items: [{ id: 'a', price: 1 }],
      },
    });
  });

  it('keeps NDJSON values as they are and derives the same id from the same line', () => {
    const a = toServerEvent({ ts: 1_700_000_000_000, type: 'pageview' }, 'line', new Map(), false);
    const b = toServerEvent({ ts: 1_700_000_000_000, type: 'pageview' }, 'line', new Map(), false);
    const c = toServerEvent({ ts: 1_700_000_000_000, type: 'pageview' }, 'other', new Map(), false);
    expect('event' in a && 'event' in b && a.event.id === b.event.id).toBe(true);
    expect('event' in a && 'event' in c && a.event.id !== c.event.id).toBe(true);
    expect(toServerEvent({ id: 'x', ts: 'soon' }, 'l', new Map(), false)).toEqual({
      code: 'invalid_timestamp',
      error: 'ts "soon" is not epoch ms or ISO-8601',
    });
  });

  it('refuses a malformed --map, and targets through object machinery', () => {
    expect(() => parseColumnMap('ts')).toThrow(/target=column/);
    expect(() => parseColumnMap('=x')).toThrow(/target=column/);
    for (const t of ['__proto__.id', 'props.constructor.x', 'prototype'])
      expect(() => parseColumnMap(`${t}=col`)).toThrow(/__proto__, constructor or prototype/);
  });

  it('refuses keys with a __proto__, constructor or prototype segment, and pollutes nothing', () => {
    const keys = [
      '__proto__.id',
      '__proto__',
      'utm.__proto__.source',
      'constructor.prototype.id',
      'a.prototype',
    ];
    for (const key of keys) {
      // JSON.parse makes `__proto__` an own key, as an NDJSON line would.
      const value = JSON.parse(`{"ts":1700000000000,${JSON.stringify(key)}:"polluted"}`);
      const out = toServerEvent(value, 'l', new Map(), false);
      expect(out).toMatchObject({ code: 'reserved_key' });
      expect('error' in out && out.error).toContain(JSON.stringify(key));
    }
    expect(({} as { id?: unknown }).id).toBeUndefined();
    // The next line without an id still gets its derived one.
    const next = toServerEvent({ ts: 1_700_000_000_000, type: 'pageview' }, 'next', new Map(), false);
    expect('event' in next && next.event.id).toMatch(/^imp_/);
    // Look-alikes are plain keys; a mapped column is read only when the record has it as its own.
    const plain = toServerEvent(
      { ts: 1, 'props.Constructor': 'x', hasOwnProperty: 'y' },
      'l',
      parseColumnMap('title=toString'),
      false,
    );
    expect(plain).toEqual({
      event: { ts: 1, props: { Constructor: 'x' }, hasOwnProperty: 'y', id: expect.stringMatching(/^imp_/) },
    });
  });
});

describe('readTimestamp', () => {
  it.each([
    [1_700_000_000_000, 1_700_000_000_000],
    ['1700000000000', 1_700_000_000_000],
    ['2025-06-01T10:00:00+02:00', Date.parse('2025-06-01T08:00:00Z')],
    ['', undefined],
    ['nope', undefined],
    [Number.NaN, undefined],
  ])('%s → %s', (input, want) => {
    expect(readTimestamp(input)).toBe(want);
  });
});
