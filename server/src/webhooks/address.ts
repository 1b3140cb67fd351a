/**
 * Where a webhook may be sent (no server-side request forgery): the URL rules checked when it is
 * set, and the address ranges refused both then (a literal IP host) and at each delivery (every
 * address the host resolves to). Pure: no DNS here (`deliver.ts` resolves).
 */
import { isIP } from 'node:net';

/** The kinds of refused ranges, as named in errors (`refused_address: loopback`). */
export type RefusedRange =
  | 'unspecified'
  | 'loopback'
  | 'private'
  | 'shared'
  | 'link-local'
  | 'unique-local'
  | 'multicast'
  | 'reserved'
  | 'documentation';

/** [first address, prefix length, kind]. */
const V4: readonly [string, number, RefusedRange][] = [
  ['0.0.0.0', 8, 'unspecified'], // "this network", 0.0.0.0 reaches the local host
  ['10.0.0.0', 8, 'private'],
  ['100.64.0.0', 10, 'shared'], // carrier-grade NAT
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link-local'], // cloud metadata (169.254.169.254)
  ['172.16.0.0', 12, 'private'],
  ['192.0.0.0', 24, 'reserved'], // IETF protocol assignments
  ['192.0.2.0', 24, 'documentation'],
  ['192.88.99.0', 24, 'reserved'], // 6to4 relay anycast
  ['192.168.0.0', 16, 'private'],
  ['198.18.0.0', 15, 'reserved'], // benchmarking
  ['198.51.100.0', 24, 'documentation'],
  ['203.0.113.0', 24, 'documentation'],
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved'], // and 255.255.255.255
];

function v4Number(ip: string): number {
  return ip.split('.').reduce((n, part) => n * 256 + Number(part), 0);
}

const V4_RANGES = V4.map(([first, bits, kind]) => ({ first: v4Number(first), bits, kind }));

function refusedV4(n: number): RefusedRange | null {
  for (const r of V4_RANGES) {
    const size = 2 ** (32 - r.bits);
    if (n >= r.first && n < r.first + size) return r.kind;
  }
  return null;
}

/** The 8 groups of an IPv6 address (a dotted IPv4 tail allowed), or null if it is not one. */
function v6Groups(ip: string): number[] | null {
  let s = ip.toLowerCase();
  const zone = s.indexOf('%');
  if (zone >= 0) s = s.slice(0, zone);
  const lastColon = s.lastIndexOf(':');
  const v4 = s.slice(lastColon + 1);
  if (v4.includes('.')) {
    if (isIP(v4) !== 4) return null;
    const n = v4Number(v4);
    s = `${s.slice(0, lastColon + 1)}${Math.floor(n / 65536).toString(16)}:${(n % 65536).toString(16)}`;
  }
  const halves = s.split('::');
  if (halves.length > 2) return null;
  const parse = (h: string) => (h === '' ? [] : h.split(':').map((g) => Number.parseInt(g, 16)));
  const head = parse(halves[0] ?? '');
  const rest = halves.length === 2 ? parse(halves[1] ?? '') : [];
  const fixed = head.length + rest.length;
  if (halves.length === 1 && fixed !== 8) return null;
  if (fixed > 8 || head.concat(rest).some((g) => Number.isNaN(g) || g < 0 || g > 0xffff)) return null;
  return [...head, ...Array<number>(8 - fixed).fill(0), ...rest];
}

