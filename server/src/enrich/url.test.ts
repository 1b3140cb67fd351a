import { describe, expect, it } from 'vitest';
import { parseUrl, scrubHref, scrubUrl } from './url.ts';

const scrub = (s: string) => {
  const u = parseUrl(s);
  if (!u) throw new Error(`not a URL: ${s}`);
  return scrubUrl(u);
};

describe('scrubUrl', () => {
  const secretParams = [
    'token',
    'access_token',
    'id_token',
    'refresh_token',
    'auth',
    'authorization',
    'password',
    'passwd',
    'pwd',
    'pass',
    'secret',
    'client_secret',
    'api_key',
    'apikey',
    'key',
    'session',
    'sessionid',
    'sid',
    'jwt',
    'code',
    'otp',
    'signature',
    'sig',
  ];
  it.each(secretParams)('redacts the value of ?%s=', (p) => {
    const out = scrub(`https://shop.example/a?x=1&${p}=hunter2&y=2`);
    expect(out).toBe(`https://shop.example/a?x=1&y=2&${p}=%5Bredacted%5D`);
    expect(out).not.toContain('hunter2');
  });

  it('matches secret parameter names case-insensitively', () => {
    expect(scrub('https://a.example/?Password=hunter2&API_KEY=k1')).not.toMatch(/hunter2|k1/);
  });

  it.each([
    ['a plain address', 'jane@example.com'],
    ['an encoded @', 'jane%40example.com'],
    ['a plus address', 'jane+shop@example.co.uk'],
    ['an address inside text', 'hello%20jane.doe@mail.example.org%20bye'],
  ])('redacts parameters whose value holds an e-mail address: %s', (_label, value) => {
    const out = scrub(`https://shop.example/a?ref=${value}&page=2`);
    expect(out).not.toMatch(/jane/);
    expect(out).toContain('page=2');
    expect(out).toContain('ref=%5Bredacted%5D');
  });

  it('redacts every value of a repeated secret parameter', () => {
    const out = scrub('https://a.example/?token=t1&token=t2');
    expect(out).toBe('https://a.example/?token=%5Bredacted%5D');
  });

  it('redacts ad click id values but keeps their presence', () => {
    expect(scrub('https://a.example/?gclid=abc123&fbclid=def')).toBe(
      'https://a.example/?gclid=%5Bredacted%5D&fbclid=%5Bredacted%5D',
    );
  });

  it('redacts a path that holds an e-mail address (plain or encoded)', () => {
    expect(scrub('https://a.example/users/jane@example.com/orders')).toBe('https://a.example/[redacted]');
    expect(scrub('https://a.example/users/jane%40example.com')).toBe('https://a.example/[redacted]');
  });

  it('leaves ordinary parameters, campaign tags and fragments alone', () => {
    const url = 'https://a.example/p?utm_source=news&q=red+shoes&page=2#top';
    expect(scrub(url)).toBe(url);
  });

  it('does not take lookalike names for secrets', () => {
    const url = 'https://a.example/p?keyword=shoes&monkey=1&tokenize=no';
    expect(scrub(url)).toBe(url);
  });
});

describe('scrubHref', () => {
  it('scrubs http(s) link targets like page URLs', () => {
    expect(scrubHref('https://a.example/reset?token=abc')).toBe(
      'https://a.example/reset?token=%5Bredacted%5D',
    );
  });
  it('redacts addresses in mailto: and other targets, encoded or not', () => {
    expect(scrubHref('mailto:jane@example.com?subject=hi')).toBe('mailto:[redacted]?subject=hi');
    expect(scrubHref('mailto:jane%40example.com')).toBe('mailto:[redacted]');
    expect(scrubHref('/relative/path')).toBe('/relative/path');
    expect(scrubHref('tel:+441234')).toBe('tel:+441234');
  });
});
