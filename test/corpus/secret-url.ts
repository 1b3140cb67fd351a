import { body, collector, ev, storedOne } from './build.ts';
import type { CorpusCase, Readback } from './types.ts';

/**
 * Credentials and personal data in URL-like fields and UTM values, and what is stored instead
 * (README "What is stored"): written from the rules, not computed by the server's code.
 */
const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dGhpcyBpcyBub3QgYSBzaWduYXR1cmU';
const R = '%5Bredacted%5D';
const P = 'https://shop.example/p';

type Case = [name: string, event: Record<string, unknown>, readback: [column: string, value: unknown][]];

const click = (href: string) => ({ type: 'click', el: { tag: 'a', href } });

/** A secret parameter name, placed once in each URL-like field. */
const NAMES = [
  'accessToken',
  'auth_token',
  'reset_token',
  'oauth_token',
  'private_token',
  'X-Amz-Signature',
  'api-key',
];

const CASES: Case[] = [
  ...NAMES.flatMap((n): Case[] => [
    [`${n} in url`, { url: `${P}?${n}=s3cret&page=2` }, [['url', `${P}?page=2&${n}=${R}`]]],
    [
      `${n} in referrer`,
      { referrer: `https://ref.example/?${n}=s3cret&q=shoes` },
      [['referrer', `https://ref.example/?q=shoes&${n}=${R}`]],
    ],
    [
      `${n} in link target`,
      click(`https://out.example/f?${n}=s3cret`),
      [['el_href', `https://out.example/f?${n}=${R}`]],
    ],
  ]),
  ['JWT under any name', { url: `${P}?state=${JWT}&page=2` }, [['url', `${P}?page=2&state=${R}`]]],
  ['user and password', { url: 'https://jane:hunter2@shop.example/p?page=2' }, [['url', `${P}?page=2`]]],
  ['user in referrer', { referrer: 'https://jane@ref.example/' }, [['referrer', 'https://ref.example/']]],
  [
    'access token fragment',
    { url: `${P}#access_token=s3cret&token_type=bearer&expires_in=3600` },
    [['url', `${P}#expires_in=3600&access_token=${R}&token_type=${R}`]],
  ],
  [
    'id token fragment in referrer',
    { referrer: `https://ref.example/cb#id_token=${JWT}` },
    [['referrer', `https://ref.example/cb#id_token=${R}`]],
  ],
  [
    'hash route with a code',
    { url: `${P}#/callback?code=s3cret&view=1` },
    [['url', `${P}#/callback?view=1&code=${R}`]],
  ],
  [
    'jsessionid path parameter',
    { url: `${P};jsessionid=S3SS10N?page=2` },
    [
      ['url', `${P};jsessionid=[redacted]?page=2`],
      ['path', '/p;jsessionid=[redacted]'],
    ],
  ],
  [
    'phpsessid path parameter in link target',
    click('https://out.example/a;PHPSESSID=S3SS10N'),
    [['el_href', 'https://out.example/a;PHPSESSID=[redacted]']],
  ],
  [
    'relative link target',
    click('/reset?reset_token=s3cret&step=2'),
    [['el_href', `/reset?step=2&reset_token=${R}`]],
  ],
  [
    'utm term and content from the snippet',
    { utm: { source: 'newsletter', term: 'jane.doe@example.com', content: `x ${JWT}` } },
    [
      ['utm_source', 'newsletter'],
      ['utm_term', '[redacted]'],
      ['utm_content', '[redacted]'],
    ],
  ],
  [
    'utm term and content from the url',
    { url: `${P}?utm_source=mail&utm_term=jane%40example.com&utm_content=bob@example.org` },
    [
      ['utm_term', '[redacted]'],
      ['utm_content', '[redacted]'],
      ['url', `${P}?utm_source=mail&utm_term=${R}&utm_content=${R}`],
    ],
  ],
  [
    'ordinary parameters',
    {
      url: `${P}?page=2&q=red+shoes&product_id=9&utm_source=news&utm_term=boots&sort=price&promo_code=SALE&keyword=k#reviews`,
    },
    [
      [
        'url',
        `${P}?page=2&q=red+shoes&product_id=9&utm_source=news&utm_term=boots&sort=price&promo_code=SALE&keyword=k#reviews`,
      ],
      ['utm_term', 'boots'],
    ],
  ],
];

export function secretUrlCases(): CorpusCase[] {
  const { out, add } = collector('secret_url', 'secret-url');
  CASES.forEach(([name, over, readback], i) => {
    const id = `su${i}`;
    add(name, {
      body: body([ev(id, over)]),
      expect: storedOne(readback.map(([column, value]): Readback => ({ event_id: id, column, value }))),
    });
  });
  return out;
}