function refusedV6(g: readonly number[]): RefusedRange | null {
  const [a = 0, b = 0, c = 0, d = 0, e = 0, f = 0, h = 0, i = 0] = g;
  const v4 = h * 65536 + i;
  if (a === 0 && b === 0 && c === 0 && d === 0 && e === 0) {
    if (f === 0xffff) return refusedV4(v4); // IPv4-mapped ::ffff:a.b.c.d
    if (f === 0) {
      if (v4 === 0) return 'unspecified'; // ::
      if (v4 === 1) return 'loopback'; // ::1
      return 'reserved'; // IPv4-compatible ::a.b.c.d (deprecated)
    }
  }
  // IPv4-translated ::ffff:0:a.b.c.d (SIIT): never a public destination of its own.
  if (a === 0 && b === 0 && c === 0 && d === 0 && e === 0xffff && f === 0) return 'reserved';
  // NAT64 64:ff9b::/96 carries an IPv4 address; 64:ff9b:1::/48 is for local use.
  if (a === 0x64 && b === 0xff9b && c === 0 && d === 0 && e === 0 && f === 0) return refusedV4(v4);
  if (a === 0x64 && b === 0xff9b && c === 1) return 'private';
  // 6to4 2002::/16 carries an IPv4 address in its next 32 bits.
  if (a === 0x2002) return refusedV4(b * 65536 + c);
  // Teredo 2001::/32 carries the relay's IPv4 address and the client's (bits inverted): a
  // tunnel to a chosen IPv4 host, refused whole as the other forms that embed one are checked.
  if (a === 0x2001 && b === 0) return 'reserved';
  if (a === 0x100 && b === 0 && c === 0 && d === 0) return 'reserved'; // discard 100::/64
  if (a === 0x2001 && b === 0xdb8) return 'documentation';
  if ((a & 0xfe00) === 0xfc00) return 'unique-local'; // fc00::/7
  if ((a & 0xffc0) === 0xfe80) return 'link-local'; // fe80::/10
  if ((a & 0xffc0) === 0xfec0) return 'private'; // site-local fec0::/10 (deprecated)
  if ((a & 0xff00) === 0xff00) return 'multicast';
  return null;
}

/**
 * The refused range an IP address (v4, or v6 in any spelling, brackets allowed) falls in, or
 * null when it is a public address. Anything that is not an address is refused as `reserved`.
 */
export function refusedRange(address: string): RefusedRange | null {
  const ip = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
  if (isIP(ip) === 4) return refusedV4(v4Number(ip));
  const g = isIP(ip.split('%')[0] ?? '') === 6 ? v6Groups(ip) : null;
  return g ? refusedV6(g) : 'reserved';
}

export const MAX_WEBHOOK_URL = 2048;

/** Why a webhook URL is refused, with its code, or null when it may be used. */
export type UrlProblem =
  | { code: 'invalid_url'; message: string }
  | { code: 'refused_address'; message: string; range: RefusedRange };

/**
 * Checks a webhook URL as it is written: absolute http(s), no credentials, a host, at most
 * `MAX_WEBHOOK_URL` characters, and (unless `allowPrivate`) a literal IP host outside the refused
 * ranges. A host name is not resolved here: its addresses are checked at each delivery.
 */
export function checkWebhookUrl(raw: string, allowPrivate: boolean): UrlProblem | null {
  if (raw.length > MAX_WEBHOOK_URL)
    return { code: 'invalid_url', message: `at most ${MAX_WEBHOOK_URL} characters` };
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return { code: 'invalid_url', message: 'not an absolute URL' };
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    return { code: 'invalid_url', message: 'only http: and https: URLs' };
  if (u.username !== '' || u.password !== '')
    return { code: 'invalid_url', message: 'no user name or password in the URL' };
  if (u.hostname === '') return { code: 'invalid_url', message: 'a host is required' };
  if (allowPrivate) return null;
  const host = u.hostname;
  // The URL parser already turned 2130706433, 0x7f.1 and friends into dotted IPv4.
  if (isIP(host) === 4 || host.startsWith('[')) {
    const range = refusedRange(host);
    if (range)
      return {
        code: 'refused_address',
        message: `the host is a ${range} address; set FUNNELHOUSE_WEBHOOK_ALLOW_PRIVATE=1 on a server whose receivers are on its own network`,
        range,
      };
  }
  return null;
}
