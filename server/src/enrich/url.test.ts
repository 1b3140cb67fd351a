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

describe('scrubUrl: secrets by pattern', () => {
  const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJl';
  it.each([
    'accessToken',
    'auth_token',
    'reset_token',
    'oauth_token',
    'private_token',
    'X-Amz-Signature',
    'X-Amz-Credential',
    'X-Amz-Security-Token',
    'api-key',
    'API.Key',
    'sessionToken',
    'client_secret',
    'clientsecret',
    'user[password]',
    'PHPSESSID',
    'csrf_token',
    'auth_code',
    'verification-code',
  ])('redacts ?%s= by its name parts', (p) => {
    const out = scrub(`https://shop.example/a?${p}=hunter2&page=2`);
    expect(out).not.toContain('hunter2');
    expect(out).toContain('page=2');
  });

  it('redacts a JWT under any name', () => {
    expect(scrub(`https://a.example/?state=${JWT}&page=2`)).toBe(
      'https://a.example/?page=2&state=%5Bredacted%5D',
    );
  });

  it('keeps ordinary parameters and names that only contain a secret word', () => {
    const url =
      'https://a.example/p?page=2&q=red+shoes&product_id=9&utm_source=news&utm_term=boots&sort=price&' +
      'promo_code=SALE&country_code=DE&keyword=k&monkey=1&tokenize=no&author=me&passage=3&id=eyJ&v=1.2.3';
    expect(scrub(url)).toBe(url);
  });

  it('removes user name and password', () => {
    expect(scrub('https://jane:hunter2@a.example/p?x=1')).toBe('https://a.example/p?x=1');
    expect(scrub('https://jane@a.example/')).toBe('https://a.example/');
  });

  it('scrubs fragments that carry parameters (OAuth implicit flow, hash routers)', () => {
    expect(scrub('https://a.example/cb#access_token=abc123&expires_in=3600')).toBe(
      'https://a.example/cb#expires_in=3600&access_token=%5Bredacted%5D',
    );
    expect(scrub(`https://a.example/cb#id_token=${JWT}`)).toBe(
      'https://a.example/cb#id_token=%5Bredacted%5D',
    );
    expect(scrub('https://a.example/#/callback?code=xyz&view=1')).toBe(
      'https://a.example/#/callback?view=1&code=%5Bredacted%5D',
    );
    expect(scrub('https://a.example/#jane@example.com')).toBe('https://a.example/#[redacted]');
    expect(scrub(`https://a.example/#${JWT}`)).toBe('https://a.example/#[redacted]');
    expect(scrub('https://a.example/#/products?page=2')).toBe('https://a.example/#/products?page=2');
  });

  it('redacts secret path parameters and JWT path segments', () => {
    expect(scrub('https://a.example/cart;jsessionid=A1B2C3?x=1')).toBe(
      'https://a.example/cart;jsessionid=[redacted]?x=1',
    );
    expect(scrub('https://a.example/a;PHPSESSID=abc/b;sid=9;color=red')).toBe(
      'https://a.example/a;PHPSESSID=[redacted]/b;sid=[redacted];color=red',
    );
    expect(scrub(`https://a.example/reset/${JWT}/done`)).toBe('https://a.example/reset/[redacted]/done');
    expect(scrub('https://a.example/p;v=2/q')).toBe('https://a.example/p;v=2/q');
  });

  it('redacts a parameter name that is itself an address', () => {
    expect(scrub('https://a.example/?jane@example.com&page=2')).toBe(
      'https://a.example/?page=2&%5Bredacted%5D=',
    );
  });
});

