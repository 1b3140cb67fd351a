import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type BatchContext,
  type EnrichOutcome,
  enrichEvent,
  type PipelineEvent,
  type Step,
  steps,
} from './pipeline.ts';
import { baseRow } from './row.ts';
import { parseUrl, scrubHref, scrubUrl } from './url.ts';

/**
 * Issue 32 §2: each URL of an event is parsed once (it was five times for the page URL). The
 * oracle below is the path as it was before, kept only in this file: the URL step scrubbed a copy
 * of the parsed URL, parsed the scrubbed text again for its host and path, and the campaign step
 * parsed the page URL once more for its `utm_*` parameters. The scrubbing rules are shared (they
 * did not change); what changed is the plumbing around them, and the rows must not.
 */
const oldScrubUrl = (u: URL): string => {
  const out = new URL(u.href);
  // The query as the old scrub parsed it: the text after the URL's `?`, through URLSearchParams.
  return scrubUrl(out, out.search === '' ? undefined : new URLSearchParams(out.search.slice(1)));
};

const RELATIVE_BASE = 'https://relative.invalid';

/** The old `scrubHref`: its branches without a URL parse are called as they are. */
function oldScrubHref(raw: string): string {
  const u = parseUrl(raw);
  if (u) return oldScrubUrl(u);
  if (/^[a-z][a-z0-9+.-]*:/i.test(raw)) return scrubHref(raw);
  let abs: URL;
  try {
    abs = new URL(raw, RELATIVE_BASE);
  } catch {
    return scrubHref(raw);
  }
  const clean = oldScrubUrl(abs);
  if (clean === abs.href) return raw;
  return abs.origin === RELATIVE_BASE ? clean.slice(RELATIVE_BASE.length) : clean.slice(abs.protocol.length);
}

const oldSteps: Step[] = steps.map((step): Step => {
  if (step.name === 'url') {
    return {
      name: 'url',
      run(row) {
        if (row.el_href) row.el_href = oldScrubHref(row.el_href);
        const u = parseUrl(row.url);
        if (!u) return undefined;
        const clean = new URL(oldScrubUrl(u));
        row.url = clean.href;
        row.host = clean.hostname;
        row.path = clean.pathname;
        return undefined;
      },
    };
  }
  if (step.name === 'campaign_and_channel') {
    // The campaign read the page URL's own `searchParams`, from a parse of its own.
    return {
      ...step,
      run: (row, ev, ctx) => step.run(row, ev, ctx, { pageQuery: parseUrl(ev.url)?.searchParams }),
    };
  }
  return step;
});

function oldEnrichEvent(ev: PipelineEvent, ctx: BatchContext): EnrichOutcome {
  const row = baseRow(ctx.siteId, ev, ctx.receivedAt);
  row.source = ctx.source;
  if (ev.order_id !== undefined) row.order_id = ev.order_id;
  for (const step of oldSteps) {
    if (step.only && !step.only.includes(ctx.source)) continue;
    const reason = step.run(row, ev, ctx, {});
    if (reason) return { reason };
  }
  return { row };
}

const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJl';
const NOW = Date.UTC(2026, 11, 8, 4, 0, 0);

/** URL-like values of the hostile corpus's events (url, referrer, link target). */
function corpusUrls(): string[] {
  const cases = JSON.parse(
    readFileSync(new URL('../../../test/corpus/hostile.json', import.meta.url), 'utf8'),
  );
  const out = new Set<string>();
  for (const c of cases as { body?: unknown }[]) {
    // A body is JSON as sent (text, `$NOW` in place of times) or an object.
    let body: unknown = c.body;
    if (typeof body === 'string') {
      try {
        body = JSON.parse(body.replaceAll('"$NOW"', String(NOW)));
      } catch {
        continue;
      }
    }
    const events = (body as { events?: unknown })?.events;
    if (!Array.isArray(events)) continue;
    for (const e of events as { url?: unknown; referrer?: unknown; el?: { href?: unknown } }[]) {
      for (const v of [e?.url, e?.referrer, e?.el?.href]) if (typeof v === 'string') out.add(v);
    }
  }
  return [...out];
}

const hostilePiece = fc.constantFrom(
  '',
  'a',
  '..',
  '.',
  '%2e%2e',
  '%2E',
  'jane@example.com',
  'jane%40example.com',
  'jane%2540example.com',
  'ｊａｎｅ＠example.com',
  'x;jsessionid=abc',
  'p;token=1;q=2',
  JWT,
  `%65yJ${JWT.slice(3)}`,
  '4111111111111111',
  '4111 1111 1111 1111',
  '%zz',
  '%C3',
  'ü',
  '\\',
  ' sp ',
  '\t',
  '\n',
  '%00',
  '[redacted]',
  '?',
  '#',
  '&',
  '=',
  '+',
  '@',
  ':',
  '\ud800',
  'x'.repeat(600),
);
const paramName = fc.oneof(
  fc.constantFrom(
    'utm_source',
    'utm_medium',
    'utm_campaign',
    'utm_term',
    'utm_content',
    'gclid',
    'fbclid',
    'msclkid',
    'token',
    'access_token',
    'accessToken',
    'X-Amz-Signature',
    'email',
    'q',
    'page',
    'code',
    'auth_code',
    'promo_code',
    '?utm_source',
    '',
  ),
  hostilePiece,
  fc.string({ maxLength: 8 }),
);
const paramValue = fc.oneof(
  fc.constantFrom('google', 'cpc', 'email', 'newsletter', 'facebook', 'a+b', '%20', 'jane%2540example.com'),
  hostilePiece,
  fc.string({ maxLength: 12 }),
);
const query = fc
  .tuple(
    fc.constantFrom('?', '??', '?&', '?;'),
    fc.array(fc.tuple(paramName, paramValue, fc.constantFrom('&', '&&', ';', '&amp;')), { maxLength: 6 }),
  )
  .map(([lead, ps]) => lead + ps.map(([n, v, sep]) => `${n}=${v}${sep}`).join(''));
