import { LIMITS } from '@funnelhouse/schemas';
import { describe, expect, it } from 'vitest';
import { medianRatio } from '../../../test/helpers/cpu-ratio.ts';
import { type BrowserContext, enrichBatch } from '../enrich/pipeline.ts';
import { parseCollectBody } from './parse.ts';

/**
 * The CPU budget of one `/collect` request: a body built to be slow (long runs in every text the
 * server scans) must cost within a small factor of an ordinary body of the same size. Its CPU
 * work is parsing and enrichment; the spool and ClickHouse do not see the text's shape.
 */

const EVENTS = 40;
const NOW = Date.now();

/** `n` characters of `unit` repeated; `unit` may depend on the position (distinct parameters). */
function run(n: number, unit: (i: number) => string): string {
  let s = '';
  for (let i = 0; s.length < n; i++) s += unit(i);
  return s.slice(0, n);
}

/** A click event with every scanned text field filled by `fill(length)`. */
function clickEvent(i: number, fill: (n: number) => string): Record<string, unknown> {
  const url = (host: string) => {
    const base = `https://${host}/`;
    const rest = LIMITS.urlLength - base.length - 3;
    return `${base}${fill(rest >> 1)}?q=${fill(rest - (rest >> 1))}`;
  };
  const text = () => fill(LIMITS.textLength);
  return {
    id: `e${i}`,
    type: 'click',
    ts: NOW,
    url: url('shop.example'),
    referrer: url('ref.example'),
    title: text(),
    utm: { source: text(), medium: text(), campaign: text(), term: text(), content: text() },
    el: { tag: 'a', text: text(), href: url('out.example') },
  };
}

function bodyText(fill: (n: number) => string): string {
  const events = Array.from({ length: EVENTS }, (_, i) => clickEvent(i, fill));
  return JSON.stringify({ site: 'fhs_cost', sent_at: NOW, events });
}

/** Parse and enrich one body, as the route does. */
function handle(text: string, userAgent: string): number {
  const body = parseCollectBody(text);
  const ctx: BrowserContext = {
    source: 'browser',
    siteId: 'cost',
    receivedAt: NOW,
    sentAt: body.sent_at,
    userAgent,
    ip: '203.0.113.9',
    maxEventAgeMs: 3_600_000,
    anonymousVisitorId: () => 'anon',
    memo: {},
  };
  return enrichBatch(body.events, ctx).rows.length;
}

// Ordinary text of any length: paths, words and parameters, as real pages have.
const ORDINARY = (n: number) => run(n, (i) => [`product-${i}/`, `shoes${i} `, `page=${i}&`][i % 3] as string);
const CHROME =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

// Each shape fills every field; the user agent gets a long run of the same shape.
const HOSTILE: [string, (i: number) => string][] = [
  ['letters without separators', () => 'a'],
  ['letters and dots', () => 'a.'],
  ['at signs', () => 'a@'],
  ['dots and at signs', () => '.@a'],
  ['distinct parameters', (i) => `&k${i}=`],
  ['path parameters', (i) => `;s${i}=1`],
  ['JWT-like runs', () => 'eyJaaaaaaaaa.'],
  ['percent escapes', () => '%40a'],
  // Decoded up to three rounds, put in NFKC, scanned for card numbers (issue 25.13).
  ['escapes of escapes', () => '%252540a'],
  ['full-width at signs', () => 'ａ＠'],
  ['card-like digit groups', () => '4111 '],
];

describe('the CPU budget of a /collect request', () => {
  const ordinary = bodyText(ORDINARY);
  const cost = (a: () => unknown, b: () => unknown) => medianRatio(a, b, { samples: 9, minSampleMs: 20 });

  it.each(HOSTILE)('a body of %s costs at most 3× an ordinary one', (_label, unit) => {
    const hostile = bodyText((n) => run(n, unit));
    // Every field is filled to a fixed length, so the two bodies differ in size only by the
    // events' ids.
    expect(Math.abs(hostile.length - ordinary.length)).toBeLessThan(ordinary.length / 100);
    expect(handle(hostile, CHROME)).toBe(EVENTS); // every event goes through every step
    expect(
      cost(
        () => handle(hostile, CHROME),
        () => handle(ordinary, CHROME),
      ),
    ).toBeLessThan(3);
  });

  // A user agent is parsed once per request; Node accepts headers up to 16 KB. Such agents are
  // mostly taken for bots (dropped before the other steps), so only the bot check and the parser
  // run: their cost is compared with a full ordinary request.
  it.each(HOSTILE)('a 12 KB user agent of %s costs at most 3× an ordinary request', (_label, unit) => {
    const ua = `${CHROME} ${run(12_000, unit)}`;
    expect(
      cost(
        () => handle(ordinary, ua),
        () => handle(ordinary, CHROME),
      ),
    ).toBeLessThan(3);
  });
});
