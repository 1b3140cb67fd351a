import { LIMITS } from '@funnelhouse/schemas';
import { besideGood, body, collector, ev, eventsRejected, rejected, SITE_KEY } from './build.ts';
import type { CorpusCase } from './types.ts';

const many = <T>(n: number, f: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => f(i));
const keys = (n: number, value: (i: number) => unknown = (i) => i) =>
  Object.fromEntries(many(n, (i): [string, unknown] => [`k${i}`, value(i)]));
const b64 = (bytes: number[]) => Buffer.from(bytes).toString('base64');

/**
 * Malformed or out-of-limit requests. A broken envelope gets its specific 4xx and stores nothing;
 * a broken event gets a 202 listing it in `rejected` (index and code) and stores the others.
 */
export function invalidCases(): CorpusCase[] {
  const { out, add } = collector('invalid', 'invalid');
  const valid = JSON.stringify(body([ev('x1')]));

  // Not JSON at all, or not quite JSON.
  const notJson: [string, string][] = [
    ['empty', ''],
    ['whitespace', ' \n\t '],
    ['open brace', '{'],
    ['truncated', valid.slice(0, -3)],
    ['truncated in a string', '{"site":"$SITE_KEY","sent_at":"$NOW","events":[{"id":"a'],
    ['trailing comma', valid.replace(/}$/, ',}')],
    ['single quotes', valid.replaceAll('"', "'")],
    ['unquoted keys', valid.replace('"site"', 'site')],
    ['NaN', valid.replace('"sent_at":"$NOW"', '"sent_at":NaN')],
    ['Infinity', valid.replace('"sent_at":"$NOW"', '"sent_at":Infinity')],
    ['undefined', valid.replace('"sent_at":"$NOW"', '"sent_at":undefined')],
    ['comment', `// hi\n${valid}`],
    ['two documents', `${valid}${valid}`],
    ['hex number', valid.replace('"sent_at":"$NOW"', '"sent_at":0x1F')],
    ['leading zero', valid.replace('"sent_at":"$NOW"', '"sent_at":01')],
    ['raw newline in string', valid.replace('"x1"', '"x\n1"')],
    ['bad escape', valid.replace('"x1"', '"x\\x41"')],
    ['short unicode escape', valid.replace('"x1"', '"x\\u12"')],
    ['form encoded', 'site=$SITE_KEY&events=1'],
    ['xml', '<?xml version="1.0"?><collect site="$SITE_KEY"/>'],
    ['javascript', 'alert(document.cookie)'],
    ['deep unterminated', '['.repeat(10_000)],
  ];
  for (const [name, text] of notJson)
    add(`invalid_json/${name}`, { body: text, expect: rejected('invalid_json') });
  add('invalid_json/utf-16 encoded', {
    body_base64: Buffer.from(valid.replaceAll('"$NOW"', '1'), 'utf16le').toString('base64'),
    expect: rejected('invalid_json'),
  });
  add('invalid_json/gzip magic', {
    body_base64: b64([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3]),
    expect: rejected('invalid_json'),
  });
  add('invalid_json/random bytes', {
    body_base64: b64(many(64, (i) => (i * 73 + 11) % 256)),
    expect: rejected('invalid_json'),
  });

  // JSON of the wrong shape: the envelope refuses the whole batch.
  const envelope: [string, unknown][] = [
    ['null', 'null'],
    ['array', '[]'],
    ['string', '"hello"'],
    ['number', '42'],
    ['empty object', {}],
    ['missing site', body([ev('a')], { site: undefined })],
    ['empty site', body([ev('a')], { site: '' })],
    ['numeric site', body([ev('a')], { site: 12345 })],
    ['site too long', body([ev('a')], { site: 's'.repeat(129) })],
    ['missing sent_at', body([ev('a')], { sent_at: undefined })],
    ['sent_at string', body([ev('a')], { sent_at: '2026-01-01' })],
    ['sent_at in seconds', body([ev('a')], { sent_at: 1_700_000_000 })],
    ['sent_at negative', body([ev('a')], { sent_at: -1 })],
    ['sent_at huge', body([ev('a')], { sent_at: 1e20 })],
    ['events missing', body([], { events: undefined })],
    ['events object', body([], { events: { 0: ev('a') } })],
    ['events empty', body([])],
  ];
  // Problems of one event: that event is refused, its batch's other events are stored.
  const badEvents: [string, unknown][] = [
    ['event null', null],
    ['event string', 'pageview'],
    ['event array', [ev('a')]],
    ['id missing', ev('a', { id: undefined })],
    ['id empty', ev('')],
    ['id too long', ev('i'.repeat(LIMITS.idLength + 1))],
    ['id number', ev('a', { id: 7 })],
    ['type missing', ev('a', { type: undefined })],
    ['type unknown', ev('a', { type: 'pageviews' })],
    ['type upper case', ev('a', { type: 'PAGEVIEW' })],
    ['type number', ev('a', { type: 1 })],
    ['ts missing', ev('a', { ts: undefined })],
    ['ts in seconds', ev('a', { ts: 1_700_000_000 })],
    ['ts fractional', ev('a', { ts: 1_767_225_600_000.5 })],
    ['ts string', ev('a', { ts: '2026-01-01T00:00:00Z' })],
    ['ts year 2200', ev('a', { ts: 7_258_118_400_000 })],
    ['url missing', ev('a', { url: undefined })],
    ['url empty', ev('a', { url: '' })],
    ['url relative', ev('a', { url: '/p/1' })],
    ['url javascript', ev('a', { url: 'javascript:alert(1)' })],
    ['url data', ev('a', { url: 'data:text/html,<script>alert(1)</script>' })],
    ['url ftp', ev('a', { url: 'ftp://shop.example/' })],
    ['url file', ev('a', { url: 'file:///etc/passwd' })],
    ['url with space in host', ev('a', { url: 'https://shop example/' })],
    ['url too long', ev('a', { url: `https://shop.example/${'p'.repeat(LIMITS.urlLength)}` })],
    ['title too long', ev('a', { title: 't'.repeat(LIMITS.textLength + 1) })],
    ['title number', ev('a', { title: 404 })],
    ['referrer too long', ev('a', { referrer: `https://r.example/${'r'.repeat(LIMITS.urlLength)}` })],
    ['visitor_id too long', ev('a', { visitor_id: 'v'.repeat(LIMITS.idLength + 1) })],
    ['visitor_id object', ev('a', { visitor_id: { $ne: null } })],
    ['props array', ev('a', { props: ['a', 'b'] })],
    ['props string', ev('a', { props: 'a=b' })],
    ['props value object', ev('a', { props: { k: { v: 1 } } })],
    ['props value null', ev('a', { props: { k: null } })],
    ['props value array', ev('a', { props: { k: [1] } })],
    ['props empty key', ev('a', { props: { '': 'v' } })],
    ['exp value number', ev('a', { exp: { test: 1 } })],
    ['exp value too long', ev('a', { exp: { test: 'v'.repeat(129) } })],
    ['utm click_id too long', ev('a', { utm: { click_id: 'g'.repeat(33) } })],
    ['utm string', ev('a', { utm: 'google' })],
    ['click without el', ev('a', { type: 'click' })],
    ['click el without tag', ev('a', { type: 'click', el: { text: 'Buy' } })],
    ['click tag too long', ev('a', { type: 'click', el: { tag: 'a'.repeat(33) } })],
    ['click text too long', ev('a', { type: 'click', el: { tag: 'a', text: 'b'.repeat(501) } })],
    ['form without form', ev('a', { type: 'form_submit' })],
    ['form too many fields', ev('a', { type: 'form_start', form: { fields: many(101, (i) => `f${i}`) } })],
    ['form field values', ev('a', { type: 'form_submit', form: { fields: [{ email: 'a@b.c' }] } })],
    ['purchase without order_id', ev('a', { type: 'purchase', revenue: 1, currency: 'EUR' })],
    ['purchase without revenue', ev('a', { type: 'purchase', order_id: 'o', currency: 'EUR' })],
    [
      'purchase revenue string',
      ev('a', { type: 'purchase', order_id: 'o', revenue: '9.99', currency: 'EUR' }),
    ],
    ['purchase currency word', ev('a', { type: 'purchase', order_id: 'o', revenue: 1, currency: 'EURO' })],
    ['purchase currency symbol', ev('a', { type: 'purchase', order_id: 'o', revenue: 1, currency: '€€€' })],
    ['items too many', ev('a', { type: 'add_to_cart', items: many(101, (i) => ({ id: `i${i}` })) })],
    ['item without id', ev('a', { type: 'add_to_cart', items: [{ name: 'Mug' }] })],
    ['item quantity negative', ev('a', { type: 'add_to_cart', items: [{ id: 'i', quantity: -1 }] })],
    ['item quantity fractional', ev('a', { type: 'add_to_cart', items: [{ id: 'i', quantity: 1.5 }] })],
    ['exposure without variant', ev('a', { type: 'exposure', name: 'test' })],
    ['custom empty name', ev('a', { type: 'custom', name: '' })],
    ['identify without user_id', ev('a', { type: 'identify' })],
  ];
  for (const [name, b] of envelope)
    add(`invalid_body/${name}`, { body: b, expect: rejected('invalid_body') });
  // Each bad event rides behind a good one: the good one is stored, the bad one listed.
  for (const [name, bad] of badEvents) {
    add(`invalid_event/${name}`, { body: body([ev('good'), bad]), expect: besideGood('invalid_event') });
  }
  add('invalid_event/one bad event among good ones', {
    body: body([ev('a'), ev('b'), ev('c', { url: 'nope' }), ev('d')]),
    expect: eventsRejected([{ index: 2, code: 'invalid_event' }], 3),
  });
  add('invalid_event/every event bad', {
    body: body([ev('a', { url: 'nope' }), null, ev('c', { ts: 1 })]),
    expect: eventsRejected(
      [0, 1, 2].map((index) => ({ index, code: 'invalid_event' })),
      0,
    ),
  });

  // Limits, each with its own code.
  add('too_many_events/101', {
    body: body(many(101, (i) => ev(`e${i}`))),
    expect: rejected('too_many_events'),
  });
  add('too_many_events/500', {
    body: body(many(500, (i) => ({ id: `${i}` }))),
    expect: rejected('too_many_events'),
  });
  const nest = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;
  add('json_too_deep/9', { body: valid.replace('{', `{"x":${nest(8)},`), expect: rejected('json_too_deep') });
  add('json_too_deep/10000', { body: nest(10_000), expect: rejected('json_too_deep') });
  let deepProps: unknown = 'v';
  for (let i = 0; i < 10; i++) deepProps = { k: deepProps };
  add('json_too_deep/in props', {
    body: body([ev('a', { props: deepProps })]),
    expect: rejected('json_too_deep'),
  });
  // Property limits are problems of one event, each with its own code.
  add('too_many_properties/51 props', {
    body: body([ev('good'), ev('a', { props: keys(LIMITS.props + 1) })]),
    expect: besideGood('too_many_properties'),
  });
  add('too_many_properties/500 props', {
    body: body([ev('good'), ev('a', { props: keys(500) })]),
    expect: besideGood('too_many_properties'),
  });
  add('too_many_properties/21 experiments', {
    body: body([ev('good'), ev('a', { exp: keys(LIMITS.experiments + 1, (i) => `v${i}`) })]),
    expect: besideGood('too_many_properties'),
  });
  for (const n of [LIMITS.keyLength + 1, 1000]) {
    add(`property_key_too_long/${n}`, {
      body: body([ev('good'), ev('a', { props: { ['k'.repeat(n)]: 1 } })]),
      expect: besideGood('property_key_too_long'),
    });
  }
  add('property_key_too_long/exp', {
    body: body([ev('good'), ev('a', { exp: { ['k'.repeat(LIMITS.keyLength + 1)]: 'v' } })]),
    expect: besideGood('property_key_too_long'),
  });
  for (const n of [LIMITS.valueLength + 1, 10_000]) {
    add(`property_value_too_long/${n}`, {
      body: body([ev('good'), ev('a', { props: { k: 'v'.repeat(n) } })]),
      expect: besideGood('property_value_too_long'),
    });
  }
  for (const [name, pad] of [
    ['300 KB string', 300_000],
    ['1 MB string', 1_000_000],
  ] as const) {
    add(`payload_too_large/${name}`, {
      body: JSON.stringify(body([ev('a', { title: `$PAD(${pad})` })])),
      expect: rejected('payload_too_large', 413),
    });
  }
  add('payload_too_large/just over', {
    body: `${valid}$PAD(${LIMITS.bodyBytes})`,
    expect: rejected('payload_too_large', 413),
  });

  // Keys that are not this site's public key.
  const siteKeys: [string, string][] = [
    ['unknown', 'fhs_doesnotexist'],
    ['secret api key', '$API_KEY'],
    ['admin key', '$ADMIN_KEY'],
    ['site key with space', `${SITE_KEY} `],
    ['site key upper case', '$SITE_KEY_UPPER'],
    ['sql in key', "' OR '1'='1"],
  ];
  for (const [name, site] of siteKeys) {
    add(`unknown_site_key/${name}`, {
      body: body([ev('a')], { site }),
      expect: rejected('unknown_site_key', 401),
    });
  }

  const types: [string, string | null][] = [
    ['form', 'application/x-www-form-urlencoded'],
    ['multipart', 'multipart/form-data; boundary=x'],
    ['html', 'text/html'],
    ['xml', 'application/xml'],
    ['javascript', 'application/javascript'],
    ['csv', 'text/csv'],
    ['octet-stream', 'application/octet-stream'],
    ['missing', null],
    ['json patch', 'application/json-patch+json'],
    ['plain lookalike', 'text/plainx'],
    ['blank', ' '],
  ];
  for (const [name, type] of types) {
    add(`unsupported_media_type/${name}`, {
      headers: { 'content-type': type },
      body: valid,
      expect: rejected('unsupported_media_type', 415),
    });
  }
  for (const method of ['GET', 'PUT', 'DELETE', 'PATCH']) {
    add(`method_not_allowed/${method}`, {
      method,
      ...(method === 'GET' ? {} : { body: valid }),
      expect: rejected('method_not_allowed', 405),
    });
  }
  return out;
}
