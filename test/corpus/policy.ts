import { body, CHROME_UA, collector, droppedAll, ev, eventsRejected, storedOne } from './build.ts';
import type { CorpusCase } from './types.ts';

const BOTS: [string, string | null][] = [
  ['googlebot', 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)'],
  [
    'googlebot smartphone',
    'Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
  ],
  ['bingbot', 'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)'],
  [
    'headless chrome',
    'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0.0.0 Safari/537.36',
  ],
  ['curl', 'curl/8.5.0'],
  ['wget', 'Wget/1.21'],
  ['python requests', 'python-requests/2.31'],
  ['go http', 'Go-http-client/1.1'],
  ['axios', 'axios/1.6.0'],
  ['ahrefs', 'Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)'],
  ['facebook', 'facebookexternalhit/1.1'],
  ['gptbot', 'GPTBot/1.0'],
  ['uptime monitor', 'UptimeRobot/2.0'],
  ['empty user agent', ''],
  ['no user agent', null],
];

/** Valid requests that policy refuses quietly: 202, nothing stored, counted by reason. */
export function policyCases(): CorpusCase[] {
  const { out, add } = collector('policy_drop', 'policy');
  for (const [name, ua] of BOTS) {
    add(`bot/${name}`, {
      headers: { 'user-agent': ua },
      body: body([ev('b1'), ev('b2')]),
      expect: droppedAll(2, 'bot'),
    });
  }
  const dnt = { respect_dnt: true };
  add('dnt/DNT 1', {
    site: dnt,
    headers: { dnt: '1' },
    body: body([ev('d1')]),
    expect: droppedAll(1, 'dnt'),
  });
  add('dnt/Sec-GPC 1', {
    site: dnt,
    headers: { 'sec-gpc': '1' },
    body: body([ev('d1')]),
    expect: droppedAll(1, 'dnt'),
  });
  add('dnt/both, whole batch', {
    site: dnt,
    headers: { dnt: '1', 'sec-gpc': '1' },
    body: body([
      ev('d1'),
      ev('d2', { type: 'purchase', order_id: 'o1', revenue: 10, currency: 'EUR' }),
      ev('d3'),
    ]),
    expect: droppedAll(3, 'dnt'),
  });
  add('dnt/bot wins over dnt', {
    site: dnt,
    headers: { dnt: '1', 'user-agent': 'curl/8.5.0' },
    body: body([ev('d1')]),
    expect: droppedAll(1, 'bot'),
  });
  const hosts = { allowed_hosts: ['shop.example', '*.cdn.example'] };
  const offHost: [string, string][] = [
    ['other host', 'https://evil.example/'],
    ['unlisted subdomain', 'https://www.shop.example/'],
    ['suffix lookalike', 'https://shop.example.evil.test/'],
    ['prefix lookalike', 'https://evilshop.example/'],
    ['wildcard parent', 'https://cdn.example/'],
    ['ip address', 'https://192.0.2.1/'],
    ['unicode lookalike', 'https://shöp.example/'],
    ['userinfo trick', 'https://shop.example@evil.example/'],
    ['localhost', 'http://localhost:3000/'],
  ];
  for (const [name, url] of offHost) {
    add(`host_not_allowed/${name}`, {
      site: hosts,
      body: body([ev('h1', { url })]),
      expect: droppedAll(1, 'host_not_allowed'),
    });
  }
  add('stale/100 days old', {
    body: body([ev('s1', { ts: '$NOW-8640000000' })]),
    expect: droppedAll(1, 'stale'),
  });
  // Controls: the same sites accept what their policy allows, so a drop above means the policy.
  add('control/allowed host', {
    site: hosts,
    body: body([ev('c1')]),
    expect: storedOne([{ event_id: 'c1', column: 'host', value: 'shop.example' }]),
  });
  add('control/allowed host upper case and port', {
    site: hosts,
    body: body([ev('c1', { url: 'https://SHOP.example:8443/x' })]),
    expect: storedOne([{ event_id: 'c1', column: 'host', value: 'shop.example' }]),
  });
  add('control/allowed wildcard subdomain', {
    site: hosts,
    body: body([ev('c1', { url: 'https://img.cdn.example/' })]),
    expect: storedOne([{ event_id: 'c1', column: 'host', value: 'img.cdn.example' }]),
  });
  add('control/dnt 0', { site: dnt, headers: { dnt: '0' }, body: body([ev('c1')]), expect: storedOne() });
  add('control/dnt ignored by default', {
    headers: { dnt: '1', 'sec-gpc': '1' },
    body: body([ev('c1')]),
    expect: storedOne(),
  });
  add('control/browser', {
    headers: { 'user-agent': CHROME_UA },
    body: body([ev('c1')]),
    expect: storedOne(),
  });
  // Policy never hides an invalid event: it is listed as rejected, not counted as a bot.
  add('invalid from a bot is still invalid', {
    headers: { 'user-agent': 'curl/8.5.0' },
    body: body([ev('x', { url: 'nope' })]),
    expect: eventsRejected([{ index: 0, code: 'invalid_event' }], 0),
  });
  return out;
}