const hostileUrl = fc
  .tuple(
    fc.constantFrom(
      'http://',
      'https://',
      'HTTP://',
      'hTtPs://',
      ' https://',
      'https:',
      'ht\ttp://',
      'ftp://',
    ),
    fc.constantFrom('', 'user@', 'u:p@', 'jane%40x.com:pw@', ':@'),
    fc.constantFrom(
      'shop.example',
      'WWW.Shop.Example',
      'www.google.com',
      'mail.google.com',
      'l.facebook.com',
      'xn--bcher-kva.example',
      'bücher.example',
      '[::1]',
      '127.0.0.1',
      '0x7f.1',
      '192.168.0.1:8080',
      'ＥＸＡＭＰＬＥ.com',
      'localhost:3000',
      'a..b',
    ),
    fc.array(hostilePiece, { maxLength: 5 }).map((segments) => segments.map((s) => `/${s}`).join('')),
    fc.option(query, { nil: '' }),
    fc.option(
      fc
        .tuple(fc.constantFrom('#', '#/route?', '#access_token=', '#x=1&', '#/cb??', '##'), paramValue)
        .map(([a, b]) => a + b),
      { nil: '' },
    ),
  )
  .map((parts) => parts.join(''));

const RANDOM_URLS = fc.oneof(
  fc.webUrl({
    withQueryParameters: true,
    withFragments: true,
    authoritySettings: { withUserInfo: true, withIPv4: true, withIPv6: true, withPort: true },
  }),
  fc.string({ maxLength: 40 }),
);
const CORPUS = corpusUrls();
const anyUrl = fc.oneof(hostileUrl, RANDOM_URLS, fc.constantFrom(...CORPUS));
const anyHref = fc.oneof(
  anyUrl,
  fc
    .tuple(
      fc.constantFrom(
        '/reset',
        '//cdn.example/f',
        '../a/b',
        'mailto:jane@example.com',
        'javascript:go(',
        'tel:',
      ),
      fc.option(query, { nil: '' }),
      paramValue,
    )
    .map((p) => p.join('')),
);

const event = fc
  .record({
    kind: fc.constantFrom('pageview', 'click', 'custom'),
    url: anyUrl,
    referrer: fc.option(anyUrl, { nil: undefined }),
    href: anyHref,
    utm: fc.option(
      fc.record({
        source: fc.option(paramValue, { nil: undefined }),
        medium: fc.option(paramValue, { nil: undefined }),
        term: fc.option(paramValue, { nil: undefined }),
        click_id: fc.option(fc.constantFrom('gclid', 'fbclid', 'nope'), { nil: undefined }),
      }),
      { nil: undefined },
    ),
  })
  .map(({ kind, url, referrer, href, utm }): PipelineEvent => {
    const base = { id: 'e1', ts: NOW - 1000, url, ...(referrer === undefined ? {} : { referrer }) };
    const withUtm = utm === undefined ? base : { ...base, utm };
    if (kind === 'click') return { ...withUtm, type: 'click', el: { tag: 'A', href } } as PipelineEvent;
    if (kind === 'custom') return { ...withUtm, type: 'custom', name: 'n' } as PipelineEvent;
    return { ...withUtm, type: 'pageview' } as PipelineEvent;
  });

const context = fc
  .record({
    server: fc.boolean(),
    scrubEmails: fc.boolean(),
    allowed: fc.constantFrom([], ['shop.example'], ['*.example']),
  })
  .map(({ server, scrubEmails, allowed }): BatchContext => {
    if (server) {
      return {
        source: 'server',
        siteId: 's',
        receivedAt: NOW,
        maxAgeMs: 1e12,
        maxFutureMs: 60_000,
        scrubEmails,
        memo: { clients: new Map() },
      };
    }
    return {
      source: 'browser',
      siteId: 's',
      receivedAt: NOW,
      sentAt: NOW,
      userAgent:
        'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36',
      ip: '203.0.113.9',
      maxEventAgeMs: 72 * 3600_000,
      allowedHosts: allowed,
      scrubEmails,
      anonymousVisitorId: () => 'anon',
      memo: {},
    };
  });

describe('one URL parse per event (issue 32 §2)', () => {
  it('the hostile corpus holds URL-like values to replay', () => {
    expect(CORPUS.length).toBeGreaterThan(50);
  });

  it('enriched rows are byte-identical to the old path on random and hostile URLs', () => {
    let stored = 0;
    fc.assert(
      fc.property(event, context, (ev, ctx) => {
        const before = JSON.stringify(oldEnrichEvent(ev, ctx));
        const after = JSON.stringify(enrichEvent(ev, ctx));
        expect(after).toBe(before);
        if (after.startsWith('{"row"')) stored++;
      }),
      { numRuns: 6000 },
    );
    // Most cases reach the URL and campaign steps (a dropped event compares only its reason).
    expect(stored).toBeGreaterThan(3000);
  });

  it('replays every URL-like value of the corpus in each field', () => {
    const ctx = fc.sample(context, { numRuns: 1, seed: 1 })[0] as BatchContext;
    for (const url of CORPUS) {
      const ev = {
        id: 'e1',
        type: 'click',
        ts: NOW,
        url,
        referrer: url,
        el: { tag: 'a', href: url },
      } as PipelineEvent;
      expect(JSON.stringify(enrichEvent(ev, ctx))).toBe(JSON.stringify(oldEnrichEvent(ev, ctx)));
    }
  });
});
