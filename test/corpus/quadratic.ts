import { LIMITS } from '@funnelhouse/schemas';
import { body, collector, ev, storedOne } from './build.ts';
import type { CorpusCase, Readback } from './types.ts';

/**
 * Long runs of text that a backtracking pattern rescans from every position (the e-mail regex did:
 * quadratic time). Each is stored as sent, or scrubbed exactly as a short one would be: the
 * expected values are written from the rules (README "What is stored"), not computed by the server.
 */
const a = (n: number) => 'a'.repeat(n);
const PAGE = 'https://shop.example/';
const fill = (prefix: string, unit: string) =>
  prefix + unit.repeat(Math.floor((LIMITS.urlLength - prefix.length) / unit.length));
const REDACTED = '%5Bredacted%5D';

type Case = [name: string, event: Record<string, unknown>, readback: [column: string, value: unknown][]];

const click = (href: string, extra: Record<string, unknown> = {}) => ({
  type: 'click',
  el: { tag: 'a', href },
  ...extra,
});

const CASES: Case[] = [
  [
    'url path of letters',
    { url: fill(PAGE, 'a') },
    [
      ['url', fill(PAGE, 'a')],
      ['path', `/${a(2048 - PAGE.length)}`],
    ],
  ],
  ['url query of letters', { url: fill(`${PAGE}p?q=`, 'a') }, [['url', fill(`${PAGE}p?q=`, 'a')]]],
  ['url path of letters and dots', { url: fill(PAGE, 'a.') }, [['url', fill(PAGE, 'a.')]]],
  ['url path of at signs', { url: fill(PAGE, 'a@') }, [['url', fill(PAGE, 'a@')]]],
  [
    'url query of dots and at signs',
    { url: fill(`${PAGE}p?q=`, '.@a') },
    [['url', fill(`${PAGE}p?q=`, '.@a')]],
  ],
  [
    'referrer of letters',
    { referrer: fill('https://ref.example/?r=', 'a') },
    [
      ['referrer', fill('https://ref.example/?r=', 'a')],
      ['referrer_host', 'ref.example'],
    ],
  ],
  [
    'link target of letters',
    click(fill('https://out.example/', 'a')),
    [['el_href', fill('https://out.example/', 'a')]],
  ],
  ['mailto target of letters', click(`mailto:${a(1900)}`), [['el_href', `mailto:${a(1900)}`]]],
  [
    'title and utm of letters',
    { title: a(LIMITS.textLength), utm: { term: a(LIMITS.textLength), content: a(LIMITS.textLength) } },
    [
      ['title', a(LIMITS.textLength)],
      ['utm_term', a(LIMITS.textLength)],
      ['utm_content', a(LIMITS.textLength)],
    ],
  ],
  // The same runs ending in an address: found at the end of the run, and scrubbed.
  [
    'url query value ending in an address',
    { url: `${PAGE}p?page=2&q=${a(1800)}@example.com` },
    [['url', `${PAGE}p?page=2&q=${REDACTED}`]],
  ],
  ['url path ending in an address', { url: `${PAGE}${a(1800)}@example.com` }, [['url', `${PAGE}[redacted]`]]],
  [
    'referrer ending in an address',
    { referrer: `https://ref.example/?r=${a(1800)}%40example.com` },
    [['referrer', `https://ref.example/?r=${REDACTED}`]],
  ],
  [
    'mailto target ending in an address',
    click(`mailto:${a(1800)}@example.com?subject=hi`),
    [['el_href', 'mailto:[redacted]?subject=hi']],
  ],
  [
    'utm term ending in an address',
    { utm: { source: 'mail', term: `${a(480)}@example.com` } },
    [
      ['utm_source', 'mail'],
      ['utm_term', '[redacted]'],
    ],
  ],
  // Three dot-separated segments, the first starting `eyJ`: a JWT's shape, in a long run.
  [
    'url query of JWT-like segments',
    { url: fill(`${PAGE}p?page=2&q=`, 'eyJaaaaaaaaa.') },
    [['url', `${PAGE}p?page=2&q=${REDACTED}`]],
  ],
  [
    'url with hundreds of parameters and a token',
    { url: `${PAGE}p?token=t0ken&${Array.from({ length: 300 }, (_, i) => `k${i}=`).join('&')}` },
    [['url', `${PAGE}p?${Array.from({ length: 300 }, (_, i) => `k${i}=`).join('&')}&token=${REDACTED}`]],
  ],
  [
    'url with hundreds of path parameters and a session',
    { url: `${PAGE}p;jsessionid=s3ss;${Array.from({ length: 200 }, (_, i) => `v${i}=1`).join(';')}` },
    [['url', `${PAGE}p;jsessionid=[redacted];${Array.from({ length: 200 }, (_, i) => `v${i}=1`).join(';')}`]],
  ],
];

export function quadraticCases(): CorpusCase[] {
  const { out, add } = collector('quadratic_text', 'quadratic');
  CASES.forEach(([name, over, readback], i) => {
    const id = `qt${i}`;
    add(name, {
      body: body([ev(id, over)]),
      expect: storedOne(readback.map(([column, value]): Readback => ({ event_id: id, column, value }))),
    });
  });
  // With the site's scrub_emails on, free text is scanned too.
  add('title ending in an address, scrub_emails on', {
    site: { scrub_emails: true },
    body: body([
      ev('qt-title', { title: `${a(480)}@example.com`, props: { note: `${a(900)}@example.com` } }),
    ]),
    expect: storedOne([
      { event_id: 'qt-title', column: 'title', value: '[redacted]' },
      { event_id: 'qt-title', column: 'props.note', value: '[redacted]' },
    ]),
  });
  return out;
}
