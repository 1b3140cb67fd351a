import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/**
 * Country of IPv6 addresses from `@ip-location-db/asn-country`: the five regional internet
 * registries' delegation data (CC BY 4.0, Number Resource Organization), one row per allocated
 * range with the holder's registration country. Every range of that file starts and ends on a
 * /64 boundary (checked when it is read), so the upper 64 bits of an address decide its range
 * and a `BigUint64Array` pair holds the table: 68 k rows, about 1 MB.
 */
interface Table {
  starts: BigUint64Array;
  ends: BigUint64Array;
  countries: string[];
}

const LOW64 = (1n << 64n) - 1n;
let table: Table | undefined;

/** Reads the `…-ipv6-num.csv` file (`start,end,CC`, 128-bit decimal, sorted, disjoint). */
function load(): Table {
  const file = createRequire(import.meta.url).resolve('@ip-location-db/asn-country/asn-country-ipv6-num.csv');
  const lines = readFileSync(file, 'utf8').split('\n');
  const starts = new BigUint64Array(lines.length);
  const ends = new BigUint64Array(lines.length);
  const countries: string[] = [];
  let n = 0;
  for (const line of lines) {
    const [a, b, cc] = line.split(',');
    if (!a || !b || !cc) continue;
    const start = BigInt(a);
    const end = BigInt(b);
    // A range not on /64 boundaries would need all 128 bits; none exists, and one would be skipped.
    if ((start & LOW64) !== 0n || (end & LOW64) !== LOW64) continue;
    starts[n] = start >> 64n;
    ends[n] = end >> 64n;
    countries.push(cc.trim());
    n++;
  }
  return { starts: starts.subarray(0, n), ends: ends.subarray(0, n), countries };
}

/**
 * The upper 64 bits of an IPv6 address in text form (`2003:e4::1`, `::1`), or undefined when it
 * is not one. A trailing dotted IPv4 part (`64:ff9b::1.2.3.4`) lies in the lower 64 bits.
 */
export function upper64(ip: string): bigint | undefined {
  const s = ip.split('%')[0] ?? ''; // a zone id (`fe80::1%eth0`) is not part of the address
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const groups = (h: string | undefined) => (h ? h.split(':') : []);
  const head = groups(halves[0]);
  const tail = groups(halves[1]);
  const last = (tail.length ? tail : head).at(-1) ?? '';
  const width = head.length + tail.length + (last.includes('.') ? 1 : 0);
  if (halves.length === 1 ? width !== 8 : width > 7) return undefined;
  const all = [...head, ...Array(8 - width).fill('0'), ...tail];
  let out = 0n;
  for (const g of all.slice(0, 4)) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
    out = (out << 16n) | BigInt(Number.parseInt(g, 16));
  }
  return out;
}

/** ISO country of a plain IPv6 address, or '' when unknown (unallocated, local, malformed). */
export function countryOfV6(ip: string): string {
  const hi = upper64(ip);
  if (hi === undefined) return '';
  table ??= load();
  const { starts, ends, countries } = table;
  let lo = 0;
  let high = starts.length - 1;
  while (lo <= high) {
    const mid = (lo + high) >> 1;
    if ((starts[mid] as bigint) > hi) high = mid - 1;
    else if ((ends[mid] as bigint) < hi) lo = mid + 1;
    else return countries[mid] ?? '';
  }
  return '';
}
