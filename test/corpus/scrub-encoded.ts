import { body, collector, ev, storedOne } from './build.ts';
import type { CorpusCase, Readback } from './types.ts';

/**
 * Secrets and personal data hidden from the scrubbing rules by encoding (README "What is stored"):
 * an address encoded twice (`%2540`) or written with a full-width `＠`, a JWT whose `eyJ` is
 * percent-encoded, `token=` inside a `javascript:` link, and card numbers. Expected values are
 * written from the rules, not computed by the server's code.
 */
const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dGhpcyBpcyBub3QgYSBzaWduYXR1cmU';
const JWT_ENCODED = JWT.replaceAll('eyJ', '%65%79%4A');
const CARD = '4111111111111111';
const R = '%5Bredacted%5D';
const P = 'https://shop.example/p';

type Case = [name: string, event: Record<string, unknown>, readback: [column: string, value: unknown][]];

const click = (href: string) => ({ type: 'click', el: { tag: 'a', href } });

const CASES: Case[] = [
  // Addresses encoded more than once, or in full width.
  ['address encoded twice', { url: `${P}?e=jane%2540example.com&page=2` }, [['url', `${P}?page=2&e=${R}`]]],
  ['address encoded three times', { url: `${P}?e=jane%252540example.com` }, [['url', `${P}?e=${R}`]]],
  [
    'address encoded twice in the referrer',
    { referrer: 'https://ref.example/?from=jane%2540example.com&q=shoes' },
    [['referrer', `https://ref.example/?q=shoes&from=${R}`]],
  ],
  [
    'address encoded twice in a link target',
    click('https://out.example/share?to=jane%2540example.com'),
    [['el_href', `https://out.example/share?to=${R}`]],
  ],
  [
    'address encoded twice in the path',
    { url: 'https://shop.example/u/jane%2540example.com/orders?page=2' },
    [
      ['url', 'https://shop.example/[redacted]?page=2'],
      ['path', '/[redacted]'],
    ],
  ],
  ['full-width at sign', { url: `${P}?e=jane＠example.com&page=2` }, [['url', `${P}?page=2&e=${R}`]]],
  ['full-width address', { url: `${P}?e=ｊａｎｅ＠ｅｘａｍｐｌｅ．ｃｏｍ` }, [['url', `${P}?e=${R}`]]],
  [
    'full-width at sign in the path',
    { url: 'https://shop.example/u/jane＠example.com' },
    [['url', 'https://shop.example/[redacted]']],
  ],
  [
    'full-width at sign in utm_term',
    { url: `${P}?utm_source=mail&utm_term=jane＠example.com` },
    [
      ['utm_term', '[redacted]'],
      ['url', `${P}?utm_source=mail&utm_term=${R}`],
    ],
  ],
  [
    'encoded five times: past the three rounds',
    { url: `${P}?e=jane%2525252540example.com` },
    [['url', `${P}?e=jane%2525252540example.com`]],
  ],
  // JWTs whose `eyJ` is percent-encoded.
  [
    'JWT with encoded eyJ in the path',
    { url: `https://shop.example/reset/${JWT_ENCODED}/done` },
    [
      ['url', 'https://shop.example/reset/[redacted]/done'],
      ['path', '/reset/[redacted]/done'],
    ],
  ],
  ['JWT with encoded eyJ in the query', { url: `${P}?state=${JWT_ENCODED}` }, [['url', `${P}?state=${R}`]]],
  [
    'JWT encoded twice in a path parameter',
    { url: `${P};state=${JWT.replaceAll('eyJ', '%2565yJ')}?page=2` },
    [['url', `${P};state=[redacted]?page=2`]],
  ],
  // Link targets that are not http(s).
  [
    'javascript: link with token=',
    click("javascript:location='/cb?token=s3cret&step=2'"),
    [['el_href', "javascript:location='/cb?token=[redacted]&step=2'"]],
  ],
  [
    'javascript: link with an encoded access_token=',
    click('javascript:go(%22access_token=s3cret%22)'),
    [['el_href', 'javascript:go("access_token=[redacted]")']],
  ],
  [
    'javascript: link with a bare JWT',
    click(`javascript:void(fetch('/x',{h:'Bearer ${JWT}'}))`),
    [['el_href', 'javascript:[redacted]']],
  ],
  ['javascript: link without secrets', click('javascript:void(0)'), [['el_href', 'javascript:void(0)']]],
  [
    'mailto: link with a card number in its body',
    click(`mailto:shop@example.com?body=cc=${CARD}`),
    [['el_href', 'mailto:[redacted]?body=[redacted]']],
  ],
  // Card numbers: Luhn-valid runs of 13–19 digits starting with 2–6.
  ['card number in cc=', { url: `${P}?cc=${CARD}&step=2` }, [['url', `${P}?step=2&cc=${R}`]]],
  [
    'card number in groups of four',
    { url: `${P}?number=4111+1111+1111+1111` },
    [['url', `${P}?number=${R}`]],
  ],
  ['card number with hyphens', { url: `${P}?number=5555-5555-5555-4444` }, [['url', `${P}?number=${R}`]]],
  ['Amex number', { url: `${P}?n=378282246310005` }, [['url', `${P}?n=${R}`]]],
  [
    'card number as a path segment',
    { url: `https://shop.example/pay/${CARD}/confirm` },
    [
      ['url', 'https://shop.example/pay/[redacted]/confirm'],
      ['path', '/pay/[redacted]/confirm'],
    ],
  ],
  [
    'card number in the referrer',
    { referrer: `https://pay.example/checkout?pan=${CARD}` },
    [['referrer', `https://pay.example/checkout?pan=${R}`]],
  ],
  [
    'card number in a hash route',
    { url: `${P}#/pay?cc=${CARD}&view=1` },
    [['url', `${P}#/pay?view=1&cc=${R}`]],
  ],
  [
    'not cards: Luhn fails, a timestamp, too long, a product id',
    { url: `${P}/12345?cc=4111111111111112&_=1767225600006&n=41111111111111111111` },
    [['url', `${P}/12345?cc=4111111111111112&_=1767225600006&n=41111111111111111111`]],
  ],
];

export function scrubEncodedCases(): CorpusCase[] {
  const { out, add } = collector('scrub_encoded', 'scrub-encoded');
  CASES.forEach(([name, over, readback], i) => {
    const id = `se${i}`;
    add(name, {
      body: body([ev(id, over)]),
      expect: storedOne(readback.map(([column, value]): Readback => ({ event_id: id, column, value }))),
    });
  });
  return out;
}
