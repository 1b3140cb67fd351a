import { LIMITS } from '@funnelhouse/schemas';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../errors.ts';
import { parseCollectBody } from './parse.ts';
import { parseWellFormed, toWellFormed } from './well-formed.ts';

const ev = (over: Record<string, unknown> = {}) => ({
  id: 'e1',
  type: 'pageview',
  ts: Date.UTC(2026, 0, 1),
  url: 'https://a.example/',
  ...over,
});
const body = (events: unknown[]) => JSON.stringify({ site: 'k', sent_at: Date.UTC(2026, 0, 1), events });
/** The error code of a refused batch, else the code of the first refused event, else 'ok'. */
const codeOf = (text: string) => {
  try {
    return parseCollectBody(text).rejected[0]?.code ?? 'ok';
  } catch (err) {
    if (err instanceof ApiError) return err.code;
    throw err;
  }
};
const props = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, i]));
const strings = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, `v${i}`]));

describe('parseCollectBody limits: at the limit passes, one over gets its own code', () => {
  it.each([
    [
      'props count',
      { props: props(LIMITS.props) },
      { props: props(LIMITS.props + 1) },
      'too_many_properties',
    ],
    [
      'exp count',
      { exp: strings(LIMITS.experiments) },
      { exp: strings(LIMITS.experiments + 1) },
      'too_many_properties',
    ],
    [
      'key length',
      { props: { ['k'.repeat(LIMITS.keyLength)]: 1 } },
      { props: { ['k'.repeat(LIMITS.keyLength + 1)]: 1 } },
      'property_key_too_long',
    ],
    [
      'value length',
      { props: { k: 'v'.repeat(LIMITS.valueLength) } },
      { props: { k: 'v'.repeat(LIMITS.valueLength + 1) } },
      'property_value_too_long',
    ],
  ])('%s', (_label, ok, over, code) => {
    expect(codeOf(body([ev(ok)]))).toBe('ok');
    expect(codeOf(body([ev(over)]))).toBe(code);
  });

  it('events per batch', () => {
    expect(codeOf(body(Array.from({ length: LIMITS.eventsPerBatch }, () => ev())))).toBe('ok');
    expect(codeOf(body(Array.from({ length: LIMITS.eventsPerBatch + 1 }, () => ev())))).toBe(
      'too_many_events',
    );
  });

  it('JSON depth (unknown keys nest too: depth is checked before the schema strips them)', () => {
    const nest = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;
    const withX = (n: number) => body([ev()]).replace('{', `{"x":${nest(n)},`);
    expect(codeOf(withX(LIMITS.jsonDepth - 1))).toBe('ok');
    expect(codeOf(withX(LIMITS.jsonDepth))).toBe('json_too_deep');
  });

  it.each(['__proto__', 'constructor', 'prototype'])('refuses %s as a props or exp key', (k) => {
    const raw = `{"${k}":"x"}`;
    expect(codeOf(body([ev()]).replace('"url"', `"props":${raw},"url"`))).toBe('reserved_property_key');
    expect(codeOf(body([ev()]).replace('"url"', `"exp":${raw},"url"`))).toBe('reserved_property_key');
  });

  it('never alters Object.prototype', () => {
    const text = body([ev()]).replace('{', '{"__proto__":{"polluted":"yes"},');
    const parsed = parseCollectBody(text);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
  });
});

describe('per-event rejections', () => {
  it('keeps the valid events of a batch and lists each bad one with its index and code', () => {
    const out = parseCollectBody(
      body([
        ev({ id: 'a' }),
        ev({ id: 'b', props: { k: 'v'.repeat(LIMITS.valueLength + 1) } }),
        ev({ id: 'c', url: 'nope' }),
        null,
        ev({ id: 'd' }),
      ]),
    );
    expect(out.events.map((e) => e.id)).toEqual(['a', 'd']);
    expect(out.rejected.map((r) => [r.index, r.code])).toEqual([
      [1, 'property_value_too_long'],
      [2, 'invalid_event'],
      [3, 'invalid_event'],
    ]);
    expect(out.rejected[0]?.issues?.[0]?.path).toBe('props.k');
    expect(out.rejected[1]?.issues?.[0]?.path).toBe('url');
  });

  it('still refuses the whole batch for a bad envelope', () => {
    const text = (over: Record<string, unknown>) =>
      JSON.stringify({ site: 'k', sent_at: Date.UTC(2026, 0, 1), events: [ev()], ...over });
    expect(codeOf(text({ site: '' }))).toBe('invalid_body');
    expect(codeOf(text({ sent_at: 1_700_000_000 }))).toBe('invalid_body');
    expect(codeOf(text({ events: [] }))).toBe('invalid_body');
    expect(codeOf(text({ events: { 0: ev() } }))).toBe('invalid_body');
  });
});

describe('lone surrogates', () => {
  it('become U+FFFD; pairs are kept', () => {
    expect(toWellFormed('a\ud800b')).toBe('a\ufffdb');
    expect(toWellFormed('\udc00')).toBe('\ufffd');
    expect(toWellFormed('\ud83d\ude00\ud83d')).toBe('\ud83d\ude00\ufffd');
    expect(toWellFormed('\ude00\ud83d')).toBe('\ufffd\ufffd');
  });
  it('are replaced in parsed values and keys', () => {
    const text = body([ev({ title: 'x\ud800', props: { 'k\udc00': 'v\ud800' } })]);
    expect(text).toContain('\\ud800'); // JSON.stringify escapes them, as a hostile client may
    const out = parseCollectBody(text).events[0];
    expect(out?.title).toBe('x\ufffd');
    expect(out?.props).toEqual({ 'k\ufffd': 'v\ufffd' });
  });
  it('are replaced however they reach the parser: escaped in either case, raw, or in keys only', () => {
    expect(parseWellFormed('{"a":"x\\uD800y"}')).toEqual({ a: 'x\ufffdy' });
    expect(parseWellFormed('{"a":"\\udfff"}')).toEqual({ a: '\ufffd' });
    expect(parseWellFormed('{"k\\udc00":1}')).toEqual({ 'k\ufffd': 1 });
    // A string holding a raw lone surrogate (not from a UTF-8 body, but possible for a caller).
    expect(parseWellFormed('{"a":"\ud800"}')).toEqual({ a: '\ufffd' });
    expect(parseWellFormed('["\ud83d\ude00", "\\ud83d\\ude00"]')).toEqual(['\ud83d\ude00', '\ud83d\ude00']);
  });
  it('leaves text without them as JSON.parse reads it, an escaped backslash before "ud800" included', () => {
    const text = '{"a":"\\\\ud800","b":[1,{"c":"\\u00e9"}],"__proto__":{"x":1}}';
    const out = parseWellFormed(text) as Record<string, unknown>;
    expect(out).toEqual(JSON.parse(text));
    expect(out.a).toBe('\\ud800');
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.hasOwn(out, '__proto__')).toBe(true);
  });
});

describe('nesting depth', () => {
  it('counts brackets outside strings only, and answers json_too_deep only for valid JSON', () => {
    const deepInString = body([ev({ title: '['.repeat(100) })]);
    expect(codeOf(deepInString)).toBe('ok');
    const escapedQuote = body([ev({ title: '\\"[[[[[[[[[[' })]);
    expect(codeOf(escapedQuote)).toBe('ok');
    expect(codeOf(`${'['.repeat(10_000)}${']'.repeat(10_000)}`)).toBe('json_too_deep');
    expect(codeOf('['.repeat(10_000))).toBe('invalid_json');
  });
});