describe('scrubHref', () => {
  it('scrubs relative link targets and keeps them relative', () => {
    expect(scrubHref('/reset?token=abc&x=1')).toBe('/reset?x=1&token=%5Bredacted%5D');
    expect(scrubHref('//cdn.example/f?X-Amz-Signature=s')).toBe(
      '//cdn.example/f?X-Amz-Signature=%5Bredacted%5D',
    );
    expect(scrubHref('../a/b?page=2')).toBe('../a/b?page=2');
  });

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

describe('scrubbing through encodings, widths and schemes (issue 25.13)', () => {
  const CARD = '4111111111111111';
  const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJl';

  it('finds an address encoded twice or three times, and one with a full-width at sign', () => {
    expect(scrub('https://a.example/p?e=jane%2540example.com&page=2')).toBe(
      'https://a.example/p?page=2&e=%5Bredacted%5D',
    );
    expect(scrub('https://a.example/p?e=jane%252540example.com')).toBe(
      'https://a.example/p?e=%5Bredacted%5D',
    );
    expect(scrub('https://a.example/p?e=jane＠example.com')).toBe('https://a.example/p?e=%5Bredacted%5D');
    expect(scrub('https://a.example/p?e=ｊａｎｅ＠ｅｘａｍｐｌｅ．ｃｏｍ')).toBe(
      'https://a.example/p?e=%5Bredacted%5D',
    );
    expect(scrub('https://a.example/u/jane%2540example.com/orders')).toBe('https://a.example/[redacted]');
    expect(scrub('https://a.example/u/jane＠example.com')).toBe('https://a.example/[redacted]');
    // A full-width secret name is the name.
    expect(scrub('https://a.example/p?ｔｏｋｅｎ=s3cret')).toBe(
      'https://a.example/p?%EF%BD%94%EF%BD%8F%EF%BD%8B%EF%BD%85%EF%BD%8E=%5Bredacted%5D',
    );
  });

  it('stops decoding after three rounds', () => {
    // Five times encoded: the query's own decoding and three rounds leave `%40`, no address.
    const five = 'https://a.example/p?e=jane%2525252540example.com';
    expect(scrub(five)).toBe(five);
  });

  it('finds a JWT in the path whose eyJ is percent-encoded', () => {
    // Every `eyJ` written as escapes, the header's and the payload's.
    const encoded = JWT.replaceAll('eyJ', '%65%79%4A');
    expect(scrub(`https://a.example/reset/${encoded}/done`)).toBe('https://a.example/reset/[redacted]/done');
    expect(scrub(`https://a.example/p?state=${encoded}`)).toBe('https://a.example/p?state=%5Bredacted%5D');
  });

  it('redacts token= and addresses in javascript: and other non-http targets', () => {
    expect(scrubHref("javascript:location='/cb?token=s3cret&x=1'")).toBe(
      "javascript:location='/cb?token=[redacted]&x=1'",
    );
    expect(scrubHref('javascript:go(%22access_token=s3cret%22)')).toBe(
      'javascript:go("access_token=[redacted]")',
    );
    expect(scrubHref(`javascript:void(fetch('/x',{h:'Bearer ${JWT}'}))`)).toBe('javascript:[redacted]');
    expect(scrubHref('javascript:void(0)')).toBe('javascript:void(0)');
    expect(scrubHref('javascript:show(page=2)')).toBe('javascript:show(page=2)');
    expect(scrubHref('mailto:shop@example.com?body=card%20cc=4111111111111111')).toBe(
      'mailto:[redacted]?body=card cc=[redacted]',
    );
  });

  it('redacts Luhn-valid card numbers in query values and path segments', () => {
    expect(scrub(`https://a.example/pay?cc=${CARD}&step=2`)).toBe(
      'https://a.example/pay?step=2&cc=%5Bredacted%5D',
    );
    expect(scrub('https://a.example/pay?n=4111+1111+1111+1111')).toBe(
      'https://a.example/pay?n=%5Bredacted%5D',
    );
    expect(scrub('https://a.example/pay?n=4111-1111-1111-1111')).toBe(
      'https://a.example/pay?n=%5Bredacted%5D',
    );
    expect(scrub(`https://a.example/pay/${CARD}/ok`)).toBe('https://a.example/pay/[redacted]/ok');
    expect(scrub('https://a.example/pay?amex=378282246310005')).toBe(
      'https://a.example/pay?amex=%5Bredacted%5D',
    );
    expect(scrub(`https://a.example/pay?cc=${CARD}#x`)).toBe('https://a.example/pay?cc=%5Bredacted%5D#x');
    // Luhn fails, too short or long, a millisecond timestamp (first digit 1), or inside a longer run.
    for (const kept of [
      'https://a.example/pay?cc=4111111111111112',
      'https://a.example/pay?n=411111111111',
      'https://a.example/pay?n=41111111111111111111',
      'https://a.example/pay?_=1767225600006',
      `https://a.example/pay/9${CARD}`,
      'https://a.example/p/12345?page=2',
    ])
      expect(scrub(kept)).toBe(kept);
  });
});
