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
      error: 'ts "soon" is not epoch ms or ISO-8601',
    });
  });

  it('refuses a malformed --map', () => {
    expect(() => parseColumnMap('ts')).toThrow(/target=column/);
    expect(() => parseColumnMap('=x')).toThrow(/target=column/);
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
